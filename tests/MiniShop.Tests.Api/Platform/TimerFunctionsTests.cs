using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Functions.Http;
using MiniShop.LocalHost;

namespace MiniShop.Tests.Api.Platform;

/// <summary>The in-process host runs the app's timer functions like the Functions host: found, scheduled, bound.</summary>
public class TimerFunctionsTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<TimerFunction> Timers => TimerFunctions.Discover(typeof(HttpPipeline).Assembly, new ConfigurationBuilder().Build());

    [Fact]
    public void Every_timer_function_is_found_with_its_six_field_schedule()
    {
        Assert.Equal(["ReconcilePayments", "SweepFlashSales"], Timers.Select(t => t.Name));
        var at = new DateTime(2026, 11, 25, 12, 0, 30, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 11, 25, 12, 2, 0, DateTimeKind.Utc), Timers[0].Schedule.GetNextOccurrence(at));
        Assert.Equal(new DateTime(2026, 11, 25, 12, 5, 0, DateTimeKind.Utc), Timers[1].Schedule.GetNextOccurrence(at));
    }

    [Fact]
    public async Task Each_timer_function_runs_against_the_app_with_the_bindings_the_functions_host_gives()
    {
        var runner = ActivatorUtilities.CreateInstance<TimerFunctions>(host.Services);
        foreach (var timer in Timers) await runner.RunOnceAsync(timer, Ct);
    }
}
