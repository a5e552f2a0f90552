using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Coupons;

public class CouponApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object TemplateBody(string? shopId = null, long total = 100, int perMember = 1, DateTimeOffset? claimFrom = null, string name = "满100减10") => new
    {
        name, shopId,
        benefit = new { kind = "amountOff", amountFen = 1_000 },
        thresholdFen = 10_000,
        claimStartsAt = claimFrom ?? DateTimeOffset.UtcNow.AddDays(-1),
        claimEndsAt = DateTimeOffset.UtcNow.AddDays(10),
        validity = new { kind = "daysFromClaim", days = 7 },
        totalQuantity = total,
        perMemberLimit = perMember,
    };

    private async Task<JsonElement> CreateTemplateAsync(object body)
        => await Json.ReadAsync(await host.Client(await host.AdminTokenAsync()).PostAsJsonAsync("admin/coupon-templates", body, Ct), 201);

    private async Task<HttpResponseMessage> ClaimAsync(string token, string templateId, string? key = null)
    {
        var client = host.Client(token);
        if (key is not null) client.DefaultRequestHeaders.Add("Idempotency-Key", key);
        return await client.PostAsync($"coupon-templates/{templateId}/claim", null, Ct);
    }

    private async Task<List<JsonElement>> WalletAsync(string token, string? status = null)
        => (await Json.ReadAsync(await host.Client(token).GetAsync("wallet/coupons" + (status is null ? "" : $"?status={status}"), Ct), 200)).EnumerateArray().ToList();

    [Fact]
    public async Task Claim_retry_limit_and_wallet_round_trip()
    {
        var member = await host.MemberTokenAsync($"coupon-{Guid.NewGuid():N}"[..20]);

        var first = await ClaimAsync(member, DemoShopSeeder.ShopCouponTemplateId, "claim-1");
        var coupon = await Json.ReadAsync(first, 201);
        var location = first.Headers.Location!.ToString();
        Assert.Equal(coupon.GetProperty("id").GetString(), (await Json.ReadAsync(await host.Client(member).GetAsync(location.Replace("/api/", ""), Ct), 200)).GetProperty("id").GetString());
        Assert.Equal($"cpn:{DemoShopSeeder.ShopCouponTemplateId}:1", coupon.GetProperty("id").GetString());
        Assert.Equal(("available", DemoShopSeeder.ShopId, 5_000L), (coupon.GetProperty("status").GetString(), coupon.GetProperty("shopId").GetString(),
            coupon.GetProperty("benefit").GetProperty("amountFen").GetInt64()));

        var retried = await Json.ReadAsync(await ClaimAsync(member, DemoShopSeeder.ShopCouponTemplateId, "claim-1"), 200);
        Assert.Equal(coupon.GetProperty("id").GetString(), retried.GetProperty("id").GetString());

        await Json.ReadAsync(await ClaimAsync(member, DemoShopSeeder.ShopCouponTemplateId), 201);
        var limit = await Json.ProblemAsync(await ClaimAsync(member, DemoShopSeeder.ShopCouponTemplateId), 409);
        Assert.Equal("limit_reached", limit.GetProperty("code").GetString());

        var wallet = await WalletAsync(member);
        Assert.Equal(2, wallet.Count);
        Assert.All(wallet, c => Assert.Equal("available", c.GetProperty("status").GetString()));
        Assert.Equal(2, (await WalletAsync(member, "available")).Count);
        Assert.Empty(await WalletAsync(member, "used"));
        await Json.ProblemAsync(await host.Client(member).GetAsync("wallet/coupons?status=lost", Ct), 400, "status");

        var claimable = await Json.ReadAsync(await host.Client(member).GetAsync($"coupon-templates?shopId={DemoShopSeeder.ShopId}", Ct), 200);
        var entry = claimable.EnumerateArray().Single(t => t.GetProperty("id").GetString() == DemoShopSeeder.ShopCouponTemplateId);
        Assert.Equal((2, false), (entry.GetProperty("claimedByMe").GetInt32(), entry.GetProperty("canClaim").GetBoolean()));
        var anonymous = await Json.ReadAsync(await host.Client().GetAsync("coupon-templates?shopId=platform", Ct), 200);
        var platform = anonymous.EnumerateArray().Single(t => t.GetProperty("id").GetString() == DemoShopSeeder.PlatformCouponTemplateId);
        Assert.False(platform.TryGetProperty("claimedByMe", out _));
        Assert.DoesNotContain(anonymous.EnumerateArray(), t => t.GetProperty("id").GetString() == DemoShopSeeder.ShopCouponTemplateId);
    }

    [Fact]
    public async Task A_member_never_sees_another_members_coupons()
    {
        var alice = await host.MemberTokenAsync($"alice-{Guid.NewGuid():N}"[..20]);
        var bob = await host.MemberTokenAsync($"bob-{Guid.NewGuid():N}"[..20]);
        var aliceCoupon = await Json.ReadAsync(await ClaimAsync(alice, DemoShopSeeder.PlatformCouponTemplateId), 201);

        Assert.Empty(await WalletAsync(bob));
        Assert.Equal([aliceCoupon.GetProperty("id").GetString()], (await WalletAsync(alice)).Select(c => c.GetProperty("id").GetString()));

        // Bob's claim of the same template is his own slot 1, in his own partition.
        var bobCoupon = await Json.ReadAsync(await ClaimAsync(bob, DemoShopSeeder.PlatformCouponTemplateId), 201);
        Assert.Equal(aliceCoupon.GetProperty("id").GetString(), bobCoupon.GetProperty("id").GetString());
        Assert.Single(await WalletAsync(alice));
        Assert.Single(await WalletAsync(bob));

        var aliceId = Uri.EscapeDataString(aliceCoupon.GetProperty("id").GetString()!);
        await Json.ProblemAsync(await host.Client(await host.MemberTokenAsync($"carol-{Guid.NewGuid():N}"[..20])).GetAsync($"wallet/coupons/{aliceId}", Ct), 404);
        await Json.ProblemAsync(await host.Client(alice).GetAsync($"wallet/coupons/idem%3Acoupon-claim%3Ax", Ct), 404);
        await Json.ProblemAsync(await host.Client().GetAsync("wallet/coupons", Ct), 401);
        await Json.ProblemAsync(await host.Client(await host.AdminTokenAsync()).GetAsync("wallet/coupons", Ct), 401);
        await Json.ProblemAsync(await host.Client().PostAsync($"coupon-templates/{DemoShopSeeder.PlatformCouponTemplateId}/claim", null, Ct), 401);
    }

    [Fact]
    public async Task Sold_out_and_not_yet_claimable_are_clear_problems()
    {
        var single = await CreateTemplateAsync(TemplateBody(total: 1));
        var id = single.GetProperty("id").GetString()!;
        await Json.ReadAsync(await ClaimAsync(await host.MemberTokenAsync($"first-{Guid.NewGuid():N}"[..20]), id), 201);
        var soldOut = await Json.ProblemAsync(await ClaimAsync(await host.MemberTokenAsync($"second-{Guid.NewGuid():N}"[..20]), id), 409);
        Assert.Equal("sold_out", soldOut.GetProperty("code").GetString());

        var later = await CreateTemplateAsync(TemplateBody(claimFrom: DateTimeOffset.UtcNow.AddDays(2)));
        var early = await Json.ProblemAsync(await ClaimAsync(await host.MemberTokenAsync("early-bird"), later.GetProperty("id").GetString()!), 422);
        Assert.Equal("not_claimable_yet", early.GetProperty("code").GetString());

        await Json.ProblemAsync(await ClaimAsync(await host.MemberTokenAsync("early-bird"), "ctp_missing"), 404);
        await Json.ProblemAsync(await ClaimAsync(await host.MemberTokenAsync("early-bird"), id, "not a key!"), 400, "Idempotency-Key");
    }

    [Fact]
    public async Task Admin_template_crud_with_etags_and_the_issued_floor()
    {
        var admin = await host.AdminTokenAsync();
        var created = await host.Client(admin).PostAsJsonAsync("admin/coupon-templates", TemplateBody(DemoShopSeeder.TeaShopId, total: 5, name: "茶叶券"), Ct);
        var template = await Json.ReadAsync(created, 201);
        var id = template.GetProperty("id").GetString()!;
        Assert.Equal(("\"1\"", 0L, DemoShopSeeder.TeaShopId), (created.Headers.ETag?.Tag, template.GetProperty("issued").GetInt64(), template.GetProperty("ownerId").GetString()));

        await Json.ReadAsync(await ClaimAsync(await host.MemberTokenAsync($"tea-{Guid.NewGuid():N}"[..20]), id), 201);
        await Json.ReadAsync(await ClaimAsync(await host.MemberTokenAsync($"tea-{Guid.NewGuid():N}"[..20]), id), 201);

        var listed = await Json.ReadAsync(await host.Client(admin).GetAsync($"admin/coupon-templates?ownerId={DemoShopSeeder.TeaShopId}", Ct), 200);
        Assert.Equal(2, listed.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).GetProperty("issued").GetInt64());

        var ifMatch = host.Client(admin);
        ifMatch.DefaultRequestHeaders.TryAddWithoutValidation("If-Match", "\"1\"");
        await Json.ProblemAsync(await host.Client(admin).PutAsJsonAsync($"admin/coupon-templates/{id}", TemplateBody(DemoShopSeeder.TeaShopId, total: 10), Ct), 428);
        await Json.ProblemAsync(await ifMatch.PutAsJsonAsync($"admin/coupon-templates/{id}", TemplateBody(DemoShopSeeder.TeaShopId, total: 1), Ct), 400, "totalQuantity");
        await Json.ProblemAsync(await ifMatch.PutAsJsonAsync($"admin/coupon-templates/{id}", TemplateBody(DemoShopSeeder.ShopId, total: 10), Ct), 400, "shopId");
        var updated = await ifMatch.PutAsJsonAsync($"admin/coupon-templates/{id}", TemplateBody(DemoShopSeeder.TeaShopId, total: 10, name: "茶叶券2"), Ct);
        var body = await Json.ReadAsync(updated, 200);
        Assert.Equal(("\"2\"", 2L, 10L), (updated.Headers.ETag?.Tag, body.GetProperty("issued").GetInt64(), body.GetProperty("totalQuantity").GetInt64()));

        var paused = await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/coupon-templates/{id}/pause", null, Ct), 200);
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var refused = await Json.ProblemAsync(await ClaimAsync(await host.MemberTokenAsync($"tea-{Guid.NewGuid():N}"[..20]), id), 422);
        Assert.Equal("not_claimable", refused.GetProperty("code").GetString());
        await Json.ReadAsync(await host.Client(admin).PostAsync($"admin/coupon-templates/{id}/resume", null, Ct), 200);
        var got = await host.Client(admin).GetAsync($"admin/coupon-templates/{id}", Ct);
        Assert.Equal("\"4\"", got.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Merchants_manage_their_own_shops_coupons_only()
    {
        var merchant = await host.AdminTokenAsync(DemoShopSeeder.MerchantUser);

        var own = await Json.ReadAsync(await host.Client(merchant).PostAsJsonAsync("admin/coupon-templates", TemplateBody(DemoShopSeeder.ShopId), Ct), 201);
        await Json.ReadAsync(await host.Client(merchant).GetAsync($"admin/coupon-templates/{own.GetProperty("id").GetString()}", Ct), 200);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/coupon-templates", TemplateBody(DemoShopSeeder.TeaShopId), Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsJsonAsync("admin/coupon-templates", TemplateBody(null), Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync($"admin/coupon-templates/{DemoShopSeeder.PlatformCouponTemplateId}", Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).PostAsync($"admin/coupon-templates/{DemoShopSeeder.PlatformCouponTemplateId}/pause", null, Ct), 403);
        await Json.ProblemAsync(await host.Client(merchant).GetAsync($"admin/coupon-templates?ownerId={DemoShopSeeder.TeaShopId}", Ct), 403);
        await Json.ProblemAsync(await host.Client(await host.MemberTokenAsync("coupon-nosy")).GetAsync($"admin/coupon-templates?ownerId={DemoShopSeeder.ShopId}", Ct), 401);
    }

    [Fact]
    public async Task Invalid_templates_name_every_wrong_field()
    {
        var admin = await host.AdminTokenAsync();
        var bad = new
        {
            name = "", shopId = "no-such-shop-but-checked-later",
            benefit = new { kind = "percentOff", percentOffBasisPoints = 0, capFen = -5 },
            thresholdFen = -1,
            scope = new { kind = "skus", ids = new[] { "a", "a" } },
            claimStartsAt = DateTimeOffset.UtcNow, claimEndsAt = DateTimeOffset.UtcNow.AddDays(-1),
            validity = new { kind = "fixed", validFrom = DateTimeOffset.UtcNow },
            totalQuantity = 0, perMemberLimit = 100,
        };
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/coupon-templates", bad, Ct), 400,
            "name", "benefit.percentOffBasisPoints", "benefit.capFen", "thresholdFen", "scope.ids[1]", "claimEndsAt", "validity.validUntil",
            "totalQuantity", "perMemberLimit");
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/coupon-templates", TemplateBody("no-such-shop"), Ct), 400, "shopId");
        await Json.ProblemAsync(await host.Client(admin).PostAsJsonAsync("admin/coupon-templates",
            new { name = "x", benefit = new { kind = "amountOff", amountFen = 20_000 }, thresholdFen = 10_000 }, Ct), 400,
            "benefit.amountFen", "claimStartsAt", "claimEndsAt", "validity", "totalQuantity", "perMemberLimit");
    }
}
