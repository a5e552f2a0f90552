using System.Net.Http.Json;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Marketing;

public class MarketingApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object PromotionBody(string name = "满200减20", long threshold = 20_000, long off = 2_000) => new
    {
        name,
        rule = new { kind = "fullReduction", tiers = new[] { new { thresholdFen = threshold, reductionFen = off } } },
        scope = new { kind = "all" },
        startsAt = DateTimeOffset.UtcNow.AddDays(-1),
        endsAt = DateTimeOffset.UtcNow.AddDays(7),
    };

    private HttpClient WithIfMatch(string token, string etag)
    {
        var client = host.Client(token);
        client.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", etag);
        return client;
    }

    private async Task<string> NewShopAsync(string admin)
        => (await Json.ReadAsync(await host.Client(admin).PostAsJsonAsync("admin/shops", new { name = $"Shop {Guid.NewGuid():N}"[..20] }, Ct), 201))
            .GetProperty("id").GetString()!;

    private async Task<List<string>> ShopperPromotionIdsAsync(string shopId)
        => (await Json.ReadAsync(await host.Client().GetAsync($"marketing/promotions?shopId={shopId}", Ct), 200))
            .EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task Shoppers_see_the_seeded_shop_and_platform_promotions_with_labels()
    {
        var demo = await Json.ReadAsync(await host.Client().GetAsync($"marketing/promotions?shopId={DemoShopSeeder.ShopId}", Ct), 200);
        var full = demo.EnumerateArray().Single(p => p.GetProperty("id").GetString() == DemoShopSeeder.ShopFullReductionId);
        Assert.Equal("满¥300减¥40，满¥500减¥80", full.GetProperty("summary").GetString());
        Assert.Equal("fullReduction", full.GetProperty("kind").GetString());
        Assert.Equal(DemoShopSeeder.ShopId, full.GetProperty("shopId").GetString());

        var tea = await Json.ReadAsync(await host.Client().GetAsync($"marketing/promotions?shopId={DemoShopSeeder.TeaShopId}", Ct), 200);
        var multi = tea.EnumerateArray().Single(p => p.GetProperty("id").GetString() == DemoShopSeeder.PlatformTeaMultiBuyId);
        Assert.Equal("2件9折", multi.GetProperty("summary").GetString());
        Assert.False(multi.TryGetProperty("shopId", out _));
        Assert.DoesNotContain(tea.EnumerateArray(), p => p.GetProperty("id").GetString() == DemoShopSeeder.ShopFullReductionId);
    }

    [Fact]
    public async Task Admin_promotion_round_trip_with_etags_pause_and_resume()
    {
        var admin = await host.AdminTokenAsync();
        var shopId = await NewShopAsync(admin);

        var created = await host.Client(admin).PostAsJsonAsync($"admin/promotions?ownerId={shopId}", PromotionBody(), Ct);
        var promotion = await Json.ReadAsync(created, 201);
        var id = promotion.GetProperty("id").GetString();
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal($"/api/admin/promotions/{shopId}/{id}", created.Headers.Location?.ToString());
        Assert.Equal("active", promotion.GetProperty("status").GetString());
        Assert.Contains(id, await ShopperPromotionIdsAsync(shopId));

        var list = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/promotions?ownerId={shopId}", Ct), 200);
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());

        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync($"admin/promotions/{shopId}/{id}", PromotionBody("改"), Ct), 428);
        var updated = await WithIfMatch(admin, "\"1\"").PutAsJsonAsync($"admin/promotions/{shopId}/{id}", PromotionBody("改", 30_000, 5_000), Ct);
        Assert.Equal("改", (await Json.ReadAsync(updated, 200)).GetProperty("name").GetString());
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);
        await Json.ProblemAsync(await WithIfMatch(admin, "\"1\"").PutAsJsonAsync($"admin/promotions/{shopId}/{id}", PromotionBody(), Ct), 412);

        var paused = await host.Client(admin).PostAsync($"admin/promotions/{shopId}/{id}/pause", null, Ct);
        Assert.Equal("paused", (await Json.ReadAsync(paused, 200)).GetProperty("status").GetString());
        Assert.DoesNotContain(id, await ShopperPromotionIdsAsync(shopId));
        await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/promotions/{shopId}/{id}/resume", null, Ct), 200);
        Assert.Contains(id, await ShopperPromotionIdsAsync(shopId));

        var fetched = await host.Client(admin).GetAsync($"admin/promotions/{shopId}/{id}", Ct);
        Assert.Equal("\"4\"", fetched.Headers.ETag?.Tag);
        await Json.ProblemAsync(await host.Client(admin).GetAsync($"admin/promotions/{shopId}/prm_missing", Ct), 404);
    }

    [Fact]
    public async Task Invalid_promotions_name_every_wrong_field()
    {
        var admin = await host.AdminTokenAsync();
        var bad = new
        {
            name = "",
            rule = new { kind = "fullReduction", tiers = new[] { new { thresholdFen = 30_000L, reductionFen = 4_000L }, new { thresholdFen = 20_000L, reductionFen = 25_000L } } },
            scope = new { kind = "categories", ids = Array.Empty<string>() },
            startsAt = DateTimeOffset.UtcNow,
            endsAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync($"admin/promotions?ownerId={DemoShopSeeder.ShopId}", bad, Ct), 400,
            "name", "rule.tiers[1].reductionFen", "scope.ids", "endsAt");

        var multi = new
        {
            name = "N件折", rule = new { kind = "multiBuy", multiBuyTiers = new[] { new { minItems = 2, percentOffBasisPoints = 10_000 } } },
            startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddDays(1),
        };
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/promotions?ownerId=platform", multi, Ct), 400, "rule.multiBuyTiers[0].percentOffBasisPoints");
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/promotions", PromotionBody(), Ct), 400, "ownerId");
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/promotions?ownerId=no-such-shop", PromotionBody(), Ct), 400, "ownerId");
        await Json.ProblemAsync(await host.Client(admin).PostAsync($"admin/promotions?ownerId={DemoShopSeeder.ShopId}",
            new StringContent("{\"rule\": {\"kind\": \"buyOneGetOne\"}}", System.Text.Encoding.UTF8, "application/json"), Ct), 400);
    }

    [Fact]
    public async Task A_merchant_configures_only_its_own_shop_and_never_the_platform()
    {
        var merchant = await host.AdminTokenAsync(DemoShopSeeder.MerchantUser);

        await Json.ReadAsync(await host.Client(merchant).PostAsJsonAsync($"admin/promotions?ownerId={DemoShopSeeder.ShopId}", PromotionBody("merchant's own"), Ct), 201);
        await Json.ReadAsync(await host.Client(merchant).GetAsync($"admin/promotions?ownerId={DemoShopSeeder.ShopId}", Ct), 200);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync($"admin/promotions?ownerId={DemoShopSeeder.TeaShopId}", PromotionBody(), Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync($"admin/promotions?ownerId={DemoShopSeeder.TeaShopId}", Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/promotions?ownerId=platform", PromotionBody(), Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsync($"admin/promotions/platform/{DemoShopSeeder.PlatformTeaMultiBuyId}/pause", null, Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync($"admin/shops/{DemoShopSeeder.TeaShopId}/shipping-template", Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync("admin/marketing/settings", Ct), 403);
        await Json.ReadAsync(await host.Client(merchant).GetAsync($"admin/shops/{DemoShopSeeder.ShopId}/shipping-template", Ct), 200);

        var member = await host.MemberTokenAsync("marketing-nosy");
        await Json.ProblemAsync(await host.Client(member).GetAsync($"admin/promotions?ownerId={DemoShopSeeder.ShopId}", Ct), 401);
        await Json.ProblemAsync(await host.Client().GetAsync("admin/marketing/settings", Ct), 401);
    }

    [Fact]
    public async Task Shipping_templates_are_seeded_created_validated_and_versioned()
    {
        var admin = await host.AdminTokenAsync();
        var seeded = await host.Client(admin).GetAsync($"admin/shops/{DemoShopSeeder.ShopId}/shipping-template", Ct);
        var demo = await Json.ReadAsync(seeded, 200);
        Assert.Equal(("count", 800L, 19_900L), (demo.GetProperty("basis").GetString(), demo.GetProperty("defaultRate").GetProperty("firstFeeFen").GetInt64(), demo.GetProperty("freeOverFen").GetInt64()));
        var tea = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/shops/{DemoShopSeeder.TeaShopId}/shipping-template", Ct), 200);
        Assert.Equal("weight", tea.GetProperty("basis").GetString());

        var shopId = await NewShopAsync(admin);
        await Json.ProblemAsync(await host.Client(admin).GetAsync($"admin/shops/{shopId}/shipping-template", Ct), 404);
        var body = new
        {
            basis = "count", defaultRate = new { firstUnits = 1, firstFeeFen = 600, additionalUnits = 1, additionalFeeFen = 100 },
            regionalRates = new[] { new { provinceCodes = new[] { "650000" }, rate = new { firstUnits = 1, firstFeeFen = 1_500, additionalUnits = 1, additionalFeeFen = 500 } } },
            freeProvinceCodes = new[] { "310000" }, freeOverFen = 9_900,
        };
        var created = await host.Client(admin).PutAsJsonAsync($"admin/shops/{shopId}/shipping-template", body, Ct);
        await Json.ReadAsync(created, 200);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync($"admin/shops/{shopId}/shipping-template", body, Ct), 428);
        var replaced = await WithIfMatch(admin, "\"1\"").PutAsJsonAsync($"admin/shops/{shopId}/shipping-template", body, Ct);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);

        var bad = new
        {
            basis = "volume", defaultRate = new { firstUnits = 1, firstFeeFen = -1, additionalUnits = 0, additionalFeeFen = 100 },
            regionalRates = new[] { new { provinceCodes = new[] { "65" }, rate = new { firstUnits = 1, firstFeeFen = 1, additionalUnits = 1, additionalFeeFen = 1 } } },
        };
        await Json.ProblemAsync(await WithIfMatch(admin, "\"2\"").PutAsJsonAsync($"admin/shops/{shopId}/shipping-template", bad with { basis = "count" }, Ct), 400,
            "defaultRate.firstFeeFen", "defaultRate.additionalUnits", "regionalRates[0].provinceCodes[0]");
        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync("admin/shops/no-such-shop/shipping-template", body, Ct), 404);
    }

    [Fact]
    public async Task Platform_settings_start_at_the_defaults_and_need_if_match()
    {
        var admin = await host.AdminTokenAsync();
        var got = await host.Client(admin).GetAsync("admin/marketing/settings", Ct);
        var settings = await Json.ReadAsync(got, 200);
        var etag = got.Headers.ETag!.Tag;
        if (etag == "\"0\"")
            Assert.Equal((100L, 5_000, true), (settings.GetProperty("points").GetProperty("pointsPerYuan").GetInt64(),
                settings.GetProperty("points").GetProperty("maxShareBasisPoints").GetInt32(), settings.GetProperty("points").GetProperty("wholeYuanOnly").GetBoolean()));

        var body = new
        {
            points = new { pointsPerYuan = 100, maxShareBasisPoints = 5_000, wholeYuanOnly = true },
            stackingExclusions = new[] { new { first = "PlatformCoupon", second = "ShopFullReduction" } },
        };
        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync("admin/marketing/settings", body, Ct), 428);
        var put = await WithIfMatch(admin, etag).PutAsJsonAsync("admin/marketing/settings", body, Ct);
        var saved = await Json.ReadAsync(put, 200);
        Assert.Equal("ShopFullReduction", saved.GetProperty("stackingExclusions")[0].GetProperty("second").GetString());
        Assert.NotEqual(etag, put.Headers.ETag!.Tag);

        var bad = new { points = new { pointsPerYuan = 0, maxShareBasisPoints = 20_000 }, stackingExclusions = new[] { new { first = "A", second = "A" } } };
        await Json.ProblemAsync(await WithIfMatch(admin, put.Headers.ETag!.Tag).PutAsJsonAsync("admin/marketing/settings", bad, Ct), 400,
            "points.pointsPerYuan", "points.maxShareBasisPoints", "stackingExclusions[0].second");
    }
}
