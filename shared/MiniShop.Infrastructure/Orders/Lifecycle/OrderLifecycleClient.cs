using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Checkout;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// Starts lifecycles and raises their events through a Durable client. The Functions host binds the client per
/// invocation ([DurableClient]); the in-process host has one in its container. Raising an event never decides anything:
/// the change is already stored, and a missed event is caught up by the timers and the reconciliation.
/// </summary>
public sealed class OrderLifecycleClient(DurableTaskClient client, OrderOptions options, ILogger log) : IOrderLifecycle
{
    public ShopOrderTimeouts OrderTimeouts => new(options.AutoConfirmSeconds, options.ReviewWindowSeconds, options.ShipmentPollSeconds);

    public Task StartAsync(PaymentOrder payment, CancellationToken ct) => StartPaymentAsync(payment, ct);

    /// <summary>The payment order's lifecycle, once; false when it already runs (a retried checkout, the reconciliation).</summary>
    public Task<bool> StartPaymentAsync(PaymentOrder payment, CancellationToken ct)
        => StartOnceAsync(LifecycleNames.PaymentLifecycle, payment.Id, new PaymentLifecycleInput(payment.Id, payment.MemberId, payment.ExpiresAt.UtcDateTime,
            options.PaymentReconcileLeadSeconds, OrderTimeouts, NothingToPay: payment.AmountFen == 0), ct);

    public async Task StartRefundAsync(Refund refund, CancellationToken ct)
        => await StartOnceAsync(LifecycleNames.RefundLifecycle, refund.Id,
            new RefundLifecycleInput(refund.Id, refund.OrderId, refund.MemberId, refund.DecisionDueAt.UtcDateTime, options.RefundPollSeconds, MaxPolls: 72), ct);

    public Task RaiseAsync(string instanceId, string eventName, string payload, CancellationToken ct) => RaiseCoreAsync(instanceId, eventName, payload, ct);

    /// <summary>Starts an instance unless one with that id exists (a retried checkout must not start a second lifecycle).</summary>
    public async Task<bool> StartOnceAsync<T>(string name, string instanceId, T input, CancellationToken ct)
    {
        if (await client.GetInstanceAsync(instanceId, ct) is not null) return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions { InstanceId = instanceId }, ct);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException || e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
                                  || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(string instanceId, CancellationToken ct) => await client.GetInstanceAsync(instanceId, ct) is not null;

    private async Task RaiseCoreAsync(string instanceId, string eventName, string payload, CancellationToken ct)
    {
        try
        {
            // An instance not started yet (e.g. a shop order whose payment is still settling) reads the order's state when it
            // starts, so the event is not needed; raising it anyway would leave a message no instance can take.
            if (await client.GetInstanceAsync(instanceId, ct) is null)
            {
                log.LogInformation("{Event} for {InstanceId} skipped: the instance has not started; it will read the state", eventName, instanceId);
                return;
            }
            await client.RaiseEventAsync(instanceId, eventName, payload, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not raise {Event} on {InstanceId}; its timers and the reconciliation will catch up", eventName, instanceId);
        }
    }
}

/// <summary>Makes lifecycle clients for a bound Durable client, with the configured timeouts.</summary>
public sealed class OrderLifecycleClients(IOptions<OrderOptions> options, ILoggerFactory logs)
{
    public OrderLifecycleClient For(DurableTaskClient client) => new(client, options.Value, logs.CreateLogger<OrderLifecycleClient>());
}
