using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using NCrontab;

namespace MiniShop.LocalHost;

/// <summary>A timer-triggered function of the app and its schedule.</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, CrontabSchedule Schedule);

/// <summary>
/// Runs the app's timer-triggered functions on their schedules, as the Functions host does (payment reconciliation,
/// the flash-sale sweep), so a local run behaves like a deployment. Binds the TimerInfo, the Durable client and the
/// stopping token; a run that throws is logged and the next occurrence comes as usual. Not started for API tests
/// (their hosts leave <see cref="LocalHostOptions.RunTimers"/> off), which call what they need directly.
/// </summary>
public sealed class TimerFunctions(IServiceProvider services, IConfiguration config, TimeProvider time, ILogger<TimerFunctions> log) : BackgroundService
{
    public static IReadOnlyList<TimerFunction> Discover(Assembly functionsAssembly, IConfiguration config)
        => functionsAssembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters()
                .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => new TimerFunction(x.Function!.Name, x.Method, CrontabSchedule.Parse(Resolve(x.Trigger!.Schedule, config),
                new CrontabSchedule.ParseOptions { IncludingSeconds = true })))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Runs one timer function now, with the bindings the Functions host would give it.</summary>
    public async Task RunOnceAsync(TimerFunction f, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var target = f.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, f.Method.DeclaringType!);
        var arguments = f.Method.GetParameters().Select(object? (p) => p.ParameterType switch
        {
            var t when t == typeof(TimerInfo) => new TimerInfo(),
            var t when t == typeof(DurableTaskClient) => scope.ServiceProvider.GetRequiredService<DurableTaskClient>(),
            var t when t == typeof(CancellationToken) => ct,
            _ => throw new NotSupportedException($"{f.Name}: the local host cannot bind parameter '{p.Name}' ({p.ParameterType.Name})."),
        }).ToArray();
        if (f.Method.Invoke(target, arguments) is Task task) await task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Discover(typeof(MiniShop.Functions.Http.HttpPipeline).Assembly, config).Select(f => LoopAsync(f, stoppingToken)));

    private async Task LoopAsync(TimerFunction f, CancellationToken ct)
    {
        log.LogInformation("Timer function {Function} runs on '{Schedule}'", f.Name, f.Schedule);
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = f.Schedule.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, time, ct);
                await RunOnceAsync(f, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Timer function {Function} failed; it runs again at its next occurrence", f.Name);
            }
        }
    }

    // A schedule may name an app setting: "%Name%", as the Functions host allows.
    private static string Resolve(string schedule, IConfiguration config)
        => schedule.StartsWith('%') && schedule.EndsWith('%') ? config[schedule.Trim('%')] ?? throw new InvalidOperationException($"No setting {schedule}") : schedule;
}
