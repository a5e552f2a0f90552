using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class PointsAndShippingTests
{
    private static PricingRequest WithPoints(long goods, long balance, long? maxPoints, PointsPolicy policy, params Coupon[] wallet) =>
        Request([Line("l1", "s1", goods)], wallet: wallet, member: new MemberProfile(null, balance)) with
        {
            Points = new PointsRequest(maxPoints),
            PointsPolicy = policy,
        };

    [Fact]
    public void Points_are_capped_by_the_share_of_the_order()
    {
        var result = Price(WithPoints(8_000, 100_000, null, new PointsPolicy(100, 5_000, false)));

        Assert.Equal(new PointsDeduction(4_000, 4_000), result.Points);
        Assert.Equal(4_000, result.Totals.PayableFen);
    }

    [Fact]
    public void Points_are_capped_by_the_balance_and_the_requested_maximum()
    {
        Assert.Equal(new PointsDeduction(1_234, 1_234), Price(WithPoints(8_000, 1_234, null, new PointsPolicy(100, 10_000, false))).Points);
        Assert.Equal(new PointsDeduction(500, 500), Price(WithPoints(8_000, 1_234, 500, new PointsPolicy(100, 10_000, false))).Points);
    }

    [Fact]
    public void Whole_yuan_steps_round_the_deduction_down()
    {
        var result = Price(WithPoints(8_100, 100_000, null, new PointsPolicy(100, 5_000, true)));

        Assert.Equal(new PointsDeduction(4_000, 4_000), result.Points); // cap 40.50 -> 40
    }

    [Fact]
    public void Uneven_rates_convert_in_exact_steps()
    {
        // 30 points = ¥1, so 3 points = 10 fen: 100 points buy 33 steps.
        var result = Price(WithPoints(8_000, 100, null, new PointsPolicy(30, 10_000, false)));

        Assert.Equal(new PointsDeduction(99, 330), result.Points);
    }

    [Fact]
    public void Points_apply_after_coupons_and_never_take_the_payable_below_zero()
    {
        var result = Price(WithPoints(8_000, 1_000_000, null, new PointsPolicy(100, 10_000, false), AmountCoupon("c1", "s1", 3_000)));

        Assert.Equal(new PointsDeduction(5_000, 5_000), result.Points);
        Assert.Equal(0, result.Totals.PayableFen);
        Assert.Equal(5_000, result.LineOf("l1").Allocations.Single(a => a.Kind == DiscountKind.Points).AmountFen);
    }

    [Fact]
    public void No_points_without_a_request()
    {
        var request = Request([Line("l1", "s1", 8_000)], member: new MemberProfile(null, 10_000)) with { PointsPolicy = new PointsPolicy(100, 10_000, false) };

        Assert.Equal(new PointsDeduction(0, 0), Price(request).Points);
    }

    private static ShippingTemplate ByWeight => new("s1", ShippingBasis.Weight, new ShippingRate(1_000, 800, 500, 300))
    {
        RegionalRates = [new RegionalRate(["650000", "540000"], new ShippingRate(1_000, 2_000, 1_000, 1_000))],
        FreeProvinceCodes = ["310000"],
    };

    private static PricingResult Ship(ShippingTemplate template, string? province, params CartLine[] lines) =>
        Price(Request(lines) with { ShippingTemplates = [template], DestinationProvinceCode = province });

    [Theory]
    [InlineData(1_000, 800)]
    [InlineData(1_001, 1_100)]
    [InlineData(1_500, 1_100)]
    [InlineData(2_200, 1_700)]
    [InlineData(0, 800)]
    public void Weight_template_charges_first_weight_then_each_started_block(long grams, long fee)
    {
        var result = Ship(ByWeight, "440000", Line("l1", "s1", 1_000) with { WeightGrams = grams });

        Assert.Equal(fee, result.Totals.ShippingFen);
    }

    [Fact]
    public void Weight_counts_every_unit_of_every_line_of_the_shop()
    {
        var result = Ship(ByWeight, null, Line("l1", "s1", 1_000, 3) with { WeightGrams = 300 }, Line("l2", "s1", 1_000, 1) with { WeightGrams = 600 });

        Assert.Equal(800 + 300, result.Totals.ShippingFen); // 1500 g: first 1000 g + one started 500 g block
    }

    [Fact]
    public void Regional_rate_and_free_region_override_the_default()
    {
        var line = Line("l1", "s1", 1_000) with { WeightGrams = 2_000 };

        Assert.Equal(3_000, Ship(ByWeight, "650000", line).Totals.ShippingFen);
        Assert.Equal(0, Ship(ByWeight, "310000", line).Totals.ShippingFen);
    }

    [Theory]
    [InlineData(1, 600)]
    [InlineData(2, 600)]
    [InlineData(3, 800)]
    [InlineData(5, 1_000)]
    public void Count_template_charges_first_items_then_each_block(int quantity, long fee)
    {
        var template = new ShippingTemplate("s1", ShippingBasis.Count, new ShippingRate(2, 600, 2, 200));

        Assert.Equal(fee, Ship(template, null, Line("l1", "s1", 1_000, quantity)).Totals.ShippingFen);
    }

    [Fact]
    public void Free_over_threshold_reads_the_amount_after_discounts()
    {
        var template = new ShippingTemplate("s1", ShippingBasis.Count, new ShippingRate(1, 1_000, 1, 0)) { FreeOverFen = 9_000 };
        PricingResult With(long couponOff) => Price(Request([Line("l1", "s1", 10_000)], wallet: [AmountCoupon("c", "s1", couponOff)]) with { ShippingTemplates = [template] });

        Assert.Equal((0L, 9_000L), (With(1_000).Totals.ShippingFen, With(1_000).Totals.PayableFen));
        Assert.Equal((1_000L, 9_000L), (With(2_000).Totals.ShippingFen, With(2_000).Totals.PayableFen));
    }

    [Fact]
    public void Shipping_is_summed_per_shop_and_a_shop_without_template_ships_free()
    {
        var request = Request([Line("l1", "s1", 1_000), Line("l2", "s2", 1_000), Line("l3", "s3", 1_000)]) with
        {
            ShippingTemplates =
            [
                new ShippingTemplate("s1", ShippingBasis.Count, new ShippingRate(1, 500, 1, 0)),
                new ShippingTemplate("s2", ShippingBasis.Count, new ShippingRate(1, 700, 1, 0)),
            ],
        };

        var result = Price(request);

        Assert.Equal([500L, 700L, 0L], result.Shops.Select(s => s.ShippingFen));
        Assert.Equal(1_200, result.Totals.ShippingFen);
        Assert.Equal(4_200, result.Totals.PayableFen);
    }
}
