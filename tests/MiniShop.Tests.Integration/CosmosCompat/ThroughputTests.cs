using System.Diagnostics;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>
/// Point-read throughput through the SDK. It reports numbers (visible with the runner's live
/// output) and only checks a low floor: the suite runs test classes in parallel on a small machine.
/// </summary>
public sealed class ThroughputTests
{
    private const int Items = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Point_reads_sequential_and_32_concurrent()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("perf", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        for (int i = 0; i < Items; i++)
        {
            await c.CreateItemAsync(new TestDoc($"i{i}", $"p{i % 10}") { Name = "item", Price = i }, new PartitionKey($"p{i % 10}"), cancellationToken: Ct);
        }

        Task ReadAsync(int n) => c.ReadItemAsync<TestDoc>($"i{n % Items}", new PartitionKey($"p{n % Items % 10}"), cancellationToken: Ct);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(ReadAsync)); // warm up connections
        const int sequentialReads = 1000;
        var watch = Stopwatch.StartNew();
        for (int n = 0; n < sequentialReads; n++)
        {
            await ReadAsync(n);
        }

        double sequential = sequentialReads / watch.Elapsed.TotalSeconds;

        const int workers = 32;
        const int readsPerWorker = 100;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (int n = 0; n < readsPerWorker; n++)
            {
                await ReadAsync((w * readsPerWorker) + n);
            }
        }));
        double concurrent = workers * readsPerWorker / watch.Elapsed.TotalSeconds;

        TestContext.Current.TestOutputHelper?.WriteLine($"point reads: {sequential:F0} ops/s sequential, {concurrent:F0} ops/s with {workers} concurrent callers");
        Assert.True(sequential > 50, $"sequential point reads: {sequential:F0} ops/s");
        Assert.True(concurrent > 50, $"concurrent point reads: {concurrent:F0} ops/s");
    }
}
