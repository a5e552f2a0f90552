using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>Point operations: read, delete, ReadMany, patch, optimistic concurrency, unique keys.</summary>
public sealed class ItemOperationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CosmosException> ThrowsCosmosAsync(HttpStatusCode expected, Func<Task> action)
    {
        CosmosException ex = await Assert.ThrowsAsync<CosmosException>(action);
        Assert.Equal(expected, ex.StatusCode);
        return ex;
    }

    [Fact]
    public async Task Reading_a_missing_item_is_404_and_create_conflict_is_409()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-read", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        await c.CreateItemAsync(new TestDoc("a", "p1") { Name = "Alpha" }, new PartitionKey("p1"), cancellationToken: Ct);

        TestDoc read = (await c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct)).Resource;
        await ThrowsCosmosAsync(HttpStatusCode.NotFound, () => c.ReadItemAsync<TestDoc>("missing", new PartitionKey("p1"), cancellationToken: Ct));
        await ThrowsCosmosAsync(HttpStatusCode.NotFound, () => c.ReadItemAsync<TestDoc>("a", new PartitionKey("other"), cancellationToken: Ct));
        await ThrowsCosmosAsync(HttpStatusCode.Conflict, () => c.CreateItemAsync(new TestDoc("a", "p1"), new PartitionKey("p1"), cancellationToken: Ct));
        using ResponseMessage stream = await c.ReadItemStreamAsync("missing", new PartitionKey("p1"), cancellationToken: Ct);
        string etag = (await c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct)).ETag;
        using ResponseMessage unchanged = await c.ReadItemStreamAsync("a", new PartitionKey("p1"), new ItemRequestOptions { IfNoneMatchEtag = etag }, Ct);

        Assert.Equal("Alpha", read.Name);
        Assert.Equal(HttpStatusCode.NotFound, stream.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
    }

    [Fact]
    public async Task Delete_removes_the_item_and_deleting_again_is_404()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-del", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        await c.CreateItemAsync(new TestDoc("a", "p1"), new PartitionKey("p1"), cancellationToken: Ct);

        ItemResponse<TestDoc> deleted = await c.DeleteItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ThrowsCosmosAsync(HttpStatusCode.NotFound, () => c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct));
        await ThrowsCosmosAsync(HttpStatusCode.NotFound, () => c.DeleteItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct));
        await c.CreateItemAsync(new TestDoc("a", "p1") { Name = "again" }, new PartitionKey("p1"), cancellationToken: Ct);
    }

    [Fact]
    public async Task Read_many_returns_the_existing_items_across_partitions()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-many", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        for (int i = 0; i < 6; i++)
        {
            await c.CreateItemAsync(new TestDoc($"d{i}", $"p{i % 2}") { Price = i }, new PartitionKey($"p{i % 2}"), cancellationToken: Ct);
        }

        FeedResponse<TestDoc> many = await c.ReadManyItemsAsync<TestDoc>(
            [("d0", new PartitionKey("p0")), ("d3", new PartitionKey("p1")), ("d4", new PartitionKey("p0")), ("d1", new PartitionKey("p0")), ("nope", new PartitionKey("p1"))],
            cancellationToken: Ct);

        // d1 lives in p1, so (d1, p0) does not exist; neither does "nope".
        Assert.Equal(["d0", "d3", "d4"], many.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Patch_set_increment_add_and_remove()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-patch", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        await c.CreateItemAsync(new TestDoc("a", "p1") { Stock = 5, Tags = ["x"], Note = "old" }, new PartitionKey("p1"), cancellationToken: Ct);

        TestDoc patched = (await c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"),
            [
                PatchOperation.Set("/status", "Active"),
                PatchOperation.Increment("/stock", -2),
                PatchOperation.Add("/tags/-", "y"),
                PatchOperation.Remove("/note"),
            ],
            cancellationToken: Ct)).Resource;
        TestDoc read = (await c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct)).Resource;

        Assert.Equal("Active", patched.Status);
        Assert.Equal(3, patched.Stock);
        Assert.Equal(["x", "y"], patched.Tags!);
        Assert.Null(patched.Note);
        Assert.Equal((patched.Status, patched.Stock, patched.Note), (read.Status, read.Stock, read.Note));
        Assert.Equal(["x", "y"], read.Tags!);
    }

    [Fact]
    public async Task Conditional_patch_keeps_the_case_of_string_literals()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-cond", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        await c.CreateItemAsync(new TestDoc("a", "p1") { Status = "Active", Stock = 1 }, new PartitionKey("p1"), cancellationToken: Ct);
        PatchOperation[] take = [PatchOperation.Increment("/stock", -1)];

        ItemResponse<TestDoc> ok = await c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"), take,
            new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.status = 'Active' AND c.stock > 0" }, Ct);
        await ThrowsCosmosAsync(HttpStatusCode.PreconditionFailed, () => c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"), take,
            new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.status = 'Active' AND c.stock > 0" }, Ct));
        await ThrowsCosmosAsync(HttpStatusCode.PreconditionFailed, () => c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"), take,
            new PatchItemRequestOptions { FilterPredicate = "from c where c.status = 'active'" }, Ct));

        Assert.Equal(0, ok.Resource.Stock);
        Assert.Equal(0, (await c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct)).Resource.Stock);
    }

    [Fact]
    public async Task If_match_etag_guards_replace_patch_and_delete()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-etag", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        string first = (await c.CreateItemAsync(new TestDoc("a", "p1") { Stock = 1 }, new PartitionKey("p1"), cancellationToken: Ct)).ETag;

        ItemResponse<TestDoc> replaced = await c.ReplaceItemAsync(new TestDoc("a", "p1") { Stock = 2 }, "a", new PartitionKey("p1"),
            new ItemRequestOptions { IfMatchEtag = first }, Ct);
        var stale = new ItemRequestOptions { IfMatchEtag = first };
        await ThrowsCosmosAsync(HttpStatusCode.PreconditionFailed, () => c.ReplaceItemAsync(new TestDoc("a", "p1") { Stock = 3 }, "a", new PartitionKey("p1"), stale, Ct));
        await ThrowsCosmosAsync(HttpStatusCode.PreconditionFailed, () => c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"),
            [PatchOperation.Set("/stock", 4)], new PatchItemRequestOptions { IfMatchEtag = first }, Ct));
        await ThrowsCosmosAsync(HttpStatusCode.PreconditionFailed, () => c.DeleteItemAsync<TestDoc>("a", new PartitionKey("p1"), stale, Ct));
        ItemResponse<TestDoc> patched = await c.PatchItemAsync<TestDoc>("a", new PartitionKey("p1"),
            [PatchOperation.Set("/stock", 5)], new PatchItemRequestOptions { IfMatchEtag = replaced.ETag }, Ct);
        await c.DeleteItemAsync<TestDoc>("a", new PartitionKey("p1"), new ItemRequestOptions { IfMatchEtag = patched.ETag }, Ct);

        Assert.NotEqual(first, replaced.ETag);
        Assert.NotEqual(replaced.ETag, patched.ETag);
        Assert.Equal(5, patched.Resource.Stock);
        await ThrowsCosmosAsync(HttpStatusCode.NotFound, () => c.ReadItemAsync<TestDoc>("a", new PartitionKey("p1"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Concurrent_buyers_with_conditional_patch_never_oversell()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-oversell", Ct);
        Container c = await db.CreateContainerAsync("items", Ct);
        await c.CreateItemAsync(new TestDoc("sku", "p1") { Stock = 30 }, new PartitionKey("p1"), cancellationToken: Ct);

        bool[] outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await c.PatchItemAsync<TestDoc>("sku", new PartitionKey("p1"), [PatchOperation.Increment("/stock", -1)],
                    new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.stock >= 1" }, Ct);
                return true;
            }
            catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
        }));

        Assert.Equal(30, outcomes.Count(o => o));
        Assert.Equal(0, (await c.ReadItemAsync<TestDoc>("sku", new PartitionKey("p1"), cancellationToken: Ct)).Resource.Stock);
    }

    [Fact]
    public async Task Unique_key_policy_rejects_duplicates_within_a_partition_only()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("i-unique", Ct);
        var properties = new ContainerProperties("users", "/pk")
        {
            UniqueKeyPolicy = new UniqueKeyPolicy { UniqueKeys = { new UniqueKey { Paths = { "/name" } } } },
        };
        Container c = await db.CreateContainerAsync(properties, Ct);
        await c.CreateItemAsync(new TestDoc("u1", "shop1") { Name = "alice" }, new PartitionKey("shop1"), cancellationToken: Ct);

        await ThrowsCosmosAsync(HttpStatusCode.Conflict, () => c.CreateItemAsync(new TestDoc("u2", "shop1") { Name = "alice" }, new PartitionKey("shop1"), cancellationToken: Ct));
        await c.CreateItemAsync(new TestDoc("u3", "shop2") { Name = "alice" }, new PartitionKey("shop2"), cancellationToken: Ct);
        await c.CreateItemAsync(new TestDoc("u4", "shop1") { Name = "bob" }, new PartitionKey("shop1"), cancellationToken: Ct);
        await ThrowsCosmosAsync(HttpStatusCode.Conflict, () => c.ReplaceItemAsync(new TestDoc("u4", "shop1") { Name = "alice" }, "u4", new PartitionKey("shop1"), cancellationToken: Ct));
        await c.DeleteItemAsync<TestDoc>("u1", new PartitionKey("shop1"), cancellationToken: Ct);
        await c.ReplaceItemAsync(new TestDoc("u4", "shop1") { Name = "alice" }, "u4", new PartitionKey("shop1"), cancellationToken: Ct);

        TestDoc u4 = (await c.ReadItemAsync<TestDoc>("u4", new PartitionKey("shop1"), cancellationToken: Ct)).Resource;
        Assert.Equal("alice", u4.Name);
    }
}
