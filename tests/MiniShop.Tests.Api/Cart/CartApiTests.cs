using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Cart;

public class CartApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string> NewMemberAsync() => host.MemberTokenAsync($"cart-{Guid.NewGuid():N}");

    private static object Add(string productId, string skuId, int quantity = 1) => new { productId, skuId, quantity };

    /// <summary>A published product in a new shop: sizes S, M, L at 10,000 fen (9,000 for L2), 5 in stock; L at most 2 per order.</summary>
    private async Task<(string Admin, string ShopId, string ProductId, string[] Skus)> NewProductAsync(params string[] sizes)
    {
        sizes = sizes.Length == 0 ? ["S", "M", "L"] : sizes;
        var admin = await host.AdminTokenAsync();
        var shopName = $"Cart shop {Guid.NewGuid():N}"[..20];
        var shop = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/shops", new { name = shopName }, Ct), 201);
        var shopId = shop.GetProperty("id").GetString()!;
        var n = Random.Shared.Next(100_000, 999_999);
        var body = new
        {
            shopId, title = "Cart tee", categoryIds = new[] { "tshirts" }, media = new[] { new { kind = "image", url = "https://img.example.com/cart-tee.jpg" } },
            specs = new[] { new { name = "Size", values = sizes } },
            skus = sizes.Select((size, i) => new
            {
                specValues = new[] { size }, code = $"CT{n}-{i}", barcode = $"88{n}{i:0000}", listPriceFen = 10_000L, stock = 5,
                memberPricesFen = new Dictionary<string, long> { ["L2"] = 9_000 }, maxPerOrder = size == "L" ? 2 : (int?)null,
            }).ToArray(),
        };
        var product = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/products", body, Ct), 201);
        var id = product.GetProperty("id").GetString()!;
        await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/products/{id}/publish", null, Ct), 200);
        return (admin, shopId, id, product.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray());
    }

    /// <summary>Sends the product back through the admin API after <paramref name="edit"/> changes its JSON.</summary>
    private async Task UpdateProductAsync(string admin, string productId, Action<JsonObject> edit)
    {
        var response = await host.Client(admin).GetAsync($"admin/products/{productId}", Ct);
        var product = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        foreach (var sku in product["skus"]!.AsArray()) sku!.AsObject().Remove("stock"); // stock moves by adjustments only
        edit(product);
        var client = host.Client(admin);
        client.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", response.Headers.ETag!.Tag);
        await Json.ReadAsync(await client.PutAsync($"admin/products/{productId}",
            new StringContent(product.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct), 200);
    }

    private static JsonElement Line(JsonElement cart, string skuId)
        => cart.GetProperty("shops").EnumerateArray().SelectMany(s => s.GetProperty("lines").EnumerateArray()).Single(l => l.GetProperty("skuId").GetString() == skuId);

    private async Task<JsonElement> CartAsync(HttpClient client) => await Json.ReadAsync(await client.GetAsync("cart", Ct), 200);

    [Fact]
    public async Task Every_endpoint_needs_a_member()
    {
        var anonymous = host.Client();
        await Json.ProblemAsync(await anonymous.GetAsync("cart", Ct), 401);
        await Json.ProblemAsync(await anonymous.PostAsJsonAsync("cart/items", Add("prd-demo-tee", "x"), Ct), 401);
        await Json.ProblemAsync(await anonymous.PatchAsJsonAsync("cart/items/line_x", new { quantity = 2 }, Ct), 401);
        await Json.ProblemAsync(await anonymous.DeleteAsync("cart/items/line_x", Ct), 401);
        await Json.ProblemAsync(await anonymous.PostAsJsonAsync("cart/select", new { selected = true }, Ct), 401);
        await Json.ProblemAsync(await anonymous.DeleteAsync("cart/items?selected=true", Ct), 401);
    }

    [Fact]
    public async Task An_empty_cart_for_a_new_member()
    {
        var cart = await CartAsync(host.Client(await NewMemberAsync()));
        Assert.Empty(cart.GetProperty("shops").EnumerateArray());
        Assert.Equal(0, cart.GetProperty("selectedTotalFen").GetInt64());
    }

    [Fact]
    public async Task Add_merge_update_select_and_remove_with_demo_products_of_two_shops()
    {
        var client = host.Client(await NewMemberAsync());
        var tee = await Json.ReadAsync(await host.Client().GetAsync("catalog/products/prd-demo-tee", Ct), 200);
        var teeSkus = tee.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();
        var tea = await Json.ReadAsync(await host.Client().GetAsync("catalog/products/prd-demo-longjing", Ct), 200);
        var teaSku = tea.GetProperty("skus")[0].GetProperty("id").GetString()!;

        await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add("prd-demo-tee", teeSkus[0]), Ct), 200);
        await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add("prd-demo-tee", teeSkus[1], 2), Ct), 200);
        var cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add("prd-demo-longjing", teaSku), Ct), 200);

        Assert.Equal([DemoShopSeeder.TeaShopId, DemoShopSeeder.ShopId], cart.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("shopId").GetString()));
        Assert.All(cart.GetProperty("shops").EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("shopName").GetString())));
        var line = Line(cart, teeSkus[0]);
        Assert.Equal("纯棉圆领T恤", line.GetProperty("title").GetString());
        Assert.Equal(2, line.GetProperty("specValues").GetArrayLength());
        Assert.StartsWith("https://", line.GetProperty("coverUrl").GetString());
        Assert.Equal("available", line.GetProperty("availability").GetString());
        Assert.Equal(9900, line.GetProperty("unitPriceFen").GetInt64());
        Assert.False(line.GetProperty("priceChanged").GetBoolean());
        Assert.Equal(9900 + 2 * 9900 + 16800, cart.GetProperty("selectedTotalFen").GetInt64());
        Assert.Equal(3 * 9900, cart.GetProperty("shops")[1].GetProperty("selectedTotalFen").GetInt64());

        // The same SKU again merges into its line: 3 reach the tier price.
        cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add("prd-demo-tee", teeSkus[1]), Ct), 200);
        var merged = Line(cart, teeSkus[1]);
        Assert.Equal((3, 8500L, 25_500L), (merged.GetProperty("quantity").GetInt32(), merged.GetProperty("unitPriceFen").GetInt64(), merged.GetProperty("lineTotalFen").GetInt64()));
        Assert.Equal(3, cart.GetProperty("lineCount").GetInt32());

        var lineId = merged.GetProperty("lineId").GetString();
        cart = await Json.ReadAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { quantity = 1, selected = false }, Ct), 200);
        Assert.Equal((1, false), (Line(cart, teeSkus[1]).GetProperty("quantity").GetInt32(), Line(cart, teeSkus[1]).GetProperty("selected").GetBoolean()));
        Assert.Equal(9900 + 16800, cart.GetProperty("selectedTotalFen").GetInt64());
        Assert.False(cart.GetProperty("allSelected").GetBoolean());

        cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/select", new { selected = false, shopId = DemoShopSeeder.TeaShopId }, Ct), 200);
        Assert.Equal(9900, cart.GetProperty("selectedTotalFen").GetInt64());
        cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/select", new { selected = true }, Ct), 200);
        Assert.True(cart.GetProperty("allSelected").GetBoolean());
        Assert.Equal(9900 + 9900 + 16800, cart.GetProperty("selectedTotalFen").GetInt64());

        cart = await Json.ReadAsync(await client.DeleteAsync($"cart/items/{lineId}", Ct), 200);
        Assert.Equal(2, cart.GetProperty("lineCount").GetInt32());
        await Json.ReadAsync(await client.DeleteAsync($"cart/items/{lineId}", Ct), 200); // already gone: fine
        await Json.ProblemAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { quantity = 2 }, Ct), 404);

        await Json.ReadAsync(await client.PostAsJsonAsync("cart/select", new { selected = false, shopId = DemoShopSeeder.ShopId }, Ct), 200);
        await Json.ProblemAsync(await client.DeleteAsync("cart/items", Ct), 400, "selected");
        cart = await Json.ReadAsync(await client.DeleteAsync("cart/items?selected=true", Ct), 200);
        var left = Assert.Single(cart.GetProperty("shops").EnumerateArray());
        Assert.Equal(DemoShopSeeder.ShopId, left.GetProperty("shopId").GetString());
        Assert.Equal(0, cart.GetProperty("selectedTotalFen").GetInt64());
    }

    [Fact]
    public async Task Members_see_their_level_price()
    {
        var (_, _, productId, skus) = await NewProductAsync();
        var client = host.Client(await NewMemberAsync());
        var cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0]), Ct), 200);
        // New members start at L1, which has no price of its own on this product.
        Assert.Equal(10_000, Line(cart, skus[0]).GetProperty("unitPriceFen").GetInt64());
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var (admin, _, productId, skus) = await NewProductAsync();
        var client = host.Client(await NewMemberAsync());

        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", new { }, Ct), 400, "productId", "skuId", "quantity");
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0], 0), Ct), 400, "quantity");
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0], -2), Ct), 400, "quantity");
        await Json.ProblemAsync(await client.PostAsync("cart/items", new StringContent($"{{\"productId\":\"{productId}\",\"skuId\":\"{skus[0]}\",\"quantity\":1.5}}", System.Text.Encoding.UTF8, "application/json"), Ct), 400, "quantity");
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add("prd_unknown", skus[0]), Ct), 400, "productId");
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, "sku_unknown"), Ct), 400, "skuId");
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/select", new { shopId = "x" }, Ct), 400, "selected");

        var cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0]), Ct), 200);
        var lineId = Line(cart, skus[0]).GetProperty("lineId").GetString();
        await Json.ProblemAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { quantity = 0 }, Ct), 400, "quantity");
        await Json.ProblemAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { }, Ct), 400, "body");

        // A draft was never on sale: to shoppers it is unknown.
        var draft = await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/products", new
        {
            shopId = DemoShopSeeder.ShopId, title = "Draft", categoryIds = new[] { "tshirts" },
            skus = new[] { new { specValues = Array.Empty<string>(), code = $"DR{Random.Shared.Next(100_000, 999_999)}", listPriceFen = 100 } },
        }, Ct), 201);
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(draft.GetProperty("id").GetString()!, draft.GetProperty("skus")[0].GetProperty("id").GetString()!), Ct), 400, "productId");
    }

    [Fact]
    public async Task The_per_sku_limit_is_a_422_naming_the_limit()
    {
        var (_, _, productId, skus) = await NewProductAsync();
        var client = host.Client(await NewMemberAsync());
        var limited = skus[2]; // size L: at most 2 per order

        var problem = await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, limited, 3), Ct), 422);
        Assert.Equal(("purchase_limit", 2, "quantity"), (problem.GetProperty("code").GetString(), problem.GetProperty("limit").GetInt32(), problem.GetProperty("field").GetString()));
        Assert.Contains("2", problem.GetProperty("detail").GetString());

        var cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add(productId, limited, 2), Ct), 200);
        Assert.Equal(2, Line(cart, limited).GetProperty("maxQuantity").GetInt32());
        var merged = await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, limited, 1), Ct), 422);
        Assert.Equal(2, merged.GetProperty("inCart").GetInt32());
        var lineId = Line(cart, limited).GetProperty("lineId").GetString();
        Assert.Equal("purchase_limit", (await Json.ProblemAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { quantity = 3 }, Ct), 422)).GetProperty("code").GetString());
        // An unlimited SKU stops at the ceiling.
        Assert.Equal(999, (await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0], 1000), Ct), 422)).GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Availability_follows_the_catalog()
    {
        var (admin, _, productId, skus) = await NewProductAsync("S", "M", "L", "XL");
        var (admin2, _, otherId, otherSkus) = await NewProductAsync();
        var client = host.Client(await NewMemberAsync());
        await client.PostAsJsonAsync("cart/items", Add(productId, skus[0]), Ct);       // S: price will change
        await client.PostAsJsonAsync("cart/items", Add(productId, skus[1], 4), Ct);    // M: stock will drop to 3
        await client.PostAsJsonAsync("cart/items", Add(productId, skus[2]), Ct);       // L: will be disabled
        await client.PostAsJsonAsync("cart/items", Add(productId, skus[3]), Ct);       // XL: will be removed from the matrix
        await client.PostAsJsonAsync("cart/items", Add(otherId, otherSkus[0]), Ct);    // other product: will be unpublished
        var before = await CartAsync(client);
        Assert.Equal(5, before.GetProperty("lineCount").GetInt32());
        Assert.Equal(0, before.GetProperty("unavailableLineCount").GetInt32());
        Assert.Equal(8 * 10_000, before.GetProperty("selectedTotalFen").GetInt64());

        await UpdateProductAsync(admin, productId, p =>
        {
            p["specs"]![0]!["values"] = new JsonArray("S", "M", "L");
            var skuArray = p["skus"]!.AsArray();
            skuArray.RemoveAt(3);
            skuArray[0]!["listPriceFen"] = 8_800;
            skuArray[0]!["memberPricesFen"] = new JsonObject { ["L2"] = 8_000 };
            skuArray[2]!["enabled"] = false;
        });
        await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync($"admin/products/{productId}/skus/{skus[1]}/stock-adjustments",
            new { delta = -2, reason = "damaged" }, Ct), 200);
        await Json.ReadAsync(await host.Client(admin2).PostAsync($"admin/products/{otherId}/unpublish", null, Ct), 200);

        var cart = await CartAsync(client);
        var changed = Line(cart, skus[0]);
        Assert.Equal("available", changed.GetProperty("availability").GetString());
        Assert.True(changed.GetProperty("priceChanged").GetBoolean());
        Assert.Equal((8_800L, 10_000L, -1_200L), (changed.GetProperty("unitPriceFen").GetInt64(), changed.GetProperty("addedPriceFen").GetInt64(), changed.GetProperty("priceDeltaFen").GetInt64()));
        var shortOfStock = Line(cart, skus[1]);
        Assert.Equal("insufficientStock", shortOfStock.GetProperty("availability").GetString());
        Assert.Equal(3, shortOfStock.GetProperty("stockLeft").GetInt64());
        Assert.Equal("disabled", Line(cart, skus[2]).GetProperty("availability").GetString());
        var removed = Line(cart, skus[3]);
        Assert.Equal("removed", removed.GetProperty("availability").GetString());
        Assert.Equal("Cart tee", removed.GetProperty("title").GetString());
        Assert.Equal("unpublished", Line(cart, otherSkus[0]).GetProperty("availability").GetString());
        Assert.Equal(4, cart.GetProperty("unavailableLineCount").GetInt32());
        Assert.Equal(8_800, cart.GetProperty("selectedTotalFen").GetInt64()); // only the available line counts
        Assert.Equal(1, cart.GetProperty("selectedLineCount").GetInt32());

        // Changing the quantity takes the current price as the new reference.
        var lineId = changed.GetProperty("lineId").GetString();
        cart = await Json.ReadAsync(await client.PatchAsJsonAsync($"cart/items/{lineId}", new { quantity = 2 }, Ct), 200);
        Assert.False(Line(cart, skus[0]).GetProperty("priceChanged").GetBoolean());

        // Nothing that cannot be bought goes into a cart.
        var unpublished = await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(otherId, otherSkus[1]), Ct), 422);
        Assert.Equal(("product_unpublished", "productId"), (unpublished.GetProperty("code").GetString(), unpublished.GetProperty("field").GetString()));
        var disabled = await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[2]), Ct), 422);
        Assert.Equal(("sku_disabled", "skuId"), (disabled.GetProperty("code").GetString(), disabled.GetProperty("field").GetString()));
        await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[3]), Ct), 400, "skuId");
    }

    [Fact]
    public async Task A_cart_holds_at_most_100_lines()
    {
        var sizes = Enumerable.Range(0, 101).Select(i => $"Z{i}").ToArray();
        var (_, _, productId, skus) = await NewProductAsync(sizes);
        var client = host.Client(await NewMemberAsync());

        await Parallel.ForEachAsync(skus.Take(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (sku, ct) =>
            await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add(productId, sku), ct), 200));

        var full = await Json.ProblemAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[100]), Ct), 422);
        Assert.Equal(("cart_full", 100), (full.GetProperty("code").GetString(), full.GetProperty("limit").GetInt32()));
        var cart = await Json.ReadAsync(await client.PostAsJsonAsync("cart/items", Add(productId, skus[0]), Ct), 200); // merging still works
        Assert.Equal(100, cart.GetProperty("lineCount").GetInt32());
        Assert.Equal(2, Line(cart, skus[0]).GetProperty("quantity").GetInt32());
    }
}
