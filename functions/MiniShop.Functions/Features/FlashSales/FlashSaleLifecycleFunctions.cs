using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.FlashSales;

/// <summary>
/// The Durable entry points of the flash-sale lifecycle (one orchestration per session, finalizing it at its end) and a
/// timer that finalizes any session past its end whose stock has not gone back (e.g. its orchestration was lost).
/// The in-process host registers the same logic under the same names through <see cref="Register"/>.
/// </summary>
public sealed class FlashSaleLifecycleFunctions(FlashSaleLifecycleActivities activities, FlashSaleAdminService sales, OrderLifecycleClients lifecycles,
    ILogger<FlashSaleLifecycleFunctions> log)
{
    [Function(FlashSaleLifecycle.Name)]
    public static Task<string> RunFlashSaleLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, FlashSaleLifecycleInput input)
        => FlashSaleLifecycle.RunAsync(context, input);

    [Function(FlashSaleLifecycle.ScheduleActivity)]
    public Task<FlashSaleSchedule> FlashSaleSchedule([ActivityTrigger] string sessionId, CancellationToken ct) => activities.ScheduleAsync(sessionId, ct);

    [Function(FlashSaleLifecycle.FinalizeActivity)]
    public Task<bool> FinalizeFlashSale([ActivityTrigger] string sessionId, CancellationToken ct) => activities.FinalizeAsync(sessionId, ct);

    /// <summary>
    /// Every five minutes: sessions past their end with stock still out are finalized (idempotent, like the lifecycle),
    /// and running sessions get back the units of purchases that died before placing their order.
    /// </summary>
    [Function(nameof(SweepFlashSales))]
    public async Task SweepFlashSales([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        foreach (var id in await sales.OverdueAsync(ct))
        {
            try
            {
                await sales.FinalizeAsync(id, ct);
                await lifecycles.For(durable).RaiseAsync(FlashSaleLifecycle.InstanceId(id), FlashSaleLifecycle.Changed, "swept", ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Flash sale {SessionId} could not be finalized by the sweep; the next run retries", id);
            }
        }
        var orphans = await sales.ReleaseOrphansOfRunningAsync(ct);
        if (orphans > 0) log.LogWarning("Flash-sale sweep: {Count} hold(s) of purchases that never placed their order went back on sale", orphans);
    }

    /// <summary>Registers the orchestrator and activities for the in-process Durable host; returns their names.</summary>
    public static IReadOnlyList<string> Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<FlashSaleLifecycleInput, string>(FlashSaleLifecycle.Name, (context, input) => FlashSaleLifecycle.RunAsync(context, input!));
        registry.AddActivity(FlashSaleLifecycle.ScheduleActivity, sp => new Activity<FlashSaleSchedule>((a, id) => a.ScheduleAsync(id, CancellationToken.None),
            sp.GetRequiredService<FlashSaleLifecycleActivities>()));
        registry.AddActivity(FlashSaleLifecycle.FinalizeActivity, sp => new Activity<bool>((a, id) => a.FinalizeAsync(id, CancellationToken.None),
            sp.GetRequiredService<FlashSaleLifecycleActivities>()));
        return [FlashSaleLifecycle.Name, FlashSaleLifecycle.ScheduleActivity, FlashSaleLifecycle.FinalizeActivity];
    }

    private sealed class Activity<TOut>(Func<FlashSaleLifecycleActivities, string, Task<TOut>> run, FlashSaleLifecycleActivities activities)
        : TaskActivity<string, TOut>
    {
        public override Task<TOut> RunAsync(TaskActivityContext context, string input) => run(activities, input);
    }
}
