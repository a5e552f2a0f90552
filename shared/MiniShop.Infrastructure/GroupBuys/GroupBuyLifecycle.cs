using Microsoft.DurableTask;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>Names shared by the group orchestration, the Functions host and the in-process host.</summary>
public static class GroupBuyNames
{
    public const string GroupBuyLifecycle = nameof(GroupBuyLifecycle);

    public const string DecideGroup = nameof(DecideGroup);
    public const string PromoteGroupOrders = nameof(PromoteGroupOrders);
    public const string SweepFailedGroup = nameof(SweepFailedGroup);
}

/// <summary>External events of a group's orchestration. Like every lifecycle event, it only steers the timer: the paid seats are already stored.</summary>
public static class GroupBuyEvents
{
    /// <summary>Raised (by the payment lifecycle) when the payment of the group's last seat was settled.</summary>
    public const string GroupFull = nameof(GroupFull);
}

/// <param name="DeadlineUtc">When the group closes (opened + the activity's group duration, never after the activity's end).</param>
/// <param name="SettleMarginSeconds">After a failure, how long past the last unpaid seat's payment deadline to wait for a late payment to settle.</param>
/// <param name="MaxSweeps">How many times a failed group checks for seats still unpaid before it stops waiting.</param>
public sealed record GroupBuyLifecycleInput(string ActivityId, string GroupId, DateTime DeadlineUtc, int SettleMarginSeconds, int MaxSweeps);

public sealed record GroupRef(string ActivityId, string GroupId);

public sealed record DecideGroupInput(string ActivityId, string GroupId, bool Expired);

/// <summary>A group as the orchestration sees it: "open", "succeeded" or "failed", why, and its paid seats.</summary>
public sealed record GroupState(string Status, string? Outcome, int Paid, int Size)
{
    public const string Open = "open";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>The refunds a failed group has to see through, and until when some seat may still be paid (null: none is unpaid).</summary>
public sealed record GroupSweep(IReadOnlyList<RefundLifecycleInput> Refunds, DateTime? HeldUntilUtc);

/// <summary>
/// One instance per group (instance id = group id), started when the group is opened. Waits for "group full" or the
/// group's deadline, whichever comes first (the timer is cancelled when the event wins), then decides the group with one
/// conditional write. Succeeded: every paid member's order goes on to shipment (a seat paid later in a virtually formed
/// group moves its own order). Failed: every paid seat is refunded through the refund lifecycle (fixed refund number per
/// order, so exactly once; it closes the order and returns its stock); unpaid members simply time out, and the group
/// waits past their payment deadlines so that a payment landing after the failure is refunded too.
/// Deterministic: time from the context, every timeout in the input.
/// </summary>
public static class GroupBuyLifecycle
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context, GroupBuyLifecycleInput input)
    {
        var group = new GroupRef(input.ActivityId, input.GroupId);
        GroupState state;
        do
        {
            using var cts = new CancellationTokenSource();
            var full = context.WaitForExternalEvent<string>(GroupBuyEvents.GroupFull, cts.Token);
            var timer = context.CreateTimer(input.DeadlineUtc, cts.Token);
            var winner = await Task.WhenAny(full, timer);
            cts.Cancel();
            state = await context.CallActivityAsync<GroupState>(GroupBuyNames.DecideGroup,
                new DecideGroupInput(input.ActivityId, input.GroupId, Expired: winner == timer), Retry);
            // "Full" but not full (a stale event): keep waiting for the real one or the deadline.
        }
        while (state.Status == GroupState.Open);

        if (state.Status == GroupState.Succeeded)
        {
            await context.CallActivityAsync<int>(GroupBuyNames.PromoteGroupOrders, group, Retry);
            return $"{GroupState.Succeeded}:{state.Outcome}";
        }

        var started = new HashSet<string>(StringComparer.Ordinal);
        var refunds = new List<Task<string>>();
        for (var sweep = 1; ; sweep++)
        {
            var result = await context.CallActivityAsync<GroupSweep>(GroupBuyNames.SweepFailedGroup, group, Retry);
            foreach (var refund in result.Refunds.Where(r => started.Add(r.RefundId)))
                refunds.Add(SeeThroughAsync(context, refund));
            if (result.HeldUntilUtc is not { } heldUntil || sweep >= input.MaxSweeps) break;
            var next = (heldUntil > context.CurrentUtcDateTime ? heldUntil : context.CurrentUtcDateTime).AddSeconds(input.SettleMarginSeconds);
            await context.CreateTimer(next, CancellationToken.None);
        }
        var outcomes = await Task.WhenAll(refunds);
        return $"{GroupState.Failed}:{outcomes.Count(o => o == "succeeded")}/{outcomes.Length} refunded";
    }

    /// <summary>The refund's own lifecycle: sent to WeChat Pay, polled, and the order's lifecycle told when it closes.</summary>
    private static async Task<string> SeeThroughAsync(TaskOrchestrationContext context, RefundLifecycleInput refund)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<string>(LifecycleNames.RefundLifecycle, refund, new SubOrchestrationOptions { InstanceId = refund.RefundId });
        }
        catch (TaskFailedException)
        {
            return "error"; // logged by the refund's instance; the refund document shows where it stopped
        }
    }
}
