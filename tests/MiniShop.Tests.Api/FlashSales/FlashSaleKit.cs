using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Domain.FlashSales;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.FlashSales;

/// <summary>A shop with one published product, a flash-sale session over HTTP, and the calls the flash-sale tests make.</summary>
public sealed class FlashSaleKit(ApiHost host, string adminToken, string shopId, string productId, IReadOnlyList<string> skuIds)
{
    public string ShopId { get; } = shopId;

    public string ProductId { get; } = productId;

    public IReadOnlyList<string> SkuIds { get; } = skuIds;

    public HttpClient Admin => host.Client(adminToken);

    /// <summary>A new shop and a published product with <paramref name="skus"/> SKUs of <paramref name="stock"/> units each at 199.00.</summary>
    public static async Task<FlashSaleKit> CreateAsync(ApiHost host, long stock, int skus = 1)
    {
        var admin = await host.AdminTokenAsync();
        var client = host.Client(admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var shop = await Json.ReadAsync(await client.PostAsJsonAsync("admin/shops", new { name = $"Flash {tag}" }), 201);
        var shopId = shop.GetProperty("id").GetString()!;
        var colours = new[] { "红", "蓝", "绿" }.Take(skus).ToArray();
        var product = await Json.ReadAsync(await client.PostAsJsonAsync("admin/products", new
        {
            shopId, title = "秒杀卫衣", categoryIds = new[] { "tops" }, media = new[] { new { kind = "image", url = "https://img.example.com/f.jpg" } },
            specs = skus == 1 ? Array.Empty<object>() : [new { name = "颜色", values = colours }],
            skus = Enumerable.Range(0, skus).Select(i => new
            {
                specValues = skus == 1 ? Array.Empty<string>() : [colours[i]], code = $"FS-{tag}-{i}", listPriceFen = 19900, stock,
            }).ToArray(),
        }), 201);
        var productId = product.GetProperty("id").GetString()!;
        await Json.ReadAsync(await client.PostAsync($"admin/products/{productId}/publish", null), 200);
        var skuIds = product.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        return new FlashSaleKit(host, admin, shopId, productId, skuIds);
    }

    public object Item(int sku = 0, long price = 9900, long stock = 10, int limit = 1, bool coupons = false)
        => new { productId = ProductId, skuId = SkuIds[sku], flashPriceFen = price, stock, perMemberLimit = limit, couponsAllowed = coupons };

    public object Draft(DateTimeOffset startsAt, DateTimeOffset endsAt, params object[] items)
        => new { shopId = ShopId, name = "整点秒杀", startsAt, endsAt, items };

    /// <summary>Creates a session (running from now unless told otherwise) and returns it.</summary>
    public async Task<JsonElement> SessionAsync(params object[] items)
        => await SessionAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), items);

    public async Task<JsonElement> SessionAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, params object[] items)
        => await Json.ReadAsync(await Admin.PostAsJsonAsync("admin/flash-sales", Draft(startsAt, endsAt, items)), 201);

    /// <summary>Buys through the API; <paramref name="expectedPayableFen"/> is the total the confirm page showed (absent: the server prices it).</summary>
    public static async Task<HttpResponseMessage> BuyAsync(Shopper shopper, JsonElement session, string itemId = "i1", int quantity = 1, string? key = null,
        object? extra = null, long? expectedPayableFen = null)
    {
        var body = extra ?? new { quantity, addressId = shopper.AddressId, expectedPayableFen };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"flash-sales/{session.GetProperty("id").GetString()}/items/{itemId}/orders")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return await shopper.Client.SendAsync(request);
    }

    /// <summary>
    /// The stock invariant: the product's available + reserved + sold plus every shard's remaining + held + sold equals
    /// what the product was given; shards never negative; the product's movements add up to its stock.
    /// </summary>
    public static async Task AssertInvariantAsync(IServiceProvider services, string productId, string skuId, string sessionId, long opening)
    {
        var product = (await services.GetRequiredService<ProductAdminService>().GetAsync(productId, CancellationToken.None)).Value;
        var sku = product.FindSku(skuId)!;
        var session = (await services.GetRequiredService<FlashSaleAdminService>().GetAsync(sessionId, CancellationToken.None)).Value;
        var item = session.ItemForSku(skuId)!;
        var shards = await services.GetRequiredService<FlashStock>().ReadShardsAsync(sessionId, item, CancellationToken.None);
        Assert.All(shards, s => Assert.True(s.Remaining >= 0 && s.Held >= 0 && s.Sold >= 0, $"negative shard {s}"));
        Assert.Equal(opening, sku.Stock.Available + sku.Stock.Reserved + sku.Stock.Sold + shards.Sum(s => s.Remaining + s.Held + s.Sold));
    }

    public static FlashSaleItem ItemOf(IServiceProvider services, string sessionId, string itemId = "i1")
        => services.GetRequiredService<FlashSaleAdminService>().GetAsync(sessionId, CancellationToken.None).Result.Value.FindItem(itemId)!;

    public static async Task<IReadOnlyList<FlashShard>> ShardsAsync(IServiceProvider services, string sessionId, string itemId = "i1")
    {
        var session = (await services.GetRequiredService<FlashSaleAdminService>().GetAsync(sessionId, CancellationToken.None)).Value;
        return await services.GetRequiredService<FlashStock>().ReadShardsAsync(sessionId, session.FindItem(itemId)!, CancellationToken.None);
    }

    /// <summary>Shoppers with an address each, created in parallel chunks.</summary>
    public static async Task<List<Shopper>> ShoppersAsync(ApiHost host, string prefix, int count, int chunk = 100)
    {
        var shoppers = new List<Shopper>(count);
        foreach (var part in Enumerable.Range(0, count).Chunk(chunk))
            shoppers.AddRange(await Task.WhenAll(part.Select(i => Shopper.CreateAsync(host, $"{prefix}{i}"))));
        return shoppers;
    }

    public static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    public static FlashSalePhase Phase(JsonElement e) => Enum.Parse<FlashSalePhase>(e.GetProperty("phase").GetString()!, ignoreCase: true);
}
