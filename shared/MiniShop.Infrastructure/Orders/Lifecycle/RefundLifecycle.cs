using Microsoft.DurableTask;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// One instance per refund (instance id = refund id): waits for the merchant's decision until it is due, then approves
/// automatically; sends the refund to WeChat Pay; waits for the refund notification, asking WeChat Pay at intervals in
/// case it was lost.
/// </summary>
public static class RefundLifecycle
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context, RefundLifecycleInput input)
    {
        var refund = new RefundRef(input.RefundId);
        string decision;
        using (var cts = new CancellationTokenSource())
        {
            var decided = context.WaitForExternalEvent<string>(LifecycleEvents.RefundDecided, cts.Token);
            var timer = context.CreateTimer(input.DecisionDueUtc, cts.Token);
            var first = await Task.WhenAny(decided, timer);
            cts.Cancel();
            decision = first == decided
                ? decided.Result
                : await context.CallActivityAsync<string>(LifecycleNames.AutoApproveRefund, refund, Retry);
        }
        if (decision != "approved") return decision;

        var status = await context.CallActivityAsync<string>(LifecycleNames.ExecuteRefund, refund, Retry);
        for (var poll = 0; status == "processing" && poll < input.MaxPolls; poll++)
        {
            using var cts = new CancellationTokenSource();
            var settled = context.WaitForExternalEvent<string>(LifecycleEvents.RefundSettled, cts.Token);
            var timer = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.PollSeconds), cts.Token);
            var first = await Task.WhenAny(settled, timer);
            cts.Cancel();
            status = first == settled ? settled.Result : await context.CallActivityAsync<string>(LifecycleNames.ReconcileRefund, refund, Retry);
        }

        // A refund that brought everything back closed the order: its own lifecycle stops waiting.
        if (status == "succeeded" && await context.CallActivityAsync<bool>(LifecycleNames.IsOrderClosed, new OrderRef(input.MemberId, input.OrderId), Retry))
            context.SendEvent(input.OrderId, LifecycleEvents.OrderClosed, input.RefundId);
        return status;
    }
}
