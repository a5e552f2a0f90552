using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Infrastructure.Payments;

public sealed record ReconciliationReport(int Checked, int FoundPaid, int LifecyclesStarted);

/// <summary>
/// The safety net on a timer: payment orders still pending near or past their deadline are checked with WeChat Pay (a
/// lost notification never cancels a paid order), and any whose lifecycle never started (a crash right after checkout)
/// get one, which then closes or settles them.
/// </summary>
public sealed class PaymentReconciliation(CosmosDb db, OrderLifecycleActivities activities, IOptions<OrderOptions> options, TimeProvider time, ILogger<PaymentReconciliation> log)
{
    private sealed record Due(string Id, string MemberId);

    public async Task<ReconciliationReport> RunAsync(OrderLifecycleClient lifecycle, CancellationToken ct)
    {
        var horizon = time.GetUtcNow().AddSeconds(options.Value.PaymentReconcileLeadSeconds).ToUnixTimeSeconds();
        var due = await db.Container(CosmosSchema.Members).QueryAsync<Due>(new QueryDefinition(
                "SELECT c.id, c.memberId FROM c WHERE c.type = 'payment-order' AND c.status = 'pending' AND c.expiresAtTs <= @h")
            .WithParameter("@h", horizon), null, maxItems: 500, ct: ct);
        int paid = 0, started = 0;
        foreach (var p in due)
        {
            try
            {
                var state = await activities.ReconcilePaymentAsync(new PaymentRef(p.MemberId, p.Id), ct);
                if (state.State == PaymentState.Paid)
                {
                    paid++;
                    await lifecycle.RaiseAsync(p.Id, LifecycleEvents.PaymentConfirmed, "reconciliation", ct);
                }
                if (!await lifecycle.ExistsAsync(p.Id, ct))
                {
                    var payment = (await db.Container(CosmosSchema.Members).ReadItemAsync<PaymentOrder>(p.Id, new PartitionKey(p.MemberId), cancellationToken: ct)).Resource;
                    if (await lifecycle.StartPaymentAsync(payment, ct)) started++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Reconciling payment {PaymentOrderId} failed; the next run retries", p.Id);
            }
        }
        return new ReconciliationReport(due.Count, paid, started);
    }
}
