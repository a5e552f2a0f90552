using System.Collections.Concurrent;
using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>Change feed: the pull-model iterator and the ChangeFeedProcessor with a lease container.</summary>
public sealed class ChangeFeedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Reads until the feed reports "not modified"; returns the items and the last continuation.</summary>
    private static async Task<(List<TestDoc> Items, string Continuation, int Pages)> ReadToEndAsync(FeedIterator<TestDoc> iterator)
    {
        var items = new List<TestDoc>();
        int pages = 0;
        while (true)
        {
            FeedResponse<TestDoc> response = await iterator.ReadNextAsync(Ct);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return (items, response.ContinuationToken, pages);
            }

            pages++;
            items.AddRange(response);
        }
    }

    private static Task CreateAsync(Container c, TestDoc doc) => c.CreateItemAsync(doc, new PartitionKey(doc.Pk), cancellationToken: Ct);

    [Fact]
    public async Task From_beginning_returns_the_latest_version_of_each_item_in_pages()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("cf-begin", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        for (int i = 0; i < 5; i++)
        {
            await CreateAsync(c, new TestDoc($"o{i}", $"p{i % 2}") { Stock = i });
        }

        await c.UpsertItemAsync(new TestDoc("o1", "p1") { Stock = 100 }, new PartitionKey("p1"), cancellationToken: Ct);

        using FeedIterator<TestDoc> iterator = c.GetChangeFeedIterator<TestDoc>(
            ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = 2 });
        (List<TestDoc> items, _, int pages) = await ReadToEndAsync(iterator);

        Assert.Equal(["o0", "o2", "o3", "o4", "o1"], items.Select(d => d.Id));
        Assert.Equal(100, items.Single(d => d.Id == "o1").Stock);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task From_now_sees_only_later_changes_and_a_continuation_resumes_in_a_new_iterator()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("cf-now", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        await CreateAsync(c, new TestDoc("before", "p1"));

        using FeedIterator<TestDoc> iterator = c.GetChangeFeedIterator<TestDoc>(ChangeFeedStartFrom.Now(), ChangeFeedMode.LatestVersion);
        (List<TestDoc> initial, string afterStart, _) = await ReadToEndAsync(iterator);
        await CreateAsync(c, new TestDoc("after1", "p1"));
        await CreateAsync(c, new TestDoc("after2", "p2"));
        await c.UpsertItemAsync(new TestDoc("before", "p1") { Stock = 7 }, new PartitionKey("p1"), cancellationToken: Ct);
        (List<TestDoc> changes, string afterChanges, _) = await ReadToEndAsync(iterator);

        await CreateAsync(c, new TestDoc("later", "p2"));
        using FeedIterator<TestDoc> resumed = c.GetChangeFeedIterator<TestDoc>(ChangeFeedStartFrom.ContinuationToken(afterChanges), ChangeFeedMode.LatestVersion);
        (List<TestDoc> resumedItems, _, _) = await ReadToEndAsync(resumed);
        using FeedIterator<TestDoc> replay = c.GetChangeFeedIterator<TestDoc>(ChangeFeedStartFrom.ContinuationToken(afterStart), ChangeFeedMode.LatestVersion);
        (List<TestDoc> replayed, _, _) = await ReadToEndAsync(replay);

        Assert.Empty(initial);
        Assert.Equal(["after1", "after2", "before"], changes.Select(d => d.Id));
        Assert.Equal(7, changes.Single(d => d.Id == "before").Stock);
        Assert.Equal(["later"], resumedItems.Select(d => d.Id));
        Assert.Equal(["after1", "after2", "before", "later"], replayed.Select(d => d.Id));
    }

    [Fact]
    public async Task Feed_range_of_one_partition_key_sees_only_that_partition()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("cf-pk", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        for (int i = 0; i < 6; i++)
        {
            await CreateAsync(c, new TestDoc($"o{i}", $"p{i % 3}"));
        }

        using FeedIterator<TestDoc> iterator = c.GetChangeFeedIterator<TestDoc>(
            ChangeFeedStartFrom.Beginning(FeedRange.FromPartitionKey(new PartitionKey("p2"))), ChangeFeedMode.LatestVersion);
        (List<TestDoc> items, _, _) = await ReadToEndAsync(iterator);

        Assert.Equal(["o2", "o5"], items.Select(d => d.Id));
    }

    [Fact]
    public async Task Processor_with_a_lease_container_sees_inserts_and_updates()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("cf-proc", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        Container leases = await db.CreateContainerAsync("leases", Ct, "/id");
        var seen = new ConcurrentQueue<TestDoc>();
        ChangeFeedProcessor processor = c
            .GetChangeFeedProcessorBuilder<TestDoc>("orders-projection", (IReadOnlyCollection<TestDoc> changes, CancellationToken _) =>
            {
                foreach (TestDoc doc in changes)
                {
                    seen.Enqueue(doc);
                }

                return Task.CompletedTask;
            })
            .WithInstanceName("test-host")
            .WithLeaseContainer(leases)
            .WithStartTime(DateTime.UtcNow.AddMinutes(-1))
            .WithPollInterval(TimeSpan.FromMilliseconds(100))
            .Build();

        await CreateAsync(c, new TestDoc("o1", "p1") { Status = "Created" });
        await processor.StartAsync();
        try
        {
            await CreateAsync(c, new TestDoc("o2", "p2") { Status = "Created" });
            await WaitUntilAsync(() => seen.Any(d => d.Id == "o2"));
            await c.PatchItemAsync<TestDoc>("o1", new PartitionKey("p1"), [PatchOperation.Set("/status", "Paid")], cancellationToken: Ct);
            await WaitUntilAsync(() => seen.Any(d => d.Id == "o1" && d.Status == "Paid"));
        }
        finally
        {
            await processor.StopAsync();
        }

        Assert.Contains(seen, d => d.Id == "o1" && d.Status == "Created");
        Assert.Contains(seen, d => d.Id == "o2" && d.Status == "Created");
        Assert.Contains(seen, d => d.Id == "o1" && d.Status == "Paid");
        int leaseCount = (await leases.GetItemQueryIterator<object>("SELECT * FROM c").DrainAsync(Ct)).Items.Count;
        Assert.True(leaseCount >= 1, "the processor keeps its leases in the lease container");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the change feed processor");
            await Task.Delay(50, Ct);
        }
    }
}
