using System.Diagnostics;

namespace MiniShop.Bench;

/// <summary>What one measured cell gave: latencies of every successful call in the window, and the window's length.</summary>
public sealed record CellResult(int Clients, long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, double MeanMs)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed-loop load generator: <c>clients</c> workers each call the operation back to back (a new call as soon as
/// the previous one returns) for a warm-up, then for the measured window. Every call in the window is timed with
/// <see cref="Stopwatch"/>; a call that throws counts as an error and is not timed.
/// </summary>
public static class LoadLoop
{
    /// <param name="operation">One call; gets the worker's index and its own <see cref="Random"/>.</param>
    public static async Task<CellResult> RunAsync(int clients, TimeSpan warmUp, TimeSpan duration, Func<int, Random, Task> operation)
    {
        // Warm-up at the same concurrency: JIT tiers up, connection pools fill to the size this cell needs.
        await RunWindowAsync(clients, warmUp, operation, record: false);
        var (latencies, errors, elapsed) = await RunWindowAsync(clients, duration, operation, record: true);

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        return new CellResult(clients, all.Length, errors, elapsed,
            all.Length == 0 ? double.NaN : Ms(Percentile(all, 0.50)),
            all.Length == 0 ? double.NaN : Ms(Percentile(all, 0.99)),
            all.Length == 0 ? double.NaN : Ms((long)all.Average()));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Percentile(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<(List<long>[] Latencies, long Errors, TimeSpan Elapsed)> RunWindowAsync(
        int clients, TimeSpan window, Func<int, Random, Task> operation, bool record)
    {
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(capacity: 16_384)).ToArray();
        long errors = 0;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(window.TotalSeconds * Stopwatch.Frequency);

        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker * 7919 + 17);
            var mine = latencies[worker];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await operation(worker, random);
                    if (record) mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  call failed: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        // The window ends when the last in-flight call returns, so every counted call lies inside it.
        return (latencies, errors, Stopwatch.GetElapsedTime(started));
    }
}
