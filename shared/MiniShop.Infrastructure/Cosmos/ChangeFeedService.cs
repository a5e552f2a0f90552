using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>
/// Runs change feed processors for as long as the app runs. They start in the background, retried with backoff, so the
/// app serves requests even while Cosmos DB is briefly unreachable at start-up; they stop with the app.
/// </summary>
public abstract class ChangeFeedService(ILogger log) : IHostedService, IAsyncDisposable
{
    private readonly List<ChangeFeedProcessor> _processors = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _starting;
    private int _disposed;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    protected ILogger Log { get; } = log;

    /// <summary>Distinguishes this process's lease ownership (several instances share the leases).</summary>
    public string InstanceName { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    /// <summary>What the logs call it, e.g. "the outbox relay".</summary>
    protected abstract string Description { get; }

    /// <summary>False leaves the processors off (a setting).</summary>
    protected abstract bool Enabled { get; }

    protected abstract IEnumerable<ChangeFeedProcessor> BuildProcessors();

    public Task StartAsync(CancellationToken ct)
    {
        if (!Enabled)
        {
            Log.LogInformation("{Service} is off", Description);
            return Task.CompletedTask;
        }
        _starting = Task.Run(() => StartProcessorsAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_starting is not null)
        {
            try { await _starting.WaitAsync(ct); }
            catch (OperationCanceledException) { }
        }
        foreach (var processor in _processors)
        {
            // A processor retrying against an unreachable Cosmos DB (e.g. Ctrl-C stopped the local server first) may not
            // stop on its own: the app's shutdown must not wait for it. Leases it still holds expire and move on.
            try { await processor.StopAsync().WaitAsync(StopTimeout, ct); }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException) { Log.LogWarning("{Service} did not stop in time; leaving it", Description); }
            catch (Exception e) { Log.LogWarning("Stopping {Service}: {Error}", Description, e.Message); }
        }
        _processors.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice (as itself and as the hosted service it is registered as).
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task StartProcessorsAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var processor in BuildProcessors())
                {
                    await processor.StartAsync();
                    _processors.Add(processor);
                }
                Log.LogInformation("{Service} started as {Instance}", Description, InstanceName);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                foreach (var p in _processors) await p.StopAsync();
                _processors.Clear();
                Log.LogWarning("{Service} could not start ({Error}); retrying in {Delay}", Description, e.Message, delay);
                try { await Task.Delay(delay, ct); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }
}
