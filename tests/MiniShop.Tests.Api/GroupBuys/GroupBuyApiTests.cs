using System.Net.Http.Headers;
using System.Net.Http.Json;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Api.Orders;
using static MiniShop.Tests.Api.GroupBuys.GroupBuyDriver;

namespace MiniShop.Tests.Api.GroupBuys;

/// <summary>The admin API, validation, shop scope and the per-member limit (no waiting on deadlines here).</summary>
public class GroupBuyApiTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly GroupBuyDriver gb = new(host);

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string path, object? body, string? etag)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return request;
    }

    [Fact]
    public async Task Operators_create_edit_before_the_start_pause_resume_end_and_list_activities()
    {
        var admin = host.Api.Client(await host.Api.AdminTokenAsync());
        var product = await gb.ProductAsync("prd-demo-cap");

        var invalid = await Json.ProblemAsync(await admin.PostAsJsonAsync("admin/group-buys", new
        {
            shopId = DemoShopSeeder.ShopId, name = "", productId = "prd-demo-cap",
            skus = new[] { new { skuId = product.GetProperty("skus")[0].GetProperty("id").GetString()!, groupPriceFen = 99_999L }, new { skuId = "nope", groupPriceFen = 0L } },
            groupSize = 1, perMemberLimit = 0, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddDays(-1), leaderDiscountFen = -1,
        }, Ct), 400, "name", "skus[0].groupPriceFen", "skus[1].skuId", "skus[1].groupPriceFen", "groupSize", "perMemberLimit", "endsAt", "leaderDiscountFen");
        Assert.Equal("validation_failed", invalid.GetProperty("code").GetString());
        // A product of another shop.
        await Json.ProblemAsync(await admin.PostAsJsonAsync("admin/group-buys", Draft(await gb.ProductAsync("prd-demo-longjing"), [0], 100, 2, 60), Ct), 400, "productId");

        var future = Draft(product, [0], 1_000, 2, 3_600, startsAt: DateTimeOffset.UtcNow.AddHours(1));
        using var created = await admin.PostAsJsonAsync("admin/group-buys", future, Ct);
        var activity = await Json.ReadAsync(created, 201);
        var id = activity.GetProperty("id").GetString()!;
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal(("active", 2, 3_600), (Status(activity), activity.GetProperty("groupSize").GetInt32(), activity.GetProperty("groupDurationSeconds").GetInt32()));

        // Not started yet: shoppers cannot use it, operators can still edit it (with If-Match).
        var shopper = await Shopper.CreateAsync(host.Api, "gb-admin-shopper");
        var early = await Json.ProblemAsync(await shopper.Client.PostAsJsonAsync($"group-buys/{id}/preview",
            new { skuId = product.GetProperty("skus")[0].GetProperty("id").GetString(), quantity = 1 }, Ct), 422);
        Assert.Equal("group_buy_not_running", early.GetProperty("code").GetString());
        Assert.False((await Json.ReadAsync(await host.Api.Client().GetAsync($"group-buys/{id}", Ct), 200)).GetProperty("running").GetBoolean());

        var edit = Draft(product, [0, 1], 1_500, 4, 7_200, startsAt: DateTimeOffset.UtcNow.AddHours(1));
        await Json.ProblemAsync(await admin.PutAsJsonAsync($"admin/group-buys/{id}", edit, Ct), 428);
        await Json.ProblemAsync(await admin.SendAsync(WithIfMatch(HttpMethod.Put, $"admin/group-buys/{id}", edit, "\"7\""), Ct), 412);
        using var edited = await admin.SendAsync(WithIfMatch(HttpMethod.Put, $"admin/group-buys/{id}", edit, "\"1\""), Ct);
        var updated = await Json.ReadAsync(edited, 200);
        Assert.Equal(("\"2\"", 4, 2), (edited.Headers.ETag?.Tag, updated.GetProperty("groupSize").GetInt32(), updated.GetProperty("skus").GetArrayLength()));

        var paused = await Json.ReadAsync(await admin.PostAsync($"admin/group-buys/{id}/pause", null, Ct), 200);
        Assert.Equal("paused", Status(paused));
        Assert.Equal("active", Status(await Json.ReadAsync(await admin.SendAsync(WithIfMatch(HttpMethod.Post, $"admin/group-buys/{id}/resume", null, "\"3\""), Ct), 200)));
        Assert.Equal("ended", Status(await Json.ReadAsync(await admin.PostAsync($"admin/group-buys/{id}/end", null, Ct), 200)));
        Assert.Equal("group_buy_ended", (await Json.ProblemAsync(await admin.PostAsync($"admin/group-buys/{id}/resume", null, Ct), 409)).GetProperty("code").GetString());

        var list = await Json.ReadAsync(await admin.GetAsync($"admin/group-buys?shopId={DemoShopSeeder.ShopId}", Ct), 200);
        Assert.Contains(list.EnumerateArray(), x => x.GetProperty("id").GetString() == id);
        await Json.ProblemAsync(await admin.GetAsync("admin/group-buys", Ct), 400, "shopId");

        // Once started, the content is fixed.
        var running = await gb.CreateAsync("prd-demo-cap", [2], 500, 2, 60);
        var started = await Json.ProblemAsync(await admin.SendAsync(WithIfMatch(HttpMethod.Put, $"admin/group-buys/{running.Id}", edit, "\"1\""), Ct), 409);
        Assert.Equal("group_buy_started", started.GetProperty("code").GetString());
        var results = await Json.ReadAsync(await admin.GetAsync($"admin/group-buys/{running.Id}/results", Ct), 200);
        Assert.Equal((0L, 0L), (results.GetProperty("groupsOpened").GetInt64(), results.GetProperty("ordersSucceeded").GetInt64()));
    }

    [Fact]
    public async Task Shoppers_get_field_errors_and_clear_refusals()
    {
        var a = await gb.CreateAsync("prd-demo-shirt", [1], 2_000, 2, 600, limit: 3);
        var shopper = await Shopper.CreateAsync(host.Api, "gb-validate");

        await Json.ProblemAsync(await PostAsync(shopper, $"group-buys/{a.Id}/groups", new { quantity = 0 }, null), 400,
            "skuId", "quantity", "addressId", "expectedPayableFen", "Idempotency-Key");
        await Json.ProblemAsync(await PostAsync(shopper, $"group-buys/{a.Id}/groups", new { skuId = "other", quantity = 1, addressId = shopper.AddressId, expectedPayableFen = 1 }, "k1"),
            400, "skuId");
        await Json.ProblemAsync(await PostAsync(shopper, $"group-buys/{a.Id}/groups", new { skuId = a.SkuIds[0], quantity = 4, addressId = shopper.AddressId, expectedPayableFen = 1 }, "k2"),
            400, "quantity");
        var changed = await Json.ProblemAsync(await PostAsync(shopper, $"group-buys/{a.Id}/groups",
            new { skuId = a.SkuIds[0], quantity = 1, addressId = shopper.AddressId, expectedPayableFen = 1 }, "k3"), 409);
        Assert.Equal("price_changed", changed.GetProperty("code").GetString());
        await Json.ProblemAsync(await gb.JoinAsync(shopper, a, $"{a.Id}-0123456789abcdef", expectedPayableFen: 1), 404);
        await Json.ProblemAsync(await PostAsync(shopper, "group-buys/groups/not-a-group/join", new { skuId = a.SkuIds[0], quantity = 1, addressId = shopper.AddressId, expectedPayableFen = 1 }, "k4"), 404);
        await Json.ProblemAsync(await host.Api.Client().GetAsync("group-buys/groups/nothing-here", Ct), 404);
        await Json.ProblemAsync(await host.Api.Client().GetAsync("group-buys/gb_unknown", Ct), 404);
        await Json.ProblemAsync(await host.Api.Client().PostAsJsonAsync($"group-buys/{a.Id}/groups", new { }, Ct), 401);

        // The failed attempts above left no seat or units behind: the whole limit is still there.
        var opened = await Json.ReadAsync(await gb.OpenAsync(shopper, a, quantity: 3), 201);
        var view = await Json.ReadAsync(await host.Api.Client().GetAsync($"group-buys/{a.Id}", Ct), 200);
        Assert.True(view.GetProperty("running").GetBoolean());
        Assert.Contains(view.GetProperty("openGroups").EnumerateArray(), g => g.GetProperty("groupId").GetString() == opened.GetProperty("groupId").GetString());
        Assert.Equal(a.GroupPrices[0], view.GetProperty("skus")[0].GetProperty("groupPriceFen").GetInt64());
    }

    [Fact]
    public async Task A_member_holds_at_most_the_limit_one_seat_per_group_and_a_cancelled_order_gives_its_units_back()
    {
        var a = await gb.CreateAsync("prd-demo-tee", [3, 4], 2_000, 2, 600, limit: 2);
        var member = await Shopper.CreateAsync(host.Api, "gb-limit-member");
        var other = await Shopper.CreateAsync(host.Api, "gb-limit-other");

        var key = Guid.NewGuid().ToString("N");
        var own = await Json.ReadAsync(await gb.OpenAsync(member, a, 0, 2, key), 201);
        var ownGroup = own.GetProperty("groupId").GetString()!;
        using (var replay = await gb.OpenAsync(member, a, 0, 2, key))
        {
            var again = await Json.ReadAsync(replay, 200);
            Assert.Equal((ownGroup, OrderIdOf(own)), (again.GetProperty("groupId").GetString(), OrderIdOf(again)));
            Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        }

        var limit = await Json.ProblemAsync(await gb.OpenAsync(member, a, 1, 1), 422);
        Assert.Equal("group_buy_limit", limit.GetProperty("code").GetString());
        var theirs = await Json.ReadAsync(await gb.OpenAsync(other, a, 1, 1), 201);
        var theirGroup = theirs.GetProperty("groupId").GetString()!;
        Assert.Equal("group_buy_limit", (await Json.ProblemAsync(await gb.JoinAsync(member, a, theirGroup, 1, 1), 422)).GetProperty("code").GetString());
        Assert.Equal("already_in_group", (await Json.ProblemAsync(await gb.JoinAsync(member, a, ownGroup, 0, 1, expectedPayableFen: 1), 409)).GetProperty("code").GetString());

        // Cancelling the unpaid order frees its seat and its units.
        await Json.ReadAsync(await member.Client.PostAsync($"orders/{OrderIdOf(own)}/cancel", null, Ct), 200);
        Assert.Equal(2, (await gb.GroupAsync(ownGroup)).GetProperty("seatsLeft").GetInt32());
        var joined = await Json.ReadAsync(await gb.JoinAsync(member, a, theirGroup, 1, 2), 201);
        Assert.Equal(theirGroup, joined.GetProperty("groupId").GetString());
        var full = await gb.GroupAsync(theirGroup);
        Assert.Equal((0, 2), (full.GetProperty("seatsLeft").GetInt32(), full.GetProperty("members").GetArrayLength()));
        var third = await Shopper.CreateAsync(host.Api, "gb-limit-third");
        Assert.Equal("group_full", (await Json.ProblemAsync(await gb.JoinAsync(third, a, theirGroup, 1, 1, expectedPayableFen: 1), 409)).GetProperty("code").GetString());
        // A retry of the same cancelled open does not take the seat again.
        Assert.Equal("group_order_closed", (await Json.ProblemAsync(await gb.OpenAsync(member, a, 0, 2, key), 409)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_key_already_used_for_another_group_order_is_refused_and_leaves_no_seat_behind()
    {
        var a = await gb.CreateAsync("prd-demo-jeans", [6], 3_000, 3, 600, limit: 5);
        var member = await Shopper.CreateAsync(host.Api, "gb-key-member");
        var other = await Shopper.CreateAsync(host.Api, "gb-key-other");
        var key = Guid.NewGuid().ToString("N");
        await Json.ReadAsync(await gb.OpenAsync(member, a, key: key), 201);
        var theirGroup = (await Json.ReadAsync(await gb.OpenAsync(other, a), 201)).GetProperty("groupId").GetString()!;

        var reused = await Json.ProblemAsync(await gb.JoinAsync(member, a, theirGroup, key: key), 422);
        Assert.Equal("idempotency_key_reused", reused.GetProperty("code").GetString());
        var group = await gb.GroupAsync(theirGroup);
        Assert.Equal((2, 1), (group.GetProperty("seatsLeft").GetInt32(), group.GetProperty("members").GetArrayLength()));
        await Json.ReadAsync(await gb.JoinAsync(member, a, theirGroup), 201);
    }

    [Fact]
    public async Task Operators_act_only_on_their_own_shops_activities()
    {
        var admin = host.Api.Client(await host.Api.AdminTokenAsync());
        var merchant = host.Api.Client(await host.Api.AdminTokenAsync(DemoShopSeeder.MerchantUser));
        var tea = await gb.ProductAsync("prd-demo-longjing");

        await Json.ProblemAsync(await merchant.PostAsJsonAsync("admin/group-buys", Draft(tea, [0], 1_000, 2, 600, shopId: DemoShopSeeder.TeaShopId), Ct), 403);
        var teaActivity = await Json.ReadAsync(await admin.PostAsJsonAsync("admin/group-buys", Draft(tea, [0], 1_000, 2, 600, shopId: DemoShopSeeder.TeaShopId), Ct), 201);
        var id = teaActivity.GetProperty("id").GetString();
        await Json.ProblemAsync(await merchant.GetAsync($"admin/group-buys/{id}", Ct), 403);
        await Json.ProblemAsync(await merchant.GetAsync($"admin/group-buys/{id}/results", Ct), 403);
        await Json.ProblemAsync(await merchant.PostAsync($"admin/group-buys/{id}/pause", null, Ct), 403);
        await Json.ProblemAsync(await merchant.SendAsync(WithIfMatch(HttpMethod.Put, $"admin/group-buys/{id}", Draft(tea, [0], 1_000, 2, 600, shopId: DemoShopSeeder.TeaShopId), "\"1\""), Ct), 403);
        await Json.ProblemAsync(await merchant.GetAsync($"admin/group-buys?shopId={DemoShopSeeder.TeaShopId}", Ct), 403);
        Assert.Equal("active", Status(await Json.ReadAsync(await admin.GetAsync($"admin/group-buys/{id}", Ct), 200)));

        var own = await Json.ReadAsync(await merchant.PostAsJsonAsync("admin/group-buys", Draft(await gb.ProductAsync("prd-demo-jeans"), [5], 1_000, 2, 600), Ct), 201);
        Assert.Contains((await Json.ReadAsync(await merchant.GetAsync($"admin/group-buys?shopId={DemoShopSeeder.ShopId}", Ct), 200)).EnumerateArray(),
            x => x.GetProperty("id").GetString() == own.GetProperty("id").GetString());

        var member = await Shopper.CreateAsync(host.Api, "gb-scope-member");
        await Json.ProblemAsync(await member.Client.GetAsync($"admin/group-buys/{id}", Ct), 401);
        await Json.ProblemAsync(await host.Api.Client().PostAsJsonAsync("admin/group-buys", new { }, Ct), 401);
    }
}
