using Microsoft.DurableTask;

namespace MiniShop.Infrastructure.FlashSales;

public sealed record FlashSaleLifecycleInput(string SessionId);

/// <summary>
/// One instance per session (instance id "flash-sale:{sessionId}"): sleeps until the session's end, then finalizes it
/// (shards closed, leftover stock back to the products). An edit of the window or an early end raises
/// <see cref="Changed"/>, which makes it read the schedule again. Deterministic: time from the context.
/// </summary>
public static class FlashSaleLifecycle
{
    public const string Name = "FlashSaleLifecycle";
    public const string ScheduleActivity = "FlashSaleSchedule";
    public const string FinalizeActivity = "FinalizeFlashSale";
    public const string Changed = "FlashSaleChanged";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static string InstanceId(string sessionId) => $"flash-sale:{sessionId}";

    public static async Task<string> RunAsync(TaskOrchestrationContext context, FlashSaleLifecycleInput input)
    {
        // Edits are few (before the start only); the bound keeps the history small whatever happens.
        for (var wake = 0; wake < 100; wake++)
        {
            var schedule = await context.CallActivityAsync<FlashSaleSchedule>(ScheduleActivity, input.SessionId, Retry);
            if (schedule.Finalized || schedule.EndsAtUtc is null) return "finalized";
            if (context.CurrentUtcDateTime >= schedule.EndsAtUtc.Value)
            {
                await context.CallActivityAsync<bool>(FinalizeActivity, input.SessionId, Retry);
                return "finalized";
            }
            using var cts = new CancellationTokenSource();
            var changed = context.WaitForExternalEvent<string>(Changed, cts.Token);
            var timer = context.CreateTimer(schedule.EndsAtUtc.Value, cts.Token);
            await Task.WhenAny(changed, timer);
            cts.Cancel();
        }
        return "gave up";
    }
}

/// <summary>The activities behind <see cref="FlashSaleLifecycle"/>; idempotent.</summary>
public sealed class FlashSaleLifecycleActivities(FlashSaleAdminService admin)
{
    public Task<FlashSaleSchedule> ScheduleAsync(string sessionId, CancellationToken ct) => admin.ScheduleAsync(sessionId, ct);

    public async Task<bool> FinalizeAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            await admin.FinalizeAsync(sessionId, ct);
        }
        catch (MiniShop.Domain.Common.NotFoundException)
        {
            // Deleted (a creation that rolled back): nothing to finalize.
        }
        return true;
    }
}
