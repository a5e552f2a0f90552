using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class BasePriceTests
{
    private static CartLine WithRules(int quantity = 1) => Line("l1", "s1", 10_000, quantity) with
    {
        MemberPrices = [new MemberPrice("gold", 9_000), new MemberPrice("silver", 9_500)],
        TierPrices = [new TierPrice(3, 9_200), new TierPrice(5, 8_800)],
    };

    [Fact]
    public void List_price_applies_without_other_rules()
    {
        var line = Price(Request([Line("l1", "s1", 1_234, 2)])).LineOf("l1");

        Assert.Equal(BasePriceRule.List, line.BaseRule);
        Assert.Equal(1_234, line.UnitPriceFen);
        Assert.Equal(2_468, line.LineAmountFen);
    }

    [Fact]
    public void Member_price_follows_the_member_level()
    {
        var gold = Price(Request([WithRules()], member: new MemberProfile("gold", 0))).LineOf("l1");
        var silver = Price(Request([WithRules()], member: new MemberProfile("silver", 0))).LineOf("l1");
        var guest = Price(Request([WithRules()])).LineOf("l1");

        Assert.Equal((BasePriceRule.Member, 9_000L), (gold.BaseRule, gold.UnitPriceFen));
        Assert.Equal((BasePriceRule.Member, 9_500L), (silver.BaseRule, silver.UnitPriceFen));
        Assert.Equal((BasePriceRule.List, 10_000L), (guest.BaseRule, guest.UnitPriceFen));
    }

    [Theory]
    [InlineData(2, BasePriceRule.List, 10_000)]
    [InlineData(3, BasePriceRule.QuantityTier, 9_200)]
    [InlineData(4, BasePriceRule.QuantityTier, 9_200)]
    [InlineData(5, BasePriceRule.QuantityTier, 8_800)]
    public void Quantity_tier_applies_from_its_minimum_quantity(int quantity, BasePriceRule rule, long unit)
    {
        var line = Price(Request([WithRules(quantity)])).LineOf("l1");

        Assert.Equal((rule, unit), (line.BaseRule, line.UnitPriceFen));
    }

    [Fact]
    public void Lowest_rule_wins_between_member_and_tier()
    {
        var line = Price(Request([WithRules(5)], member: new MemberProfile("gold", 0))).LineOf("l1");

        Assert.Equal((BasePriceRule.QuantityTier, 8_800L), (line.BaseRule, line.UnitPriceFen));
    }

    [Fact]
    public void Activity_price_wins_when_lowest_and_reports_its_kind()
    {
        var line = WithRules() with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 5_000) };

        var priced = Price(Request([line], member: new MemberProfile("gold", 0))).LineOf("l1");

        Assert.Equal((BasePriceRule.Activity, 5_000L, ActivityPriceKind.FlashSale), (priced.BaseRule, priced.UnitPriceFen, priced.ActivityKind!.Value));
    }

    [Fact]
    public void Non_exclusive_activity_price_loses_to_a_lower_member_price()
    {
        var line = WithRules() with { Activity = new ActivityPrice(ActivityPriceKind.GroupBuy, "gb1", 9_100) };

        var priced = Price(Request([line], member: new MemberProfile("gold", 0))).LineOf("l1");

        Assert.Equal((BasePriceRule.Member, 9_000L), (priced.BaseRule, priced.UnitPriceFen));
    }

    [Fact]
    public void Exclusive_activity_price_wins_even_when_higher()
    {
        var line = WithRules() with { Activity = new ActivityPrice(ActivityPriceKind.GroupBuy, "gb1", 9_900) { IsExclusive = true } };

        var priced = Price(Request([line], member: new MemberProfile("gold", 0))).LineOf("l1");

        Assert.Equal((BasePriceRule.Activity, 9_900L), (priced.BaseRule, priced.UnitPriceFen));
    }

    [Fact]
    public void Activity_price_outside_its_window_is_ignored()
    {
        var ended = Line("l1", "s1", 10_000) with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 1) { EndsAt = Now } };
        var notStarted = Line("l2", "s1", 10_000) with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 1) { StartsAt = Now.AddTicks(1) } };
        var running = Line("l3", "s1", 10_000) with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 1) { StartsAt = Now, EndsAt = Now.AddTicks(1) } };

        var result = Price(Request([ended, notStarted, running]));

        Assert.Equal(BasePriceRule.List, result.LineOf("l1").BaseRule);
        Assert.Equal(BasePriceRule.List, result.LineOf("l2").BaseRule);
        Assert.Equal(BasePriceRule.Activity, result.LineOf("l3").BaseRule);
    }

    [Fact]
    public void A_tie_prefers_the_rule_without_activity_restrictions()
    {
        var line = Line("l1", "s1", 10_000) with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 10_000) };

        Assert.Equal(BasePriceRule.List, Price(Request([line])).LineOf("l1").BaseRule);
    }

    [Fact]
    public void Presale_reports_the_deposit_for_the_line()
    {
        var line = Line("l1", "s1", 10_000, 3) with
        {
            Activity = new ActivityPrice(ActivityPriceKind.Presale, "ps1", 8_000) { DepositFen = 1_000 },
        };

        var priced = Price(Request([line])).LineOf("l1");

        Assert.Equal((24_000L, 3_000L), (priced.LineAmountFen, priced.PresaleDepositFen!.Value));
    }

    [Fact]
    public void Activity_line_that_forbids_coupons_and_promotions_gets_neither()
    {
        var flash = Line("l1", "s1", 10_000) with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "fs1", 6_000) };

        var result = Price(Request(
            [flash],
            [FullReduction("fr", "s1", (1_000, 500))],
            [AmountCoupon("c1", "s1", 500)]));

        Assert.Empty(result.AppliedPromotionIds);
        Assert.Equal(6_000, result.Totals.PayableFen);
        var unused = result.UnusedOf("c1");
        Assert.Equal(UnusedCouponCode.ActivityPriceExcludesCoupons, unused.Code);
        Assert.Equal("FlashSale", unused.Parameters["activityKinds"]);
    }

    [Fact]
    public void Activity_line_that_allows_coupons_takes_them()
    {
        var groupBuy = Line("l1", "s1", 10_000) with
        {
            Activity = new ActivityPrice(ActivityPriceKind.GroupBuy, "gb1", 6_000) { AllowsCoupons = true },
        };

        var result = Price(Request([groupBuy], [FullReduction("fr", "s1", (1_000, 500))], [AmountCoupon("c1", "s1", 700)]));

        Assert.Equal(["c1"], result.ChosenCouponIds);
        Assert.Empty(result.AppliedPromotionIds);
        Assert.Equal(5_300, result.Totals.PayableFen);
    }
}
