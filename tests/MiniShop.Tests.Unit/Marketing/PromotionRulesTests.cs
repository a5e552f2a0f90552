using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Marketing;

public class PromotionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static PromotionDraft Valid(PromotionRuleDraft? rule = null, ScopeDraft? scope = null) => new(
        "满300减40", null, rule ?? Tiers((30_000, 4_000), (50_000, 8_000)), scope ?? new ScopeDraft(ScopeKind.All, null),
        Now.AddDays(-1), Now.AddDays(10), null);

    private static PromotionRuleDraft Tiers(params (long? Threshold, long? Off)[] tiers)
        => new(PromotionRuleKind.FullReduction, tiers.Select(t => new ReductionTierDraft(t.Threshold, t.Off)).ToList(), null, null, null, null);

    private static PromotionRuleDraft MultiBuy(params (int? Items, int? Bp)[] tiers)
        => new(PromotionRuleKind.MultiBuy, null, null, null, null, tiers.Select(t => new MultiBuyTierDraft(t.Items, t.Bp)).ToList());

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(PromotionDraft draft, string owner = "shop-1")
        => Assert.Throws<ValidationException>(() => PromotionRules.Create("prm-1", owner, draft, Now)).Errors;

    [Fact]
    public void A_valid_tiered_full_reduction_maps_to_the_engine_rule()
    {
        var p = PromotionRules.Create("prm-1", "shop-1", Valid() with { StackingGroup = " vip " }, Now);

        Assert.Equal((MarketingStatus.Active, 1L, "shop-1"), (p.Status, p.Version, p.ShopId));
        var engine = p.ToEngine();
        Assert.Equal("prm-1", engine.Id);
        Assert.Equal("shop-1", engine.ShopId);
        Assert.Equal("vip", engine.StackingGroup);
        Assert.Equal(new ValidityWindow(Now.AddDays(-1), Now.AddDays(10)), engine.Validity);
        var rule = Assert.IsType<FullReductionRule>(engine.Rule);
        Assert.Equal([new ReductionTier(30_000, 4_000), new ReductionTier(50_000, 8_000)], rule.Tiers);
        Assert.Equal(PromotionKind.FullReduction, engine.Kind);
    }

    [Fact]
    public void Repeating_and_multi_buy_rules_map_too_and_platform_items_have_no_shop()
    {
        var repeating = PromotionRules.Create("prm-r", MarketingOwners.Platform,
            Valid(new PromotionRuleDraft(PromotionRuleKind.RepeatingReduction, null, 10_000, 1_000, 5_000, null)), Now).ToEngine();
        Assert.Null(repeating.ShopId);
        Assert.Equal(new RepeatingReductionRule(10_000, 1_000, 5_000), repeating.Rule);

        var multi = PromotionRules.Create("prm-m", MarketingOwners.Platform, Valid(MultiBuy((2, 1_000), (3, 1_500)), new ScopeDraft(ScopeKind.Categories, ["tea"])), Now).ToEngine();
        Assert.Equal(PromotionKind.MultiBuy, multi.Kind);
        Assert.Equal([new MultiBuyTier(2, 1_000), new MultiBuyTier(3, 1_500)], ((MultiBuyRule)multi.Rule).Tiers);
        Assert.Equal(ScopeKind.Categories, multi.Scope.Kind);
        Assert.Equal(["tea"], multi.Scope.Ids);
    }

    [Fact]
    public void Tiers_must_ascend_and_each_reduction_stay_below_its_threshold()
    {
        var errors = ErrorsOf(Valid(Tiers((30_000, 4_000), (20_000, 5_000), (50_000, 60_000), (60_000, 3_000))));

        Assert.Contains("rule.tiers[1].thresholdFen", errors.Keys);
        Assert.Contains("rule.tiers[2].reductionFen", errors.Keys);
        Assert.Contains("rule.tiers[3].reductionFen", errors.Keys);
        Assert.DoesNotContain("rule.tiers[0].thresholdFen", errors.Keys);
    }

    [Fact]
    public void Empty_or_missing_values_name_their_fields()
    {
        var errors = ErrorsOf(new PromotionDraft("", null, null, null, null, null, "not a group!"));

        Assert.Equal(["endsAt", "name", "rule", "stackingGroup", "startsAt"], errors.Keys.Order());
        Assert.Contains("rule.tiers", ErrorsOf(Valid(Tiers())).Keys);
        Assert.Contains("rule.kind", ErrorsOf(Valid(new PromotionRuleDraft(null, null, null, null, null, null))).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    [InlineData(-5)]
    public void Percent_off_is_1_to_9999_basis_points(int bp)
        => Assert.Contains("rule.multiBuyTiers[0].percentOffBasisPoints", ErrorsOf(Valid(MultiBuy((2, bp)))).Keys);

    [Fact]
    public void Multi_buy_tiers_must_ascend_in_items_and_discount()
    {
        var errors = ErrorsOf(Valid(MultiBuy((3, 1_000), (2, 1_500), (4, 500), (0, 100))));
        Assert.Contains("rule.multiBuyTiers[1].minItems", errors.Keys);
        Assert.Contains("rule.multiBuyTiers[2].percentOffBasisPoints", errors.Keys);
        Assert.Contains("rule.multiBuyTiers[3].minItems", errors.Keys);
    }

    [Fact]
    public void A_repeating_reduction_needs_a_step_a_smaller_reduction_and_a_cap_above_it()
    {
        var errors = ErrorsOf(Valid(new PromotionRuleDraft(PromotionRuleKind.RepeatingReduction, null, 10_000, 10_000, 500, null)));
        Assert.Contains("rule.reductionFen", errors.Keys);
        Assert.Contains("rule.everyFen", ErrorsOf(Valid(new PromotionRuleDraft(PromotionRuleKind.RepeatingReduction, null, 0, 100, null, null))).Keys);
        Assert.Contains("rule.maxReductionFen", ErrorsOf(Valid(new PromotionRuleDraft(PromotionRuleKind.RepeatingReduction, null, 10_000, 1_000, 500, null))).Keys);
    }

    [Fact]
    public void The_window_must_end_after_it_starts_and_times_are_stored_in_utc_whole_seconds()
    {
        Assert.Contains("endsAt", ErrorsOf(Valid() with { StartsAt = Now, EndsAt = Now }).Keys);

        var local = new DateTimeOffset(2026, 12, 1, 8, 0, 0, 123, TimeSpan.FromHours(8));
        var p = PromotionRules.Create("prm-1", "shop-1", Valid() with { StartsAt = local, EndsAt = local.AddDays(1) }, Now);
        Assert.Equal(TimeSpan.Zero, p.StartsAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), p.StartsAt);
    }

    [Fact]
    public void Scopes_need_ids_except_all_and_shop_scopes_are_for_platform_items()
    {
        Assert.Contains("scope.ids", ErrorsOf(Valid(scope: new ScopeDraft(ScopeKind.Categories, []))).Keys);
        Assert.Contains("scope.ids", ErrorsOf(Valid(scope: new ScopeDraft(ScopeKind.All, ["x"]))).Keys);
        Assert.Contains("scope.ids[1]", ErrorsOf(Valid(scope: new ScopeDraft(ScopeKind.Skus, ["a", "a"]))).Keys);
        Assert.Contains("scope.ids[0]", ErrorsOf(Valid(scope: new ScopeDraft(ScopeKind.Spus, ["bad id"]))).Keys);
        Assert.Contains("scope.kind", ErrorsOf(Valid(scope: new ScopeDraft(ScopeKind.Shops, ["shop-2"]))).Keys);
        var platform = PromotionRules.Create("prm-1", MarketingOwners.Platform, Valid(scope: new ScopeDraft(ScopeKind.Shops, ["shop-2"])), Now);
        Assert.Equal(ScopeKind.Shops, platform.Scope.Kind);
    }

    [Fact]
    public void An_update_keeps_identity_status_and_creation_and_bumps_the_version()
    {
        var p = PromotionRules.Create("prm-1", "shop-1", Valid(), Now) with { Status = MarketingStatus.Paused };
        var updated = PromotionRules.Update(p, Valid() with { Name = "新名字" }, Now.AddHours(1));

        Assert.Equal(("prm-1", "shop-1", MarketingStatus.Paused, 2L, "新名字"), (updated.Id, updated.OwnerId, updated.Status, updated.Version, updated.Name));
        Assert.Equal(p.CreatedAt, updated.CreatedAt);
        Assert.Equal(Now.AddHours(1), updated.UpdatedAt);
    }

    [Fact]
    public void Running_means_active_and_inside_the_window()
    {
        var p = PromotionRules.Create("prm-1", "shop-1", Valid(), Now);
        Assert.True(p.IsRunningAt(Now));
        Assert.False(p.IsRunningAt(p.EndsAt));
        Assert.False(p.IsRunningAt(p.StartsAt.AddSeconds(-1)));
        Assert.False((p with { Status = MarketingStatus.Paused }).IsRunningAt(Now));
    }

    [Fact]
    public void The_mapped_promotion_prices_in_the_engine()
    {
        var p = PromotionRules.Create("prm-1", "shop-1", Valid(), Now).ToEngine();
        var line = new CartLine("l1", "shop-1", "sku-1", "spu-1", ["tshirts"], 2, 16_000);

        var result = new PromotionEngine().Price(new PricingRequest([line], null, [p], [], Now));

        Assert.Equal(["prm-1"], result.AppliedPromotionIds);
        Assert.Equal(4_000, result.Totals.PromotionDiscountFen);
    }

    [Theory]
    [InlineData(AdminRole.PlatformAdmin, "platform", true)]
    [InlineData(AdminRole.Operator, "platform", true)]
    [InlineData(AdminRole.MerchantAdmin, "platform", false)]
    [InlineData(AdminRole.MerchantAdmin, "shop-1", true)]
    [InlineData(AdminRole.MerchantAdmin, "shop-2", false)]
    [InlineData(AdminRole.CustomerService, "shop-1", false)]
    [InlineData(AdminRole.Operator, "shop-2", true)]
    public void Marketing_access_follows_role_and_shop_scope(string role, string owner, bool allowed)
    {
        var caller = Caller.Admin("op", [role], ["shop-1"], "s");
        if (allowed) Assert.Equal("op", caller.RequireMarketingAccess(owner));
        else Assert.Throws<ForbiddenException>(() => caller.RequireMarketingAccess(owner));
    }
}
