using Microsoft.DurableTask;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// One instance per payment order (instance id = payment order id). Waits for the payment; shortly before the deadline
/// asks WeChat Pay (a lost notification never cancels a paid order); at the deadline closes it, which releases stock,
/// coupons and points. Once paid, it settles (sending the events campaigns ask for, e.g. a group-buy group is full) and
/// runs one shop-order lifecycle per shop order.
/// Deterministic: time from the context, every timeout from the input, timers cancelled when an event wins.
/// </summary>
public static class PaymentLifecycle
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context, PaymentLifecycleInput input)
    {
        var payment = new PaymentRef(input.MemberId, input.PaymentOrderId);
        var reconcileAt = input.DeadlineUtc.AddSeconds(-input.ReconcileLeadSeconds);

        // Nothing to pay (coupons and points covered it all): paid at once, no WeChat Pay involved.
        var state = input.NothingToPay ? (await context.CallActivityAsync<PaymentState>(LifecycleNames.ConfirmFreePayment, payment, Retry)).State : null;
        if (state is not (PaymentState.Paid or PaymentState.Closed))
        {
            state = await WaitAsync(context, reconcileAt);
            if (state is null)
            {
                state = (await context.CallActivityAsync<PaymentState>(LifecycleNames.ReconcilePayment, payment, Retry)).State;
                if (state == PaymentState.Pending) state = await WaitAsync(context, input.DeadlineUtc);
                state ??= (await context.CallActivityAsync<PaymentState>(LifecycleNames.ClosePayment, payment, Retry)).State;
            }
        }

        if (state == PaymentState.Closed)
        {
            await context.CallActivityAsync(LifecycleNames.ReleaseClosedPayment, payment, Retry);
            return PaymentState.Closed;
        }

        var settled = await context.CallActivityAsync<PaymentState>(LifecycleNames.SettlePaidPayment, payment, Retry);
        foreach (var signal in settled.Signals ?? []) context.SendEvent(signal.InstanceId, signal.EventName, signal.Payload);
        var next = settled.Next ?? settled.OrderIds.Select(id => new OrderNext(id, LifecycleNames.ShopOrderLifecycle)).ToList();
        foreach (var n in next.Where(n => n.BalancePaid))
            context.SendEvent(OrderNext.PresaleInstanceId(n.OrderId), LifecycleEvents.BalancePaid, input.PaymentOrderId);
        await Task.WhenAll(next.Select(n => n.Lifecycle == LifecycleNames.PresaleLifecycle
            ? context.CallSubOrchestratorAsync<string>(LifecycleNames.PresaleLifecycle, n.Presale!, new SubOrchestrationOptions { InstanceId = OrderNext.PresaleInstanceId(n.OrderId) })
            : context.CallSubOrchestratorAsync<string>(LifecycleNames.ShopOrderLifecycle, new ShopOrderLifecycleInput(n.OrderId, input.MemberId, input.OrderTimeouts),
                new SubOrchestrationOptions { InstanceId = n.OrderId })));
        return PaymentState.Paid;
    }

    /// <summary>"paid" or "closed" when an event comes first, null when the timer fires.</summary>
    private static async Task<string?> WaitAsync(TaskOrchestrationContext context, DateTime until)
    {
        using var cts = new CancellationTokenSource();
        var paid = context.WaitForExternalEvent<string>(LifecycleEvents.PaymentConfirmed, cts.Token);
        var closed = context.WaitForExternalEvent<string>(LifecycleEvents.PaymentClosed, cts.Token);
        var timer = context.CreateTimer(until, cts.Token);
        var winner = await Task.WhenAny(paid, closed, timer);
        cts.Cancel();
        return winner == paid ? PaymentState.Paid : winner == closed ? PaymentState.Closed : null;
    }
}
