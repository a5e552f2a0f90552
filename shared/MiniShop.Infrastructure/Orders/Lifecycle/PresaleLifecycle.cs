using Microsoft.DurableTask;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// One instance per presale order after its deposit is paid (instance id "presale-{orderId}"): waits for the balance
/// window to open and tells the member; then waits for the balance payment until the window closes, when the deposit is
/// forfeited (or refunded if the presale says so) and the reserved units go back on sale.
/// </summary>
public static class PresaleLifecycle
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context, PresaleLifecycleInput input)
    {
        var order = new OrderRef(input.MemberId, input.OrderId);
        using (var cts = new CancellationTokenSource())
        {
            var paidEarly = context.WaitForExternalEvent<string>(LifecycleEvents.BalancePaid, cts.Token);
            var opens = context.CreateTimer(input.BalanceStartsUtc, cts.Token);
            var first = await Task.WhenAny(paidEarly, opens);
            cts.Cancel();
            if (first == paidEarly) return "balancePaid";
        }
        await context.CallActivityAsync<bool>(LifecycleNames.NotifyBalanceDue, order, Retry);

        using (var cts = new CancellationTokenSource())
        {
            var paid = context.WaitForExternalEvent<string>(LifecycleEvents.BalancePaid, cts.Token);
            var closes = context.CreateTimer(input.BalanceEndsUtc, cts.Token);
            var first = await Task.WhenAny(paid, closes);
            cts.Cancel();
            if (first == paid) return "balancePaid";
        }
        return await context.CallActivityAsync<string>(LifecycleNames.ForfeitDeposit, order, Retry);
    }
}
