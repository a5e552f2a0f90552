using Microsoft.Azure.Cosmos;
using Microsoft.Azure.Cosmos.Linq;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>SQL and LINQ queries as the .NET SDK sends them (query plan first, then the query).</summary>
public sealed class QueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 30 products over 3 partitions: price = 10 * i, category cycles a/b/c, every 5th has a note.
    private static async Task<Container> SeedAsync(TestDatabase db)
    {
        var properties = new ContainerProperties("products", "/pk");
        properties.IndexingPolicy.CompositeIndexes.Add(
        [
            new CompositePath { Path = "/category", Order = CompositePathSortOrder.Ascending },
            new CompositePath { Path = "/price", Order = CompositePathSortOrder.Descending },
        ]);
        Container container = await db.CreateContainerAsync(properties, Ct);
        for (int i = 0; i < 30; i++)
        {
            var doc = new TestDoc($"item-{i:D2}", $"p{i % 3}")
            {
                Name = i % 2 == 0 ? $"Green Tea {i}" : $"black coffee {i}",
                Category = ((char)('a' + (i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 2))).ToString(),
                Price = 10 * i,
                Stock = i % 4,
                Tags = i % 2 == 0 ? ["tea", "hot"] : ["coffee"],
                Note = i % 5 == 0 ? "promo" : null,
            };
            await container.CreateItemAsync(doc, new PartitionKey(doc.Pk), cancellationToken: Ct);
        }

        return container;
    }

    private static async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, string? partitionKey = null, int? maxItemCount = null)
    {
        var options = new QueryRequestOptions { MaxItemCount = maxItemCount };
        if (partitionKey is not null)
        {
            options.PartitionKey = new PartitionKey(partitionKey);
        }

        (List<T> items, _) = await container.GetItemQueryIterator<T>(query, requestOptions: options).DrainAsync(Ct);
        return items;
    }

    [Fact]
    public async Task Order_by_one_field_ascending_and_descending_within_a_partition()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-order", Ct);
        Container c = await SeedAsync(db);

        List<int> asc = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE c.price FROM c ORDER BY c.price ASC"), "p1");
        List<int> desc = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE c.price FROM c ORDER BY c.price DESC"), "p1");

        int[] expected = Enumerable.Range(0, 30).Where(i => i % 3 == 1).Select(i => 10 * i).ToArray();
        Assert.Equal(expected, asc);
        Assert.Equal(Enumerable.Reverse(expected), desc);
    }

    [Fact]
    public async Task Order_by_two_fields_uses_the_composite_index_across_partitions()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-order2", Ct);
        Container c = await SeedAsync(db);

        List<TestDoc> docs = await QueryAsync<TestDoc>(c, new QueryDefinition("SELECT * FROM c ORDER BY c.category ASC, c.price DESC"));
        List<TestDoc> reversed = await QueryAsync<TestDoc>(c, new QueryDefinition("SELECT * FROM c ORDER BY c.category DESC, c.price ASC"));

        Assert.Equal(30, docs.Count);
        Assert.Equal(docs.OrderBy(d => d.Category, StringComparer.Ordinal).ThenByDescending(d => d.Price).Select(d => d.Id), docs.Select(d => d.Id));
        Assert.Equal(docs.Select(d => d.Id).Reverse(), reversed.Select(d => d.Id));
    }

    [Fact]
    public async Task Top_offset_limit_and_distinct()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-top", Ct);
        Container c = await SeedAsync(db);

        List<int> top = await QueryAsync<int>(c, new QueryDefinition("SELECT TOP 3 VALUE c.price FROM c ORDER BY c.price DESC"));
        List<int> window = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE c.price FROM c ORDER BY c.price OFFSET 5 LIMIT 4"));
        List<int> windowParams = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE c.price FROM c ORDER BY c.price OFFSET @skip LIMIT @take")
            .WithParameter("@skip", 28).WithParameter("@take", 10));
        List<string> categories = await QueryAsync<string>(c, new QueryDefinition("SELECT DISTINCT VALUE c.category FROM c ORDER BY c.category"));

        Assert.Equal([290, 280, 270], top);
        Assert.Equal([50, 60, 70, 80], window);
        Assert.Equal([280, 290], windowParams);
        Assert.Equal(["a", "b", "c"], categories);
    }

    [Fact]
    public async Task Count_and_simple_aggregates()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-agg", Ct);
        Container c = await SeedAsync(db);

        List<int> all = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE COUNT(1) FROM c"));
        List<int> inPartition = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), "p2");
        List<int> sum = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE SUM(c.price) FROM c WHERE c.category = 'a'"));
        List<int> min = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE MIN(c.price) FROM c WHERE c.price > 100"));
        List<int> max = await QueryAsync<int>(c, new QueryDefinition("SELECT VALUE MAX(c.price) FROM c"), "p0");
        List<double> avg = await QueryAsync<double>(c, new QueryDefinition("SELECT VALUE AVG(c.stock) FROM c"));

        Assert.Equal([30], all);
        Assert.Equal([10], inPartition);
        Assert.Equal([Enumerable.Range(0, 30).Where(i => i % 3 == 0).Sum(i => 10 * i)], sum);
        Assert.Equal([110], min);
        Assert.Equal([270], max);
        Assert.Equal(Enumerable.Range(0, 30).Average(i => i % 4), Assert.Single(avg), 6);
    }

    [Fact]
    public async Task Parameters_and_builtin_functions()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-func", Ct);
        Container c = await SeedAsync(db);

        List<string> byParam = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.price >= @min AND c.category = @cat ORDER BY c.price")
            .WithParameter("@min", 200).WithParameter("@cat", "c"));
        List<string> arrayContains = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.tags, @tag)").WithParameter("@tag", "coffee"));
        List<string> containsExact = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE CONTAINS(c.name, 'tea')"));
        List<string> containsIgnoreCase = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE CONTAINS(c.name, 'tea', true)"));
        List<string> startsWith = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE STARTSWITH(c.name, 'BLACK', true)"));
        List<string> startsWithExact = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE STARTSWITH(c.name, 'BLACK')"));
        List<string> defined = await QueryAsync<string>(c, new QueryDefinition("SELECT VALUE c.id FROM c WHERE IS_DEFINED(c.note)"));

        Assert.Equal(["item-20", "item-23", "item-26", "item-29"], byParam);
        Assert.Equal(15, arrayContains.Count);
        Assert.Empty(containsExact);
        Assert.Equal(15, containsIgnoreCase.Count);
        Assert.Equal(15, startsWith.Count);
        Assert.Empty(startsWithExact);
        Assert.Equal(["item-00", "item-05", "item-10", "item-15", "item-20", "item-25"], defined.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Partition_key_scopes_a_query_and_no_partition_key_queries_all_partitions()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-scope", Ct);
        Container c = await SeedAsync(db);
        var query = new QueryDefinition("SELECT VALUE c.pk FROM c");

        List<string> scoped = await QueryAsync<string>(c, query, "p0");
        List<string> crossPartition = await QueryAsync<string>(c, query);

        Assert.Equal(10, scoped.Count);
        Assert.All(scoped, pk => Assert.Equal("p0", pk));
        Assert.Equal(30, crossPartition.Count);
        Assert.Equal(["p0", "p1", "p2"], crossPartition.Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SELECT * FROM c", null)]
    [InlineData("SELECT * FROM c", "p1")]
    [InlineData("SELECT * FROM c ORDER BY c.price DESC", null)]
    [InlineData("SELECT * FROM c WHERE c.price >= 50 ORDER BY c.name", null)]
    public async Task Continuation_paging_returns_every_item_exactly_once(string sql, string? partitionKey)
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-page", Ct);
        Container c = await SeedAsync(db);
        List<TestDoc> expected = await QueryAsync<TestDoc>(c, new QueryDefinition(sql), partitionKey);

        var options = new QueryRequestOptions { MaxItemCount = 4, PartitionKey = partitionKey is null ? null : new PartitionKey(partitionKey) };
        (List<TestDoc> paged, int pages) = await c.GetItemQueryIterator<TestDoc>(new QueryDefinition(sql), requestOptions: options).DrainAsync(Ct);

        // Resume from a continuation token, as an API handing out "next page" tokens would.
        var resumed = new List<TestDoc>();
        string? token = null;
        do
        {
            using FeedIterator<TestDoc> iterator = c.GetItemQueryIterator<TestDoc>(new QueryDefinition(sql), token, options);
            FeedResponse<TestDoc> response = await iterator.ReadNextAsync(Ct);
            resumed.AddRange(response);
            token = response.ContinuationToken;
        }
        while (token is not null);

        Assert.True(expected.Count > 4);
        Assert.True(pages >= (int)Math.Ceiling(expected.Count / 4.0), $"expected several pages, got {pages}");
        Assert.Equal(expected.Select(d => d.Id), paged.Select(d => d.Id));
        Assert.Equal(expected.Select(d => d.Id), resumed.Select(d => d.Id));
        Assert.Equal(paged.Count, paged.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public async Task Read_feed_without_a_query_pages_through_all_items()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-readfeed", Ct);
        Container c = await SeedAsync(db);

        (List<TestDoc> all, int pages) = await c.GetItemQueryIterator<TestDoc>(queryText: null, requestOptions: new QueryRequestOptions { MaxItemCount = 7 }).DrainAsync(Ct);
        (List<TestDoc> partition, _) = await c.GetItemQueryIterator<TestDoc>(queryText: null,
            requestOptions: new QueryRequestOptions { MaxItemCount = 7, PartitionKey = new PartitionKey("p2") }).DrainAsync(Ct);

        Assert.Equal(30, all.Select(d => d.Id).Distinct().Count());
        Assert.Equal(30, all.Count);
        Assert.True(pages >= 5, $"expected several pages, got {pages}");
        Assert.Equal(10, partition.Count);
        Assert.All(partition, d => Assert.Equal("p2", d.Pk));
    }

    [Fact]
    public async Task Linq_where_order_by_take_skip_and_count()
    {
        await using TestDatabase db = await CosmosTestEnvironment.CreateDatabaseAsync("q-linq", Ct);
        Container c = await SeedAsync(db);

        IOrderedQueryable<TestDoc> products = c.GetItemLinqQueryable<TestDoc>();
        (List<TestDoc> cheapTea, _) = await products
            .Where(p => p.Category == "a" && p.Tags!.Contains("tea"))
            .OrderByDescending(p => p.Price)
            .Take(2)
            .ToFeedIterator()
            .DrainAsync(Ct);
        (List<string> page, _) = await products
            .Where(p => p.Price >= 100)
            .OrderBy(p => p.Price)
            .Skip(2)
            .Take(3)
            .Select(p => p.Id)
            .ToFeedIterator()
            .DrainAsync(Ct);
        (List<TestDoc> ignoreCase, _) = await c.GetItemLinqQueryable<TestDoc>(requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("p0") })
            .Where(p => p.Name!.StartsWith("green", StringComparison.OrdinalIgnoreCase))
            .ToFeedIterator()
            .DrainAsync(Ct);
        Response<int> count = await products.Where(p => p.Stock == 0).CountAsync(Ct);

        Assert.Equal(["item-24", "item-18"], cheapTea.Select(p => p.Id));
        Assert.Equal(["item-12", "item-13", "item-14"], page);
        Assert.Equal(5, ignoreCase.Count);
        Assert.All(ignoreCase, p => Assert.Equal("p0", p.Pk));
        Assert.Equal(Enumerable.Range(0, 30).Count(i => i % 4 == 0), count.Resource);
    }
}
