using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class PromotionRuleTests
{
    private static readonly Promotion TieredFullReduction = FullReduction("fr", "s1", (30_000, 4_000), (50_000, 8_000));

    [Theory]
    [InlineData(29_999, 0)]
    [InlineData(30_000, 4_000)]
    [InlineData(49_999, 4_000)]
    [InlineData(50_000, 8_000)]
    [InlineData(90_000, 8_000)]
    public void Full_reduction_applies_the_best_reached_tier_inclusive_of_the_threshold(long goods, long expectedOff)
    {
        var result = Price(Request([Line("l1", "s1", goods)], [TieredFullReduction]));

        Assert.Equal(expectedOff, result.Totals.PromotionDiscountFen);
        Assert.Equal(goods - expectedOff, result.Totals.PayableFen);
    }

    [Fact]
    public void Full_reduction_takes_the_largest_reduction_even_if_tiers_are_listed_out_of_order()
    {
        var promotion = FullReduction("fr", "s1", (50_000, 8_000), (30_000, 4_000), (40_000, 3_000));

        Assert.Equal(4_000, Price(Request([Line("l1", "s1", 45_000)], [promotion])).Totals.DiscountFen);
    }

    [Theory]
    [InlineData(9_999, 0)]
    [InlineData(10_000, 1_000)]
    [InlineData(25_000, 2_000)]
    [InlineData(35_000, 3_000)]
    [InlineData(99_000, 3_000)]
    public void Repeating_reduction_counts_whole_steps_up_to_the_cap(long goods, long expectedOff)
    {
        var promotion = new Promotion("every", "s1", ItemScope.All, ValidityWindow.Always, new RepeatingReductionRule(10_000, 1_000, 3_000));

        Assert.Equal(expectedOff, Price(Request([Line("l1", "s1", goods)], [promotion])).Totals.DiscountFen);
    }

    [Fact]
    public void Multi_buy_needs_the_item_count_and_rounds_down_to_the_fen()
    {
        var promotion = MultiBuy("mb", "s1", 2, 1_000);

        var one = Price(Request([Line("l1", "s1", 333)], [promotion]));
        var three = Price(Request([Line("l1", "s1", 333, 3)], [promotion]));

        Assert.Equal(0, one.Totals.DiscountFen);
        Assert.Equal(99, three.Totals.DiscountFen); // 10% of 999 = 99.9 -> 99
    }

    [Fact]
    public void Multi_buy_counts_and_discounts_only_eligible_lines()
    {
        var promotion = new Promotion("mb", "s1", ItemScope.ForCategories("shoes"), ValidityWindow.Always,
            new MultiBuyRule([new MultiBuyTier(2, 1_000), new MultiBuyTier(3, 2_000)]));
        var lines = new[]
        {
            Line("a", "s1", 10_000, 1, null, "apparel", "shoes"),
            Line("b", "s1", 20_000, 1, null, "apparel", "shoes"),
            Line("c", "s1", 50_000, 1, null, "apparel"),
        };

        var result = Price(Request(lines, [promotion]));

        Assert.Equal(3_000, result.Totals.DiscountFen);
        Assert.Equal(1_000, result.LineOf("a").Allocations.Single().AmountFen);
        Assert.Equal(2_000, result.LineOf("b").Allocations.Single().AmountFen);
        Assert.Empty(result.LineOf("c").Allocations);
    }

    [Fact]
    public void Full_reduction_threshold_is_measured_after_multi_buy()
    {
        var lines = new[] { Line("l1", "s1", 15_000, 2) };

        var result = Price(Request(lines, [MultiBuy("mb", "s1", 2, 1_000), FullReduction("fr", "s1", (30_000, 4_000), (27_000, 2_000))]));

        Assert.Equal(["mb", "fr"], result.AppliedPromotionIds);
        Assert.Equal(3_000 + 2_000, result.Totals.DiscountFen);
    }

    [Fact]
    public void Category_scope_matches_ancestor_categories_on_the_line()
    {
        var promotion = FullReduction("fr", "s1", (1_000, 100)) with { Scope = ItemScope.ForCategories("food") };
        var lines = new[] { Line("l1", "s1", 1_000, 1, null, "food", "food/snacks"), Line("l2", "s1", 5_000, 1, null, "toys") };

        var result = Price(Request(lines, [promotion]));

        Assert.Equal(100, result.LineOf("l1").Allocations.Single().AmountFen);
        Assert.Empty(result.LineOf("l2").Allocations);
    }

    [Fact]
    public void Sku_scope_only_counts_those_skus_towards_the_threshold()
    {
        var promotion = FullReduction("fr", "s1", (2_000, 300)) with { Scope = ItemScope.ForSkus("x") };

        var notReached = Price(Request([Line("l1", "s1", 1_000, 1, "x"), Line("l2", "s1", 5_000, 1, "y")], [promotion]));
        var reached = Price(Request([Line("l1", "s1", 1_000, 2, "x"), Line("l2", "s1", 5_000, 1, "y")], [promotion]));

        Assert.Equal(0, notReached.Totals.DiscountFen);
        Assert.Equal(300, reached.Totals.DiscountFen);
    }

    [Fact]
    public void Shop_promotion_never_covers_another_shop()
    {
        var result = Price(Request([Line("l1", "s1", 20_000), Line("l2", "s2", 20_000)], [FullReduction("fr", "s1", (30_000, 4_000))]));

        Assert.Equal(0, result.Totals.DiscountFen);
    }

    [Fact]
    public void Platform_promotion_spans_shops_and_is_allocated_proportionally()
    {
        var result = Price(Request([Line("l1", "s1", 20_000), Line("l2", "s2", 10_000)], [FullReduction("pfr", null, (30_000, 3_000))]));

        Assert.Equal(3_000, result.Totals.DiscountFen);
        Assert.Equal(2_000, result.LineOf("l1").Allocations.Single().AmountFen);
        Assert.Equal(1_000, result.LineOf("l2").Allocations.Single().AmountFen);
        Assert.Equal(DiscountLevel.Platform, result.PlatformDiscounts.Single().Level);
        Assert.All(result.Shops, s => Assert.Empty(s.ShopDiscounts));
    }

    [Fact]
    public void Validity_window_includes_its_start_and_excludes_its_end()
    {
        PricingResult At(ValidityWindow window) =>
            Price(Request([Line("l1", "s1", 10_000)], [FullReduction("fr", "s1", (0, 100)) with { Validity = window }]));

        Assert.Equal(100, At(new ValidityWindow(Now, Now.AddDays(1))).Totals.DiscountFen);
        Assert.Equal(0, At(new ValidityWindow(Now.AddDays(-1), Now)).Totals.DiscountFen);
        Assert.Equal(0, At(new ValidityWindow(Now.AddTicks(1), Now.AddDays(1))).Totals.DiscountFen);
    }

    [Fact]
    public void Only_one_shop_promotion_per_kind_the_better_one()
    {
        var result = Price(Request(
            [Line("l1", "s1", 40_000)],
            [FullReduction("small", "s1", (10_000, 1_000)), FullReduction("big", "s1", (30_000, 4_000))]));

        Assert.Equal(["big"], result.AppliedPromotionIds);
    }

    [Fact]
    public void Promotions_of_different_kinds_and_levels_stack()
    {
        var result = Price(Request(
            [Line("l1", "s1", 20_000, 2)],
            [MultiBuy("mb", "s1", 2, 1_000), FullReduction("fr", "s1", (30_000, 2_000)), FullReduction("pfr", null, (10_000, 500))]));

        Assert.Equal(["mb", "fr", "pfr"], result.AppliedPromotionIds);
        Assert.Equal(4_000 + 2_000 + 500, result.Totals.DiscountFen);
    }
}
