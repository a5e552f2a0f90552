using System.Net.Http.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Api.Checkout;

public class CheckoutConcurrencyTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_parallel_checkouts_for_fifty_units_make_exactly_fifty_orders()
    {
        var admin = await host.AdminTokenAsync();
        var shop = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/shops", new { name = "Hot drop" }, Ct), 201);
        var shopId = shop.GetProperty("id").GetString();
        var product = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/products", new
        {
            shopId, title = "Limited hoodie", categoryIds = new[] { "tops" }, media = new[] { new { kind = "image", url = "https://img.example.com/h.jpg" } },
            specs = Array.Empty<object>(), skus = new[] { new { specValues = Array.Empty<string>(), code = "HOT-1", listPriceFen = 19900, stock = 50 } },
        }, Ct), 201);
        var productId = product.GetProperty("id").GetString()!;
        var skuId = product.GetProperty("skus")[0].GetProperty("id").GetString()!;
        await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/products/{productId}/publish", null, Ct), 200);

        var shoppers = new List<Shopper>();
        foreach (var chunk in Enumerable.Range(0, 200).Chunk(20))
            shoppers.AddRange(await Task.WhenAll(chunk.Select(i => Shopper.CreateAsync(host, $"rush{i}"))));

        var statuses = await Task.WhenAll(shoppers.Select(async (s, i) =>
        {
            var body = new { items = Shopper.Items((productId, skuId, 1)), addressId = s.AddressId, expectedPayableFen = 19900L };
            using var response = await s.PlaceAsync(body, $"rush-{i}");
            return (int)response.StatusCode;
        }));

        Assert.Equal(50, statuses.Count(s => s == 201));
        Assert.All(statuses.Where(s => s != 201), s => Assert.True(s is 400 or 409, $"unexpected {s}"));

        var db = host.Services.GetRequiredService<CosmosDb>();
        var orders = await db.Container(CosmosSchema.Members).QueryAsync<int>(
            new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'order' AND c.shopId = @shop").WithParameter("@shop", shopId), null, ct: Ct);
        Assert.Equal(50, orders.Sum());
        var stored = (await host.Services.GetRequiredService<ProductAdminService>().GetAsync(productId, Ct)).Value.Skus[0].Stock;
        Assert.Equal((0L, 50L, 0L), (stored.Available, stored.Reserved, stored.Sold));
        Assert.Equal(50, stored.Available + stored.Reserved + stored.Sold);
    }
}
