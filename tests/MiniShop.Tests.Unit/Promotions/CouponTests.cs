using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class CouponTests
{
    [Theory]
    [InlineData(9_999, 0)]
    [InlineData(10_000, 1_500)]
    public void Fixed_coupon_applies_from_exactly_its_threshold(long goods, long expectedOff)
    {
        var result = Price(Request([Line("l1", "s1", goods)], wallet: [AmountCoupon("c1", "s1", 1_500, thresholdFen: 10_000)]));

        Assert.Equal(expectedOff, result.Totals.CouponDiscountFen);
    }

    [Fact]
    public void Threshold_not_met_says_how_much_more_to_spend_in_the_shop()
    {
        var result = Price(Request([Line("l1", "s1", 7_700)], wallet: [AmountCoupon("c1", "s1", 1_500, thresholdFen: 10_000)]));

        var unused = result.UnusedOf("c1");
        Assert.Equal(UnusedCouponCode.ThresholdNotMet, unused.Code);
        Assert.Equal("2300", unused.Parameters["missingFen"]);
        Assert.Equal("Spend ¥23.00 more in this shop to use this coupon.", unused.Message);
    }

    [Fact]
    public void Threshold_is_measured_after_promotions()
    {
        var result = Price(Request(
            [Line("l1", "s1", 10_000)],
            [FullReduction("fr", "s1", (10_000, 1_000))],
            [AmountCoupon("c1", "s1", 500, thresholdFen: 10_000)]));

        Assert.Equal(["fr"], result.AppliedPromotionIds);
        Assert.Equal("1000", result.UnusedOf("c1").Parameters["missingFen"]);
    }

    [Fact]
    public void Fixed_coupon_never_exceeds_the_eligible_amount()
    {
        var result = Price(Request([Line("l1", "s1", 300)], wallet: [AmountCoupon("c1", "s1", 1_000)]));

        Assert.Equal((300L, 0L), (result.Totals.CouponDiscountFen, result.Totals.PayableFen));
    }

    [Theory]
    [InlineData(10_000, 2_000)]
    [InlineData(25_000, 5_000)]
    [InlineData(100_000, 5_000)]
    [InlineData(999, 199)] // 20% of 9.99 = 1.998 -> 1.99
    public void Percent_coupon_rounds_down_and_respects_its_cap(long goods, long expectedOff)
    {
        var result = Price(Request([Line("l1", "s1", goods)], wallet: [PercentCoupon("c1", "s1", 2_000, capFen: 5_000)]));

        Assert.Equal(expectedOff, result.Totals.CouponDiscountFen);
    }

    [Fact]
    public void Coupon_scoped_to_skus_discounts_only_those_lines()
    {
        var result = Price(Request(
            [Line("l1", "s1", 5_000, 1, "x"), Line("l2", "s1", 5_000, 1, "y")],
            wallet: [PercentCoupon("c1", "s1", 1_000, scope: ItemScope.ForSkus("x"))]));

        Assert.Equal(500, result.LineOf("l1").Allocations.Single().AmountFen);
        Assert.Empty(result.LineOf("l2").Allocations);
    }

    [Fact]
    public void Coupon_for_another_shop_or_other_items_is_not_in_scope()
    {
        var result = Price(Request(
            [Line("l1", "s1", 5_000, 1, null, "food")],
            wallet: [AmountCoupon("other-shop", "s2", 100), AmountCoupon("other-cat", "s1", 100, scope: ItemScope.ForCategories("toys"))]));

        Assert.Equal(UnusedCouponCode.NotInScope, result.UnusedOf("other-shop").Code);
        Assert.Equal(UnusedCouponCode.NotInScope, result.UnusedOf("other-cat").Code);
        Assert.Equal("No item in your cart is eligible for this coupon.", result.UnusedOf("other-cat").Message);
    }

    [Fact]
    public void Coupon_validity_window_is_checked()
    {
        var result = Price(Request(
            [Line("l1", "s1", 5_000)],
            wallet:
            [
                AmountCoupon("future", "s1", 100, validity: new ValidityWindow(Now.AddTicks(1), Now.AddDays(1))),
                AmountCoupon("expired", "s1", 100, validity: new ValidityWindow(Now.AddDays(-2), Now)),
                AmountCoupon("starts-now", "s1", 50, validity: new ValidityWindow(Now, Now.AddDays(1))),
            ]));

        Assert.Equal(["starts-now"], result.ChosenCouponIds);
        Assert.Equal(UnusedCouponCode.NotYetValid, result.UnusedOf("future").Code);
        Assert.Equal(UnusedCouponCode.Expired, result.UnusedOf("expired").Code);
        Assert.Equal("This coupon expired at 2025-06-01 12:00 UTC.", result.UnusedOf("expired").Message);
    }

    [Fact]
    public void One_coupon_per_shop_the_better_one_and_the_other_says_why()
    {
        var result = Price(Request(
            [Line("l1", "s1", 10_000)],
            wallet: [AmountCoupon("small", "s1", 500), AmountCoupon("big", "s1", 800)]));

        Assert.Equal(["big"], result.ChosenCouponIds);
        var unused = result.UnusedOf("small");
        Assert.Equal(UnusedCouponCode.WorseThanChosen, unused.Code);
        Assert.Equal("big", unused.Parameters["chosenId"]);
    }

    [Fact]
    public void Each_shop_gets_its_own_coupon_and_a_platform_coupon_stacks_on_top()
    {
        var result = Price(Request(
            [Line("l1", "s1", 10_000), Line("l2", "s2", 10_000)],
            wallet: [AmountCoupon("s1c", "s1", 500), AmountCoupon("s2c", "s2", 700), AmountCoupon("pc", null, 1_000, thresholdFen: 18_000)]));

        Assert.Equal(["s1c", "s2c", "pc"], result.ChosenCouponIds);
        Assert.Equal(2_200, result.Totals.CouponDiscountFen);
        Assert.Equal(1_000, result.PlatformDiscounts.Single().AmountFen);
    }

    [Fact]
    public void Exact_search_beats_greedy_when_a_shop_coupon_would_break_a_platform_threshold()
    {
        var result = Price(Request(
            [Line("l1", "s1", 10_000)],
            wallet: [AmountCoupon("shop", "s1", 1_000), AmountCoupon("platform", null, 3_000, thresholdFen: 10_000)]));

        Assert.Equal(["platform"], result.ChosenCouponIds);
        Assert.Equal(UnusedCouponCode.WorseThanChosen, result.UnusedOf("shop").Code);
        Assert.False(result.UnusedOf("shop").Parameters.ContainsKey("chosenId"));
    }

    [Fact]
    public void Exclusive_groups_never_combine_and_the_loser_names_the_conflict()
    {
        var request = Request(
            [Line("l1", "s1", 40_000)],
            [FullReduction("fr", "s1", (30_000, 4_000))],
            [AmountCoupon("pc", null, 3_000)]) with
        {
            Stacking = new StackingPolicy([new ExclusiveGroups(StackingGroups.PlatformCoupon, StackingGroups.ShopFullReduction)]),
        };

        var result = Price(request);

        Assert.Equal(["fr"], result.AppliedPromotionIds);
        Assert.Empty(result.ChosenCouponIds);
        var unused = result.UnusedOf("pc");
        Assert.Equal(UnusedCouponCode.ExcludedByStacking, unused.Code);
        Assert.Equal("fr", unused.Parameters["conflictsWith"]);
    }

    [Fact]
    public void Exclusion_between_shop_groups_applies_within_a_shop_only()
    {
        var request = Request(
            [Line("l1", "s1", 40_000), Line("l2", "s2", 40_000)],
            [FullReduction("fr1", "s1", (30_000, 4_000))],
            [AmountCoupon("c2", "s2", 3_000)]) with
        {
            Stacking = new StackingPolicy([new ExclusiveGroups(StackingGroups.ShopCoupon, StackingGroups.ShopFullReduction)]),
        };

        var result = Price(request);

        Assert.Equal(["fr1"], result.AppliedPromotionIds);
        Assert.Equal(["c2"], result.ChosenCouponIds);
    }

    [Fact]
    public void Custom_stacking_group_puts_two_platform_coupons_together()
    {
        var result = Price(Request(
            [Line("l1", "s1", 10_000)],
            wallet: [AmountCoupon("pc", null, 500), AmountCoupon("newcomer", null, 300) with { StackingGroup = "Newcomer" }]));

        Assert.Equal(800, result.Totals.CouponDiscountFen);
    }

    [Fact]
    public void Ties_prefer_fewer_coupons()
    {
        var request = Request(
            [Line("l1", "s1", 10_000)],
            wallet: [AmountCoupon("shop", "s1", 500), AmountCoupon("newcomer", null, 500) with { StackingGroup = "Newcomer" }, AmountCoupon("platform", null, 1_000)]) with
        {
            Stacking = new StackingPolicy(
            [
                new ExclusiveGroups(StackingGroups.PlatformCoupon, StackingGroups.ShopCoupon),
                new ExclusiveGroups(StackingGroups.PlatformCoupon, "Newcomer"),
            ]),
        };

        var result = Price(request);

        Assert.Equal(["platform"], result.ChosenCouponIds);
        Assert.Equal(1_000, result.Totals.CouponDiscountFen);
    }

    [Fact]
    public void Equal_coupons_use_the_one_expiring_soonest_then_the_lower_id()
    {
        var later = AmountCoupon("a-later", "s1", 500, validity: Until(Now.AddDays(10)));
        var sooner = AmountCoupon("z-sooner", "s1", 500, validity: Until(Now.AddDays(2)));
        var sameExpiryB = AmountCoupon("b", "s2", 500, validity: Until(Now.AddDays(5)));
        var sameExpiryA = AmountCoupon("a", "s2", 500, validity: Until(Now.AddDays(5)));

        var result = Price(Request([Line("l1", "s1", 10_000), Line("l2", "s2", 10_000)], wallet: [later, sooner, sameExpiryB, sameExpiryA]));

        Assert.Equal(["a", "z-sooner"], result.ChosenCouponIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Identical_coupons_use_the_best_ranked_copy_and_explain_the_others()
    {
        var wallet = Enumerable.Range(0, 12).Select(i => AmountCoupon($"same-{i:00}", "s1", 500, validity: Until(Now.AddDays(20 - i)))).ToList();

        var result = Price(Request([Line("l1", "s1", 10_000)], wallet: wallet));

        Assert.Equal(["same-11"], result.ChosenCouponIds);
        Assert.All(result.UnusedCoupons, u => Assert.Equal((UnusedCouponCode.WorseThanChosen, "same-11"), (u.Code, u.Parameters["chosenId"])));
    }

    [Fact]
    public void Coupon_worth_less_than_the_shipping_it_would_cost_is_not_used()
    {
        var request = Request([Line("l1", "s1", 10_000)], wallet: [AmountCoupon("c1", "s1", 500)]) with
        {
            ShippingTemplates = [new ShippingTemplate("s1", ShippingBasis.Count, new ShippingRate(1, 1_000, 1, 0)) { FreeOverFen = 10_000 }],
        };

        var result = Price(request);

        Assert.Empty(result.ChosenCouponIds);
        Assert.Equal((0L, 10_000L), (result.Totals.ShippingFen, result.Totals.PayableFen));
        Assert.Equal(UnusedCouponCode.WorseThanChosen, result.UnusedOf("c1").Code);
    }
}
