using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Payments;

namespace MiniShop.Functions.Features.Payments;

/// <summary>Every two minutes: payments still pending near their deadline are checked with WeChat Pay and get a lifecycle if they lack one.</summary>
public sealed class PaymentReconciliationFunctions(PaymentReconciliation reconciliation, OrderLifecycleClients lifecycles, ILogger<PaymentReconciliationFunctions> log)
{
    [Function(nameof(ReconcilePayments))]
    public async Task ReconcilePayments([TimerTrigger("0 */2 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        var report = await reconciliation.RunAsync(lifecycles.For(durable), ct);
        if (report.Checked > 0)
            log.LogInformation("Payment reconciliation: {Checked} checked, {Paid} found paid, {Started} lifecycles started", report.Checked, report.FoundPaid, report.LifecyclesStarted);
    }
}
