using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>TransactionalBatch (atomic, all or nothing) and bulk mode (AllowBulkExecution).</summary>
public sealed class BatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestDoc?> TryReadAsync(Container c, string id, string pk)
    {
        try
        {
            return (await c.ReadItemAsync<TestDoc>(id, new PartitionKey(pk), cancellationToken: Ct)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [Fact]
    public async Task Atomic_batch_applies_every_operation()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("b-ok", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        string etag = (await c.CreateItemAsync(new TestDoc("order", "cart1") { Stock = 1 }, new PartitionKey("cart1"), cancellationToken: Ct)).ETag;
        await c.CreateItemAsync(new TestDoc("old-line", "cart1"), new PartitionKey("cart1"), cancellationToken: Ct);

        using TransactionalBatchResponse response = await c.CreateTransactionalBatch(new PartitionKey("cart1"))
            .CreateItem(new TestDoc("line1", "cart1") { Price = 5 })
            .UpsertItem(new TestDoc("line2", "cart1") { Price = 7 })
            .ReplaceItem("order", new TestDoc("order", "cart1") { Stock = 2, Status = "Placed" }, new TransactionalBatchItemRequestOptions { IfMatchEtag = etag })
            .PatchItem("order", [PatchOperation.Increment("/stock", 3)], new TransactionalBatchPatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.status = 'Placed'" })
            .ReadItem("line1")
            .DeleteItem("old-line")
            .ExecuteAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, response.ErrorMessage);
        Assert.Equal(
            [HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent],
            response.Select(r => r.StatusCode));
        Assert.Equal(5, response.GetOperationResultAtIndex<TestDoc>(4).Resource.Price);
        Assert.Equal(5, response.GetOperationResultAtIndex<TestDoc>(3).Resource.Stock);
        Assert.False(string.IsNullOrEmpty(response[2].ETag));
        Assert.Equal(5, (await TryReadAsync(c, "order", "cart1"))!.Stock);
        Assert.NotNull(await TryReadAsync(c, "line2", "cart1"));
        Assert.Null(await TryReadAsync(c, "old-line", "cart1"));
    }

    [Fact]
    public async Task A_duplicate_create_fails_the_batch_with_409_and_rolls_back_the_rest()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("b-409", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        await c.CreateItemAsync(new TestDoc("order", "cart1") { Stock = 1 }, new PartitionKey("cart1"), cancellationToken: Ct);

        using TransactionalBatchResponse response = await c.CreateTransactionalBatch(new PartitionKey("cart1"))
            .CreateItem(new TestDoc("line1", "cart1"))
            .PatchItem("order", [PatchOperation.Set("/stock", 99)])
            .CreateItem(new TestDoc("order", "cart1"))
            .UpsertItem(new TestDoc("line2", "cart1"))
            .ExecuteAsync(Ct);

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            [HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.Conflict, HttpStatusCode.FailedDependency],
            response.Select(r => r.StatusCode));
        Assert.Null(await TryReadAsync(c, "line1", "cart1"));
        Assert.Null(await TryReadAsync(c, "line2", "cart1"));
        Assert.Equal(1, (await TryReadAsync(c, "order", "cart1"))!.Stock);
    }

    [Fact]
    public async Task A_stale_etag_fails_the_batch_with_412_and_nothing_is_written()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("b-412", Ct);
        Container c = await db.CreateContainerAsync("orders", Ct);
        string stale = (await c.CreateItemAsync(new TestDoc("order", "cart1") { Stock = 1 }, new PartitionKey("cart1"), cancellationToken: Ct)).ETag;
        await c.UpsertItemAsync(new TestDoc("order", "cart1") { Stock = 2 }, new PartitionKey("cart1"), cancellationToken: Ct);

        using TransactionalBatchResponse response = await c.CreateTransactionalBatch(new PartitionKey("cart1"))
            .UpsertItem(new TestDoc("payment", "cart1"))
            .ReplaceItem("order", new TestDoc("order", "cart1") { Stock = 0 }, new TransactionalBatchItemRequestOptions { IfMatchEtag = stale })
            .ExecuteAsync(Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal([HttpStatusCode.FailedDependency, HttpStatusCode.PreconditionFailed], response.Select(r => r.StatusCode));
        Assert.Null(await TryReadAsync(c, "payment", "cart1"));
        Assert.Equal(2, (await TryReadAsync(c, "order", "cart1"))!.Stock);
    }

    [Fact]
    public async Task Bulk_mode_runs_many_concurrent_operations()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("b-bulk", Ct);
        await db.CreateContainerAsync("stock", Ct);
        Container bulk = CosmosTestEnvironment.BulkClient.GetContainer(db.Database.Id, "stock");

        ItemResponse<TestDoc>[] created = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            bulk.CreateItemAsync(new TestDoc($"sku{i}", $"shop{i % 7}") { Stock = i }, new PartitionKey($"shop{i % 7}"), cancellationToken: Ct)));
        Task<HttpStatusCode>[] mixed = Enumerable.Range(0, 300).Select(async i =>
        {
            var pk = new PartitionKey($"shop{i % 7}");
            try
            {
                return (i % 5) switch
                {
                    0 => (await bulk.CreateItemAsync(new TestDoc($"sku{i}", $"shop{i % 7}"), pk, cancellationToken: Ct)).StatusCode,
                    1 => (await bulk.ReadItemAsync<TestDoc>($"sku{i}", pk, cancellationToken: Ct)).StatusCode,
                    2 => (await bulk.PatchItemAsync<TestDoc>($"sku{i}", pk, [PatchOperation.Increment("/stock", 1000)], cancellationToken: Ct)).StatusCode,
                    3 => (await bulk.DeleteItemAsync<TestDoc>($"sku{i}", pk, cancellationToken: Ct)).StatusCode,
                    _ => (await bulk.UpsertItemAsync(new TestDoc($"sku{i}", $"shop{i % 7}") { Stock = -1 }, pk, cancellationToken: Ct)).StatusCode,
                };
            }
            catch (CosmosException ex)
            {
                return ex.StatusCode;
            }
        }).ToArray();
        HttpStatusCode[] statuses = await Task.WhenAll(mixed);

        Assert.All(created, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        for (int i = 0; i < 300; i++)
        {
            HttpStatusCode expected = (i % 5) switch
            {
                0 => HttpStatusCode.Conflict,
                1 or 2 => HttpStatusCode.OK,
                3 => HttpStatusCode.NoContent,
                _ => HttpStatusCode.OK,
            };
            Assert.Equal(expected, statuses[i]);
        }

        List<TestDoc> all = (await CosmosTestEnvironment.Client.GetContainer(db.Database.Id, "stock")
            .GetItemQueryIterator<TestDoc>("SELECT * FROM c").DrainAsync(Ct)).Items;
        Assert.Equal(240, all.Count);
        Assert.All(all.Where(d => int.Parse(d.Id[3..]) % 5 == 2), d => Assert.True(d.Stock >= 1000));
        Assert.All(all.Where(d => int.Parse(d.Id[3..]) % 5 == 4), d => Assert.Equal(-1, d.Stock));
    }
}
