using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Catalog;

public class AdminCatalogApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int _n;

    private static object ProductBody(string shopId, string? title = "Hoodie", long price = 15900)
    {
        var n = Interlocked.Increment(ref _n) + Random.Shared.Next(1000, 9999) * 100;
        object Sku(string size, int i) => new
        {
            specValues = new[] { size }, code = $"HD{n}-{i}", barcode = $"77{n:0000000}{i}", listPriceFen = price, stock = 5,
            memberPricesFen = new Dictionary<string, long> { ["L2"] = price - 1000 }, tierPrices = new[] { new { minQuantity = 2, priceFen = price - 500 } },
        };
        return new
        {
            shopId, title, categoryIds = new[] { "tops" }, tags = new[] { "autumn" },
            media = new[] { new { kind = "image", url = "https://img.example.com/hoodie.jpg" } },
            specs = new[] { new { name = "Size", values = new[] { "M", "L" } } },
            skus = new[] { Sku("M", 0), Sku("L", 1) },
        };
    }

    private async Task<string> NewShopAsync(string admin)
    {
        var shop = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/shops", new { name = $"Test shop {Guid.NewGuid():N}"[..20] }, Ct), 201);
        return shop.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Create_publish_browse_unpublish_round_trip()
    {
        var admin = await host.AdminTokenAsync();
        var shopId = await NewShopAsync(admin);

        var created = await host.Client(admin).PostAsJsonAsync("admin/products", ProductBody(shopId), Ct);
        var product = await Json.ReadAsync(created, 201);
        var id = product.GetProperty("id").GetString();
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal("draft", product.GetProperty("status").GetString());
        await Json.ProblemAsync(await host.Client().GetAsync($"catalog/products/{id}", Ct), 404);

        var published = await host.Client(admin).PostAsync($"admin/products/{id}/publish", null, Ct);
        Assert.Equal("\"2\"", published.Headers.ETag?.Tag);
        var page = await Json.ReadAsync(await host.Client().GetAsync($"catalog/products/{id}", Ct), 200);
        Assert.Equal(2, page.GetProperty("skus").GetArrayLength());
        var listed = await Json.ReadAsync(await host.Client().GetAsync($"catalog/products?shopId={shopId}", Ct), 200);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/products/{id}/unpublish", null, Ct), 200);
        await Json.ProblemAsync(await host.Client().GetAsync($"catalog/products/{id}", Ct), 404);
        var empty = await Json.ReadAsync(await host.Client().GetAsync($"catalog/products?shopId={shopId}", Ct), 200);
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Every_invalid_field_is_named_and_nothing_is_written()
    {
        var admin = await host.AdminTokenAsync();
        var shopId = await NewShopAsync(admin);
        var bad = new
        {
            shopId, title = "", categoryIds = new[] { "no-such-category" },
            media = new[] { new { kind = "video", url = "ftp://x" } },
            specs = new[] { new { name = "Size", values = new[] { "M", "L" } } },
            skus = new object[]
            {
                new { specValues = new[] { "M" }, code = "OK-1", listPriceFen = 0, stock = -1 },
                new { specValues = new[] { "XL" }, code = "bad code!", listPriceFen = 100, memberPricesFen = new Dictionary<string, long> { ["L2"] = 200, ["VIP"] = 50 },
                      tierPrices = new[] { new { minQuantity = 2, priceFen = 90 }, new { minQuantity = 5, priceFen = 95 } } },
            },
        };

        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/products", bad, Ct), 400,
            "title", "categoryIds[0]", "media[0].url", "media[0].posterUrl", "skus[0].listPriceFen", "skus[0].stock",
            "skus[1].specValues[0]", "skus[1].code", "skus[1].memberPricesFen.L2", "skus[1].memberPricesFen.VIP", "skus[1].tierPrices[1].priceFen");

        var list = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/products?shopId={shopId}", Ct), 200);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400_not_500()
    {
        var admin = await host.AdminTokenAsync();
        var client = host.Client(admin);
        await Json.ProblemAsync(await client.PostAsync("admin/products", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"), Ct), 400);
        await Json.ProblemAsync(await client.PostAsync("admin/products", new StringContent("{\"skus\": [{\"listPriceFen\": \"12.5\"}]}", System.Text.Encoding.UTF8, "application/json"), Ct), 400);
        await Json.ProblemAsync(await client.PostAsync("admin/products", new StringContent("", System.Text.Encoding.UTF8, "application/json"), Ct), 400, "body");
    }

    [Fact]
    public async Task Updates_need_if_match_and_a_stale_etag_is_412()
    {
        var admin = await host.AdminTokenAsync();
        var shopId = await NewShopAsync(admin);
        var created = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/products", ProductBody(shopId), Ct), 201);
        var id = created.GetProperty("id").GetString();
        // The same draft shape as the create, naming the existing SKUs by id.
        var skus = created.GetProperty("skus").EnumerateArray().Select(s => new
        {
            id = s.GetProperty("id").GetString(), specValues = s.GetProperty("specValues"), code = s.GetProperty("code").GetString(),
            barcode = s.GetProperty("barcode").GetString(), listPriceFen = s.GetProperty("listPriceFen").GetInt64(),
        }).ToArray();
        var body = new
        {
            shopId, title = "Renamed hoodie", categoryIds = new[] { "tops" }, media = new[] { new { kind = "image", url = "https://img.example.com/h.jpg" } },
            specs = new[] { new { name = "Size", values = new[] { "M", "L" } } }, skus,
        };

        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync($"admin/products/{id}", body, Ct), 428);

        var client = host.Client(admin);
        client.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", "\"1\"");
        var updated = await client.PutAsJsonAsync($"admin/products/{id}", body, Ct);
        Assert.Equal("Renamed hoodie", (await Json.ReadAsync(updated, 200)).GetProperty("title").GetString());
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);

        var stale = await client.PutAsJsonAsync($"admin/products/{id}", body, Ct);
        await Json.ProblemAsync(stale, 412);
    }

    [Fact]
    public async Task A_merchant_acts_on_its_own_shop_only()
    {
        var merchant = await host.AdminTokenAsync(DemoShopSeeder.MerchantUser);

        await Json.ReadAsync(await host.Client(merchant).PostAsJsonAsync("admin/products", ProductBody(DemoShopSeeder.ShopId), Ct), 201);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/products", ProductBody(DemoShopSeeder.TeaShopId), Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsync("admin/products/prd-demo-longjing/unpublish", null, Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync($"admin/products?shopId={DemoShopSeeder.TeaShopId}", Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/categories", new { name = "Mine" }, Ct), 403);

        var shops = await Json.ReadAsync(await host.Client(merchant).GetAsync("admin/shops", Ct), 200);
        Assert.Equal([DemoShopSeeder.ShopId], shops.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Stock_adjustments_are_idempotent_by_key()
    {
        var admin = await host.AdminTokenAsync();
        var shopId = await NewShopAsync(admin);
        var product = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/products", ProductBody(shopId), Ct), 201);
        var id = product.GetProperty("id").GetString();
        var sku = product.GetProperty("skus")[0].GetProperty("id").GetString();

        for (var i = 0; i < 2; i++)
            await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync($"admin/products/{id}/skus/{sku}/stock-adjustments",
                new { delta = 20, reason = "restock", idempotencyKey = "po-1001" }, Ct), 200);
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync($"admin/products/{id}/skus/{sku}/stock-adjustments",
            new { delta = -100, reason = "count" }, Ct), 422);
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync($"admin/products/{id}/skus/{sku}/stock-adjustments",
            new { delta = 0, reason = "" }, Ct), 400, "delta", "reason");

        var after = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/products/{id}", Ct), 200);
        Assert.Equal(25, after.GetProperty("skus")[0].GetProperty("stock").GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task Category_admin_uses_etags_and_refuses_non_empty_deletes()
    {
        var admin = await host.AdminTokenAsync();
        var created = await host.Client(admin).PostAsJsonAsync("admin/categories", new { parentId = "accessories", name = $"Scarves {Guid.NewGuid():N}"[..16], sort = 5 }, Ct);
        var category = await Json.ReadAsync(created, 201);
        var id = category.GetProperty("id").GetString();

        var client = host.Client(admin);
        client.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", created.Headers.ETag!.Tag);
        await Json.ReadAsync(await client.PutAsJsonAsync($"admin/categories/{id}", new { parentId = "accessories", name = "Scarves & wraps", sort = 6 }, Ct), 200);
        await Json.ProblemAsync(await client.DeleteAsync($"admin/categories/{id}", Ct), 412);

        var fresh = host.Client(admin);
        fresh.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", "\"2\"");
        Assert.Equal(204, (int)(await fresh.DeleteAsync($"admin/categories/{id}", Ct)).StatusCode);

        var parent = host.Client(admin);
        parent.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", "\"1\"");
        await Json.ProblemAsync(await parent.DeleteAsync("admin/categories/apparel", Ct), 409);
    }
    [Fact]
    public async Task Moving_a_category_takes_its_sub_categories_and_its_products_listing_along()
    {
        var admin = await host.AdminTokenAsync();
        var client = host.Client(admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var created = await client.PostAsJsonAsync("admin/categories", new { id = $"mv-{tag}", parentId = "apparel", name = $"Move {tag}" }, Ct);
        await Json.ReadAsync(created, 201);
        await Json.ReadAsync(await client.PostAsJsonAsync("admin/categories", new { id = $"mv-{tag}-sub", parentId = $"mv-{tag}", name = "Sub" }, Ct), 201);
        var shopId = await NewShopAsync(admin);
        var body = JsonSerializer.SerializeToNode(ProductBody(shopId, $"Moved {tag}"), Json.Options)!.AsObject();
        body["categoryIds"] = new JsonArray($"mv-{tag}-sub");
        var product = await Json.ReadAsync(await client.PostAsJsonAsync("admin/products", body, Ct), 201);
        var productId = product.GetProperty("id").GetString()!;
        await Json.ReadAsync(await client.PostAsync($"admin/products/{productId}/publish", null, Ct), 200);

        async Task<bool> ListedUnder(string category) => (await Json.ReadAsync(await host.Client().GetAsync($"catalog/products?category={category}&shopId={shopId}", Ct), 200))
            .GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == productId);
        Assert.True(await ListedUnder("apparel"));
        Assert.False(await ListedUnder("tea"));

        using var move = new HttpRequestMessage(HttpMethod.Put, $"admin/categories/mv-{tag}") { Content = JsonContent.Create(new { parentId = "tea", name = $"Move {tag}" }, options: Json.Options) };
        move.Headers.IfMatch.Add(created.Headers.ETag!);
        var moved = await Json.ReadAsync(await client.SendAsync(move, Ct), 200);
        Assert.Equal("tea", moved.GetProperty("parentId").GetString());

        Assert.True(await ListedUnder("tea"));
        Assert.True(await ListedUnder($"mv-{tag}"));
        Assert.False(await ListedUnder("apparel"));
        var tree = await Json.ReadAsync(await client.GetAsync("admin/categories", Ct), 200);
        Assert.Equal(["tea", $"mv-{tag}"], tree.EnumerateArray().Single(c => c.GetProperty("id").GetString() == $"mv-{tag}-sub").GetProperty("path").EnumerateArray().Select(p => p.GetString()));
    }
}
