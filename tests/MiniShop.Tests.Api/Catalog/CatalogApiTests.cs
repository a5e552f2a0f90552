using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Catalog;

public class CatalogApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_category_tree_nests_the_demo_categories()
    {
        var tree = await Json.ReadAsync(await host.Client().GetAsync("catalog/categories", Ct), 200);
        var apparel = tree.EnumerateArray().Single(n => n.GetProperty("id").GetString() == "apparel");
        var tops = apparel.GetProperty("children").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "tops");
        Assert.Equal(["tshirts", "shirts"], tops.GetProperty("children").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Browsing_a_parent_category_pages_through_its_subtree_by_price()
    {
        var ids = new List<string>();
        var prices = new List<long>();
        string? cursor = null;
        do
        {
            var page = await Json.ReadAsync(await host.Client().GetAsync($"catalog/products?category=apparel&shopId=shop-demo&sort=price&take=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct), 200);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetString()!);
                prices.Add(item.GetProperty("minPriceFen").GetInt64());
            }
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);

        Assert.Equal(["prd-demo-tee", "prd-demo-shirt", "prd-demo-jeans"], ids); // the cap is filed under accessories
        Assert.Equal(prices.Order(), prices);
    }

    [Fact]
    public async Task Search_and_tag_filters_narrow_the_list()
    {
        var search = await Json.ReadAsync(await host.Client().GetAsync("catalog/products?q=" + Uri.EscapeDataString("龙井"), Ct), 200);
        Assert.Equal(["prd-demo-longjing"], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        var hot = await Json.ReadAsync(await host.Client().GetAsync("catalog/products?tag=" + Uri.EscapeDataString("热卖") + "&shopId=shop-demo", Ct), 200);
        Assert.Equal(["prd-demo-cap", "prd-demo-jeans"], hot.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task Bad_list_parameters_are_field_errors()
    {
        await Json.ProblemAsync(await host.Client().GetAsync("catalog/products?take=500", Ct), 400, "take");
        await Json.ProblemAsync(await host.Client().GetAsync("catalog/products?sort=cheapest", Ct), 400, "sort");
        await Json.ProblemAsync(await host.Client().GetAsync("catalog/products?cursor=nonsense", Ct), 400, "cursor");
    }

    [Fact]
    public async Task The_product_page_shows_the_full_matrix_and_list_prices_to_guests()
    {
        var p = await Json.ReadAsync(await host.Client().GetAsync("catalog/products/prd-demo-tee", Ct), 200);

        Assert.Equal(12, p.GetProperty("skus").GetArrayLength());
        Assert.Equal(["尺码", "颜色"], p.GetProperty("specs").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var first = p.GetProperty("skus")[0];
        Assert.Equal(first.GetProperty("listPriceFen").GetInt64(), first.GetProperty("priceFen").GetInt64());
        Assert.False(first.TryGetProperty("memberPriceFen", out _));
        Assert.Equal(40, first.GetProperty("stock").GetInt64());
        Assert.Equal("video", p.GetProperty("media")[2].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_silver_member_sees_the_silver_price_after_the_level_change_reaches_the_token()
    {
        var session = await host.MemberSessionAsync("silver");
        var memberId = session.GetProperty("memberId").GetString()!;
        var members = host.Services.GetRequiredService<CosmosDb>().Container(CosmosSchema.Members);
        await members.PatchItemAsync<JsonElement>(memberId, new PartitionKey(memberId), [PatchOperation.Set("/levelId", "L2")], cancellationToken: Ct);
        var refreshed = await Json.ReadAsync(await host.Client().PostAsJsonAsync("auth/refresh",
            new { refreshToken = session.GetProperty("tokens").GetProperty("refreshToken").GetString() }, Ct), 200);
        var token = refreshed.GetProperty("tokens").GetProperty("accessToken").GetString();

        var p = await Json.ReadAsync(await host.Client(token).GetAsync("catalog/products/prd-demo-tee", Ct), 200);
        var sku = p.GetProperty("skus")[0];
        Assert.Equal(8900, sku.GetProperty("memberPriceFen").GetInt64());
        Assert.Equal(8900, sku.GetProperty("priceFen").GetInt64());
        Assert.Equal("L2", p.GetProperty("memberLevelId").GetString());

        var list = await Json.ReadAsync(await host.Client(token).GetAsync("catalog/products?q=t%E6%81%A4", Ct), 200);
        Assert.Equal(8900, list.GetProperty("items")[0].GetProperty("memberPriceFen").GetInt64());
    }

    [Fact]
    public async Task A_barcode_scan_finds_its_sku_and_unknown_things_are_404()
    {
        var match = await Json.ReadAsync(await host.Client().GetAsync("catalog/skus/by-barcode/6901234500001", Ct), 200);
        Assert.Equal("prd-demo-tee", match.GetProperty("productId").GetString());
        var sku = match.GetProperty("product").GetProperty("skus").EnumerateArray().Single(s => s.GetProperty("id").GetString() == match.GetProperty("skuId").GetString());
        Assert.Equal("6901234500001", sku.GetProperty("barcode").GetString());

        await Json.ProblemAsync(await host.Client().GetAsync("catalog/skus/by-barcode/0000000000", Ct), 404);
        await Json.ProblemAsync(await host.Client().GetAsync("catalog/products/prd-nope", Ct), 404);
        await Json.ProblemAsync(await host.Client().GetAsync("catalog/shops/shop-nope", Ct), 404);
    }

    [Fact]
    public async Task Shops_and_member_levels_are_public()
    {
        var shop = await Json.ReadAsync(await host.Client().GetAsync($"catalog/shops/{DemoShopSeeder.TeaShopId}", Ct), 200);
        Assert.Equal("山间茶舍", shop.GetProperty("name").GetString());
        var levels = await Json.ReadAsync(await host.Client().GetAsync("catalog/member-levels", Ct), 200);
        Assert.Equal(["L1", "L2", "L3"], levels.EnumerateArray().Select(l => l.GetProperty("id").GetString()));
    }
}
