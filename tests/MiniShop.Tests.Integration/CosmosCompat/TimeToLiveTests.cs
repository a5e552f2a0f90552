using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>Container DefaultTimeToLive and per-item ttl: expired items can no longer be read or queried.</summary>
public sealed class TimeToLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<bool> ExistsAsync(Container c, string id, string pk)
    {
        using ResponseMessage response = await c.ReadItemStreamAsync(id, new PartitionKey(pk), cancellationToken: Ct);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new InvalidOperationException($"unexpected status {response.StatusCode}"),
        };
    }

    private static async Task<List<string>> QueryIdsAsync(Container c) =>
        (await c.GetItemQueryIterator<string>("SELECT VALUE c.id FROM c").DrainAsync(Ct)).Items.Order(StringComparer.Ordinal).ToList();

    // _ts has a resolution of one second, so expiry is checked with a margin.
    private static Task WaitForExpiryAsync(int ttlSeconds) => Task.Delay(TimeSpan.FromSeconds(ttlSeconds + 1.2), Ct);

    [Fact]
    public async Task Default_ttl_expires_items_unless_the_item_overrides_it()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("ttl-default", Ct);
        Container c = await db.CreateContainerAsync(new ContainerProperties("sessions", "/pk") { DefaultTimeToLive = 2 }, Ct);
        await c.CreateItemAsync(new TestDoc("short", "p1"), new PartitionKey("p1"), cancellationToken: Ct);
        await c.CreateItemAsync(new TestDoc("forever", "p1") { Ttl = -1 }, new PartitionKey("p1"), cancellationToken: Ct);
        await c.CreateItemAsync(new TestDoc("longer", "p1") { Ttl = 3600 }, new PartitionKey("p1"), cancellationToken: Ct);

        Assert.True(await ExistsAsync(c, "short", "p1"));
        await WaitForExpiryAsync(2);

        Assert.False(await ExistsAsync(c, "short", "p1"));
        Assert.True(await ExistsAsync(c, "forever", "p1"));
        Assert.True(await ExistsAsync(c, "longer", "p1"));
        Assert.Equal(["forever", "longer"], await QueryIdsAsync(c));
        // The id is free again once the item has expired.
        await c.CreateItemAsync(new TestDoc("short", "p1"), new PartitionKey("p1"), cancellationToken: Ct);
    }

    [Fact]
    public async Task Per_item_ttl_applies_when_the_container_has_ttl_on_without_a_default()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("ttl-item", Ct);
        Container c = await db.CreateContainerAsync(new ContainerProperties("carts", "/pk") { DefaultTimeToLive = -1 }, Ct);
        await c.CreateItemAsync(new TestDoc("cart", "p1") { Ttl = 1 }, new PartitionKey("p1"), cancellationToken: Ct);
        await c.CreateItemAsync(new TestDoc("kept", "p1"), new PartitionKey("p1"), cancellationToken: Ct);

        await WaitForExpiryAsync(1);

        Assert.False(await ExistsAsync(c, "cart", "p1"));
        Assert.Equal(["kept"], await QueryIdsAsync(c));
        using FeedIterator<TestDoc> feed = c.GetChangeFeedIterator<TestDoc>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
        FeedResponse<TestDoc> changes = await feed.ReadNextAsync(Ct);
        Assert.Equal(["kept"], changes.Select(d => d.Id));
    }

    [Fact]
    public async Task Item_ttl_is_ignored_when_the_container_has_no_ttl()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("ttl-off", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        await c.CreateItemAsync(new TestDoc("order", "p1") { Ttl = 1 }, new PartitionKey("p1"), cancellationToken: Ct);

        await WaitForExpiryAsync(1);

        Assert.True(await ExistsAsync(c, "order", "p1"));
    }

    [Fact]
    public async Task A_write_restarts_the_ttl_clock()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("ttl-touch", Ct);
        Container c = await db.CreateContainerAsync(new ContainerProperties("sessions", "/pk") { DefaultTimeToLive = 4 }, Ct);
        await c.CreateItemAsync(new TestDoc("s", "p1"), new PartitionKey("p1"), cancellationToken: Ct);

        // With 1 s _ts resolution the create expires 3-4 s after it was written; touched after
        // 2 s, the item must still be there 4.5 s after the create, and gone after a full TTL.
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await c.PatchItemAsync<TestDoc>("s", new PartitionKey("p1"), [PatchOperation.Set("/status", "touched")], cancellationToken: Ct);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        bool aliveAfterTouch = await ExistsAsync(c, "s", "p1");
        await WaitForExpiryAsync(4);

        Assert.True(aliveAfterTouch);
        Assert.False(await ExistsAsync(c, "s", "p1"));
    }
}
