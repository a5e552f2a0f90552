using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Coupons;

public class CouponRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static CouponTemplateDraft Valid(string? shopId = "shop-1") => new(
        "满199减20", null, shopId, new CouponBenefitDraft(CouponBenefitKind.AmountOff, 2_000, null, null), 19_900, null,
        Now.AddDays(-1), Now.AddDays(30), new CouponValidityDraft(CouponValidityKind.DaysFromClaim, null, null, 7), 100, 2, null);

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(CouponTemplateDraft draft)
        => Assert.Throws<ValidationException>(() => CouponTemplateRules.Create("ctp-1", draft, Now)).Errors;

    [Fact]
    public void A_valid_template_starts_active_with_nothing_issued()
    {
        var t = CouponTemplateRules.Create("ctp-1", Valid(), Now);

        Assert.Equal((MarketingStatus.Active, 0L, 1L, "shop-1", 100L), (t.Status, t.Issued, t.Version, t.OwnerId, t.Remaining));
        Assert.True(t.IsClaimableAt(Now));
        Assert.False(t.IsClaimableAt(t.ClaimEndsAt));
        Assert.Equal("platform", CouponTemplateRules.Create("ctp-2", Valid(null), Now).OwnerId);
        Assert.Equal("cpn:ctp-1:2", CouponTemplate.WalletCouponId("ctp-1", 2));
    }

    [Fact]
    public void Every_wrong_field_is_named()
    {
        var errors = ErrorsOf(new CouponTemplateDraft("", null, "platform", new CouponBenefitDraft(CouponBenefitKind.PercentOff, null, 10_000, 0), -1,
            new ScopeDraft(ScopeKind.Shops, ["shop-1"]), Now, Now.AddDays(-1), new CouponValidityDraft(CouponValidityKind.DaysFromClaim, null, null, 0), 0, 21, "x y"));

        Assert.Equal(
            ["benefit.capFen", "benefit.percentOffBasisPoints", "claimEndsAt", "name", "perMemberLimit", "scope.kind", "shopId", "stackingGroup",
             "thresholdFen", "totalQuantity", "validity.days"],
            errors.Keys.Order());
    }

    [Fact]
    public void An_amount_must_stay_below_the_threshold_unless_there_is_none()
    {
        Assert.Contains("benefit.amountFen", ErrorsOf(Valid() with { Benefit = new(CouponBenefitKind.AmountOff, 19_900, null, null) }).Keys);
        var noThreshold = CouponTemplateRules.Create("ctp-1", Valid() with { ThresholdFen = null, Benefit = new(CouponBenefitKind.AmountOff, 500, null, null) }, Now);
        Assert.Equal(0, noThreshold.ThresholdFen);
        Assert.Contains("benefit.kind", ErrorsOf(Valid() with { Benefit = new(null, 100, null, null) }).Keys);
        Assert.Contains("benefit", ErrorsOf(Valid() with { Benefit = null }).Keys);
    }

    [Fact]
    public void A_fixed_validity_needs_a_window_that_outlives_the_claim_start()
    {
        var fixedDraft = Valid() with { Validity = new(CouponValidityKind.Fixed, Now.AddDays(-10), Now.AddDays(-2), null) };
        Assert.Contains("validity.validUntil", ErrorsOf(fixedDraft).Keys);
        Assert.Contains("validity.validUntil", ErrorsOf(Valid() with { Validity = new(CouponValidityKind.Fixed, Now, Now, null) }).Keys);
        Assert.Contains("validity.validFrom", ErrorsOf(Valid() with { Validity = new(CouponValidityKind.Fixed, null, Now.AddDays(3), null) }).Keys);
        Assert.Contains("validity.kind", ErrorsOf(Valid() with { Validity = new(null, null, null, 3) }).Keys);
        Assert.Contains("validity", ErrorsOf(Valid() with { Validity = new(CouponValidityKind.DaysFromClaim, Now, null, 3) }).Keys);
    }

    [Fact]
    public void An_edit_keeps_the_counter_and_owner_and_cannot_go_below_what_was_issued()
    {
        var t = CouponTemplateRules.Create("ctp-1", Valid(), Now) with { Issued = 40, Status = MarketingStatus.Paused };

        var error = Assert.Throws<ValidationException>(() => CouponTemplateRules.Update(t, Valid() with { TotalQuantity = 39 }, Now));
        Assert.Contains("40", error.Errors["totalQuantity"][0]);
        Assert.Contains("shopId", Assert.Throws<ValidationException>(() => CouponTemplateRules.Update(t, Valid("shop-2"), Now)).Errors.Keys);

        var updated = CouponTemplateRules.Update(t, Valid() with { TotalQuantity = 40, Name = "新" }, Now.AddHours(1));
        Assert.Equal((40L, 40L, 0L, MarketingStatus.Paused, 2L, "新"), (updated.Issued, updated.TotalQuantity, updated.Remaining, updated.Status, updated.Version, updated.Name));
    }

    [Fact]
    public void A_claimed_coupon_copies_the_terms_and_its_window_counts_from_the_claim()
    {
        var t = CouponTemplateRules.Create("ctp-1", Valid() with { StackingGroup = "double11", Scope = new(ScopeKind.Categories, ["tea"]) }, Now);
        var claimedAt = Now.AddMinutes(5).AddMilliseconds(250);

        var c = WalletCoupon.Claim(t, "mbr_1", 2, claimedAt, "key-1");

        Assert.Equal(("cpn:ctp-1:2", "mbr_1", "ctp-1", "shop-1", WalletCouponStatus.Available), (c.Id, c.MemberId, c.TemplateId, c.ShopId, c.Status));
        Assert.Equal(Now.AddMinutes(5), c.ValidFrom);
        Assert.Equal(Now.AddMinutes(5).AddDays(7), c.ValidUntil);
        Assert.Equal("key-1", c.IdempotencyKey);
        Assert.Equal("coupon", c.Type);
    }

    [Fact]
    public void A_wallet_coupon_maps_to_the_engine_coupon_with_its_own_id()
    {
        var t = CouponTemplateRules.Create("ctp-1", Valid(null) with
        {
            Benefit = new(CouponBenefitKind.PercentOff, null, 1_500, 3_000), Scope = new(ScopeKind.Categories, ["tea"]), StackingGroup = "g1",
            Validity = new(CouponValidityKind.Fixed, Now.AddDays(-1), Now.AddDays(5), null),
        }, Now);
        var engine = WalletCoupon.Claim(t, "mbr_1", 1, Now, null).ToEngineCoupon();

        Assert.Equal("cpn:ctp-1:1", engine.Id);
        Assert.True(engine.IsPlatform);
        Assert.Equal(new PercentOff(1_500, 3_000), engine.Benefit);
        Assert.Equal(19_900, engine.ThresholdFen);
        Assert.Equal(new ValidityWindow(Now.AddDays(-1), Now.AddDays(5)), engine.Validity);
        Assert.Equal(ScopeKind.Categories, engine.Scope.Kind);
        Assert.Equal("g1", engine.StackingGroup);
    }

    [Fact]
    public void The_engine_uses_a_mapped_coupon()
    {
        var t = CouponTemplateRules.Create("ctp-1", Valid(), Now);
        var coupon = WalletCoupon.Claim(t, "mbr_1", 1, Now, null).ToEngineCoupon();
        var line = new CartLine("l1", "shop-1", "sku-1", "spu-1", [], 2, 10_000);

        var result = new PromotionEngine().Price(new PricingRequest([line], null, [], [coupon], Now.AddMinutes(1)));

        Assert.Equal([coupon.Id], result.ChosenCouponIds);
        Assert.Equal(2_000, result.Totals.CouponDiscountFen);
    }

    [Fact]
    public void Expired_is_computed_from_the_window_for_available_coupons_only()
    {
        var c = WalletCoupon.Claim(CouponTemplateRules.Create("ctp-1", Valid(), Now), "mbr_1", 1, Now, null);

        Assert.Equal(WalletCouponState.Available, c.StateAt(c.ValidUntil.AddSeconds(-1)));
        Assert.Equal(WalletCouponState.Expired, c.StateAt(c.ValidUntil));
        Assert.Equal(WalletCouponState.Locked, (c with { Status = WalletCouponStatus.Locked }).StateAt(c.ValidUntil.AddDays(1)));
        Assert.Equal(WalletCouponState.Used, (c with { Status = WalletCouponStatus.Used }).StateAt(c.ValidUntil.AddDays(1)));
    }
}
