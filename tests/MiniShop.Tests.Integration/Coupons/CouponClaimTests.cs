using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Integration.Coupons;

public class CouponClaimTests(CouponServices services) : IClassFixture<CouponServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CouponClaimService Claims => services.Get<CouponClaimService>();

    private CouponTemplateAdminService Admin => services.Get<CouponTemplateAdminService>();

    private Container Members => services.Get<CosmosDb>().Container(CosmosSchema.Members);

    private async Task<List<WalletCoupon>> IssuedCouponsAsync(string templateId)
        => await Members.QueryAsync<WalletCoupon>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'coupon' AND c.templateId = @t").WithParameter("@t", templateId), null, ct: Ct);

    private async Task<(int Ok, List<ProblemException> Problems)> ClaimAllAsync(IEnumerable<Func<Task<CouponClaimResult>>> claims)
    {
        var outcomes = await Task.WhenAll(claims.Select(claim => Task.Run(async () =>
        {
            try { await claim(); return (ProblemException?)null; }
            catch (ProblemException e) { return e; }
        }, Ct)));
        return (outcomes.Count(o => o is null), outcomes.Where(o => o is not null).Select(o => o!).ToList());
    }

    [Fact]
    public async Task Hundred_members_racing_for_thirty_coupons_get_exactly_thirty()
    {
        var template = await services.TemplateAsync(CouponServices.Draft(total: 30));

        var (ok, problems) = await ClaimAllAsync(Enumerable.Range(0, 100).Select(_ => (Func<Task<CouponClaimResult>>)(() =>
            Claims.ClaimAsync(template.Id, CouponServices.NewMemberId(), null, Ct))));

        Assert.Equal(30, ok);
        Assert.Equal(70, problems.Count);
        Assert.All(problems, p => Assert.Equal((409, "sold_out"), (p.Status, p.Code)));
        Assert.Equal(30, (await Admin.GetAsync(template.Id, Ct)).Value.Issued);
        var coupons = await IssuedCouponsAsync(template.Id);
        Assert.Equal(30, coupons.Count);
        Assert.Equal(30, coupons.Select(c => c.MemberId).Distinct().Count());
    }

    [Fact]
    public async Task Twenty_concurrent_claims_by_one_member_with_a_limit_of_two_give_two()
    {
        var template = await services.TemplateAsync(CouponServices.Draft(total: 1_000, perMember: 2));
        var member = CouponServices.NewMemberId();

        var (ok, problems) = await ClaimAllAsync(Enumerable.Range(0, 20).Select(_ => (Func<Task<CouponClaimResult>>)(() =>
            Claims.ClaimAsync(template.Id, member, null, Ct))));

        Assert.Equal(2, ok);
        Assert.All(problems, p => Assert.Equal((409, "limit_reached"), (p.Status, p.Code)));
        var coupons = await IssuedCouponsAsync(template.Id);
        Assert.Equal([$"cpn:{template.Id}:1", $"cpn:{template.Id}:2"], coupons.Select(c => c.Id).Order());
        // Every claim that lost its slot gave its unit back.
        Assert.Equal(2, (await Admin.GetAsync(template.Id, Ct)).Value.Issued);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_same_coupon_even_when_concurrent()
    {
        var template = await services.TemplateAsync(CouponServices.Draft(perMember: 3));
        var member = CouponServices.NewMemberId();

        var first = await Claims.ClaimAsync(template.Id, member, "key-a", Ct);
        var again = await Claims.ClaimAsync(template.Id, member, "key-a", Ct);
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Coupon.Id, again.Coupon.Id);

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Claims.ClaimAsync(template.Id, member, "key-b", Ct), Ct)));
        Assert.Single(racing.Select(r => r.Coupon.Id).Distinct());
        Assert.Equal(2, (await IssuedCouponsAsync(template.Id)).Count);
        Assert.Equal(2, (await Admin.GetAsync(template.Id, Ct)).Value.Issued);

        var other = await services.TemplateAsync(CouponServices.Draft());
        var reused = await Assert.ThrowsAsync<BusinessRuleException>(() => Claims.ClaimAsync(other.Id, member, "key-a", Ct));
        Assert.Equal("idempotency_key_reused", reused.Code);
        await Assert.ThrowsAsync<ValidationException>(() => Claims.ClaimAsync(other.Id, member, "bad key!", Ct));
    }

    [Fact]
    public async Task Claims_outside_the_window_or_while_paused_are_refused_with_422()
    {
        var later = await services.TemplateAsync(CouponServices.Draft(claimFrom: DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal("not_claimable_yet", (await Assert.ThrowsAsync<BusinessRuleException>(() => Claims.ClaimAsync(later.Id, CouponServices.NewMemberId(), null, Ct))).Code);

        var paused = await services.TemplateAsync(CouponServices.Draft());
        await Admin.SetStatusAsync(paused.Id, MarketingStatus.Paused, null, Ct);
        var e = await Assert.ThrowsAsync<BusinessRuleException>(() => Claims.ClaimAsync(paused.Id, CouponServices.NewMemberId(), null, Ct));
        Assert.Equal((422, "not_claimable"), (e.Status, e.Code));

        await Assert.ThrowsAsync<NotFoundException>(() => Claims.ClaimAsync("ctp_missing", CouponServices.NewMemberId(), null, Ct));
        Assert.Equal(0, (await Admin.GetAsync(paused.Id, Ct)).Value.Issued);
    }

    [Fact]
    public async Task An_edit_during_claims_keeps_the_counter_and_cannot_lower_the_total_below_it()
    {
        var template = await services.TemplateAsync(CouponServices.Draft(total: 50));
        var claiming = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Claims.ClaimAsync(template.Id, CouponServices.NewMemberId(), null, Ct), Ct)));
        var updated = await Admin.UpdateAsync(template.Id, CouponServices.Draft(total: 60) with { Name = "改名" }, template.Version, Ct);
        await claiming;

        var stored = (await Admin.GetAsync(template.Id, Ct)).Value;
        Assert.Equal(("改名", 60L, 20L, 2L), (stored.Name, stored.TotalQuantity, stored.Issued, stored.Version));
        Assert.Equal(2, updated.Version);

        var error = await Assert.ThrowsAsync<ValidationException>(() => Admin.UpdateAsync(template.Id, CouponServices.Draft(total: 19), stored.Version, Ct));
        Assert.Contains("totalQuantity", error.Errors.Keys);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Admin.UpdateAsync(template.Id, CouponServices.Draft(total: 70), 1, Ct));
    }

    [Fact]
    public async Task The_claimable_list_shows_open_templates_and_the_callers_count()
    {
        var mine = await services.TemplateAsync(CouponServices.Draft(shopId: "shop-2", perMember: 2));
        var member = CouponServices.NewMemberId();
        await Claims.ClaimAsync(mine.Id, member, null, Ct);

        var list = await Claims.ClaimableAsync("shop-2", member, Ct);
        var entry = Assert.Single(list, c => c.Template.Id == mine.Id);
        Assert.Equal(1, entry.ClaimedByMe);
        Assert.All(list, c => Assert.Equal("shop-2", c.Template.ShopId));
        Assert.Null(Assert.Single(await Claims.ClaimableAsync("shop-2", null, Ct), c => c.Template.Id == mine.Id).ClaimedByMe);
    }
}
