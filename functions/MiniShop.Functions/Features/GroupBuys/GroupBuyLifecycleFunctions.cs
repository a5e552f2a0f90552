using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using MiniShop.Infrastructure.GroupBuys;

namespace MiniShop.Functions.Features.GroupBuys;

/// <summary>
/// The Durable Functions entry points of a group's lifecycle: thin wrappers over the orchestration and activities in
/// shared/ (the in-process host registers the same logic under the same names in <see cref="Durable.DurableTasks"/>).
/// </summary>
public sealed class GroupBuyLifecycleFunctions(GroupBuyActivities activities)
{
    [Function(GroupBuyNames.GroupBuyLifecycle)]
    public static Task<string> RunGroupBuyLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, GroupBuyLifecycleInput input)
        => GroupBuyLifecycle.RunAsync(context, input);

    [Function(GroupBuyNames.DecideGroup)]
    public Task<GroupState> DecideGroup([ActivityTrigger] DecideGroupInput input, CancellationToken ct) => activities.DecideGroupAsync(input, ct);

    [Function(GroupBuyNames.PromoteGroupOrders)]
    public Task<int> PromoteGroupOrders([ActivityTrigger] GroupRef input, CancellationToken ct) => activities.PromoteGroupOrdersAsync(input, ct);

    [Function(GroupBuyNames.SweepFailedGroup)]
    public Task<GroupSweep> SweepFailedGroup([ActivityTrigger] GroupRef input, CancellationToken ct) => activities.SweepFailedGroupAsync(input, ct);
}
