using System.Diagnostics;

namespace MiniShop.Bench;

/// <summary>What one side of a cell gave: latencies of every successful call in its windows, and the windows' length.</summary>
/// <param name="WindowSpread">How much req/s varied between the side's windows: fastest ÷ slowest − 1 (0 = steady).</param>
public sealed record CellResult(int Clients, long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, double MeanMs, double WindowSpread)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed-loop load generator: <c>clients</c> workers each call the operation back to back (a new call as soon as
/// the previous one returns) until the window ends. Every call is timed with <see cref="Stopwatch"/>; a call that
/// throws counts as an error and is not timed.
/// </summary>
public static class LoadLoop
{
    /// <summary>
    /// Measures two ways of making the same call, A and B, at the same concurrency: a warm-up of each, then
    /// <paramref name="rounds"/> pairs of windows that alternate which side goes first (A B, B A, A B, ...), so that
    /// a change in the machine's background load during the cell weighs on both sides alike.
    /// </summary>
    public static async Task<(CellResult A, CellResult B)> CompareAsync(
        int clients, TimeSpan warmUp, TimeSpan duration, int rounds, Func<int, Random, Task> a, Func<int, Random, Task> b)
    {
        // Warm-up at the same concurrency: JIT tiers up, connection pools fill to the size this cell needs.
        await WindowAsync(clients, warmUp, a);
        await WindowAsync(clients, warmUp, b);
        var slice = duration / rounds;
        var windowsA = new List<Window>();
        var windowsB = new List<Window>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                windowsA.Add(await WindowAsync(clients, slice, a));
                windowsB.Add(await WindowAsync(clients, slice, b));
            }
            else
            {
                windowsB.Add(await WindowAsync(clients, slice, b));
                windowsA.Add(await WindowAsync(clients, slice, a));
            }
        }
        return (Summarize(clients, windowsA), Summarize(clients, windowsB));
    }

    private sealed record Window(long[] Latencies, long Errors, TimeSpan Elapsed);

    private static CellResult Summarize(int clients, List<Window> windows)
    {
        var all = windows.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(all);
        var elapsed = TimeSpan.FromTicks(windows.Sum(w => w.Elapsed.Ticks));
        double Ms(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        var rates = windows.Select(w => w.Latencies.Length / w.Elapsed.TotalSeconds).ToList();
        return new CellResult(clients, all.Length, windows.Sum(w => w.Errors), elapsed,
            all.Length == 0 ? double.NaN : Ms(Percentile(all, 0.50)),
            all.Length == 0 ? double.NaN : Ms(Percentile(all, 0.99)),
            all.Length == 0 ? double.NaN : Ms(all.Average()),
            rates.Min() > 0 ? rates.Max() / rates.Min() - 1 : double.NaN);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Percentile(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<Window> WindowAsync(int clients, TimeSpan window, Func<int, Random, Task> operation)
    {
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(capacity: 8_192)).ToArray();
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
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  call failed: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        // The window ends when the last in-flight call returns, so every counted call lies inside it.
        return new Window(latencies.SelectMany(l => l).ToArray(), errors, Stopwatch.GetElapsedTime(started));
    }
}
