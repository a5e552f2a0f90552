using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Api.Orders;

namespace MiniShop.Tests.Api.GroupBuys;

/// <summary>The calls group-buy tests make: an operator creating activities, shoppers previewing, opening, joining and paying.</summary>
public sealed class GroupBuyDriver(LifecycleHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record Activity(string Id, string[] SkuIds, long[] ListPrices, long[] GroupPrices);

    public async Task<JsonElement> ProductAsync(string productId) => await Json.ReadAsync(await host.Api.Client().GetAsync($"catalog/products/{productId}", Ct), 200);

    public async Task<long> AvailableAsync(string productId, int skuIndex) => (await ProductAsync(productId)).GetProperty("skus")[skuIndex].GetProperty("stock").GetInt64();

    public static object Draft(JsonElement product, int[] skuIndexes, long off, int size, int seconds, int limit = 5, int? virtualMax = null,
        long leaderDiscount = 0, DateTimeOffset? startsAt = null, string shopId = DemoShopSeeder.ShopId)
        => new
        {
            shopId, name = "拼团测试", productId = product.GetProperty("id").GetString(),
            skus = skuIndexes.Select(i => new
            {
                skuId = product.GetProperty("skus")[i].GetProperty("id").GetString(),
                groupPriceFen = product.GetProperty("skus")[i].GetProperty("listPriceFen").GetInt64() - off,
            }).ToArray(),
            groupSize = size, groupDurationSeconds = seconds, perMemberLimit = limit,
            startsAt = startsAt ?? DateTimeOffset.UtcNow.AddMinutes(-1), endsAt = DateTimeOffset.UtcNow.AddHours(2),
            virtualSuccessMaxMissing = virtualMax, leaderDiscountFen = leaderDiscount,
        };

    /// <summary>Creates an activity on some SKUs of a product (group price = list price - <paramref name="off"/>).</summary>
    public async Task<Activity> CreateAsync(string productId, int[] skuIndexes, long off, int size, int seconds, int limit = 5, int? virtualMax = null, long leaderDiscount = 0)
    {
        var product = await ProductAsync(productId);
        var admin = host.Api.Client(await host.Api.AdminTokenAsync());
        var created = await Json.ReadAsync(await admin.PostAsJsonAsync("admin/group-buys", Draft(product, skuIndexes, off, size, seconds, limit, virtualMax, leaderDiscount), Ct), 201);
        var skus = skuIndexes.Select(i => product.GetProperty("skus")[i]).ToArray();
        return new Activity(created.GetProperty("id").GetString()!, skus.Select(s => s.GetProperty("id").GetString()!).ToArray(),
            skus.Select(s => s.GetProperty("listPriceFen").GetInt64()).ToArray(), skus.Select(s => s.GetProperty("listPriceFen").GetInt64() - off).ToArray());
    }

    public async Task<JsonElement> PreviewAsync(Shopper s, string activityId, string skuId, int quantity, string? groupId)
        => await Json.ReadAsync(await s.Client.PostAsJsonAsync($"group-buys/{activityId}/preview", new { skuId, quantity, addressId = s.AddressId, groupId }, Ct), 200);

    public static async Task<HttpResponseMessage> PostAsync(Shopper s, string path, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await s.Client.SendAsync(request, Ct);
    }

    /// <summary>Previews, then opens a group; returns the response (201 expected by callers that read it).</summary>
    public async Task<HttpResponseMessage> OpenAsync(Shopper s, Activity a, int sku = 0, int quantity = 1, string? key = null)
    {
        var preview = await PreviewAsync(s, a.Id, a.SkuIds[sku], quantity, null);
        return await PostAsync(s, $"group-buys/{a.Id}/groups", new
        {
            skuId = a.SkuIds[sku], quantity, addressId = s.AddressId, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64(),
        }, key ?? Guid.NewGuid().ToString("N"));
    }

    public async Task<HttpResponseMessage> JoinAsync(Shopper s, Activity a, string groupId, int sku = 0, int quantity = 1, long? expectedPayableFen = null, string? key = null)
    {
        var expected = expectedPayableFen ?? (await PreviewAsync(s, a.Id, a.SkuIds[sku], quantity, groupId)).GetProperty("totals").GetProperty("payableFen").GetInt64();
        return await PostAsync(s, $"group-buys/groups/{groupId}/join", new { skuId = a.SkuIds[sku], quantity, addressId = s.AddressId, expectedPayableFen = expected },
            key ?? Guid.NewGuid().ToString("N"));
    }

    /// <summary>Opens (or joins) and pays through the sandbox; returns the placed result.</summary>
    public async Task<JsonElement> PaidAsync(Shopper s, Task<HttpResponseMessage> placing)
    {
        var placed = await Json.ReadAsync(await placing, 201);
        Assert.Equal(204, await host.PayAsync(s, placed.GetProperty("paymentOrderId").GetString()!));
        return placed;
    }

    public async Task<JsonElement> GroupAsync(string groupId) => await Json.ReadAsync(await host.Api.Client().GetAsync($"group-buys/groups/{groupId}", Ct), 200);

    public static async Task<JsonElement> OrderAsync(Shopper s, string orderId) => await Json.ReadAsync(await s.Client.GetAsync($"orders/{orderId}", Ct), 200);

    public static async Task<JsonElement[]> RefundsAsync(Shopper s, string orderId)
        => (await Json.ReadAsync(await s.Client.GetAsync($"orders/{orderId}/refunds", Ct), 200)).GetProperty("items").EnumerateArray().ToArray();

    public async Task<JsonElement> ResultsAsync(string activityId)
        => await Json.ReadAsync(await host.Api.Client(await host.Api.AdminTokenAsync()).GetAsync($"admin/group-buys/{activityId}/results", Ct), 200);

    /// <summary>The outbox events (ERP/WMS) written for an order, by type.</summary>
    public async Task<string[]> OutboxEventTypesAsync(string orderId)
    {
        var db = host.Services.GetRequiredService<MiniShop.Infrastructure.Cosmos.CosmosDb>();
        var query = new Microsoft.Azure.Cosmos.QueryDefinition("SELECT * FROM c WHERE c.type = 'outbox' AND c.aggregateId = @id").WithParameter("@id", orderId);
        var events = await MiniShop.Infrastructure.Cosmos.CosmosExtensions.QueryAsync<MiniShop.Infrastructure.Sync.OutboxEvent>(
            db.Container(MiniShop.Infrastructure.Cosmos.CosmosSchema.Members), query, null, ct: Ct);
        return events.Select(e => e.EventType).Order().ToArray();
    }

    /// <summary>Waits until the Durable instance has completed; returns its serialized output.</summary>
    public async Task<string?> CompletedOutputAsync(string instanceId, int seconds = 30)
    {
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        OrchestrationMetadata? instance;
        do
        {
            instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, Ct);
            if (instance?.RuntimeStatus == OrchestrationRuntimeStatus.Completed) return instance.SerializedOutput;
            await Task.Delay(250, Ct);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Instance {instanceId} is {instance?.RuntimeStatus.ToString() ?? "missing"} after {seconds}s");
        return null;
    }

    /// <summary>A well-formed group id of the activity, for a joiner's preview before the group exists.</summary>
    public static string AnyGroup(Activity a) => $"{a.Id}-0000000000000000";

    public static string OrderIdOf(JsonElement placed) => placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;

    public static string Status(JsonElement e) => e.GetProperty("status").GetString()!;
}
