using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class ValidationAndReasonTests
{
    [Fact]
    public void Zero_quantity_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 100), Line("l2", "s1", 100, 0)])));

        Assert.Equal("Lines[1].Quantity", error.Field);
    }

    [Fact]
    public void Negative_prices_and_bad_inputs_are_rejected()
    {
        Assert.Equal("Lines[0].ListPriceFen", Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", -1)]))).Field);
        Assert.Equal(
            "Lines[0].TierPrices[0].UnitPriceFen",
            Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 1) with { TierPrices = [new TierPrice(2, -5)] }]))).Field);
        Assert.Equal(
            "Wallet[1].Id",
            Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 1)], wallet: [AmountCoupon("c", "s1", 1), AmountCoupon("c", "s1", 2)]))).Field);
        Assert.Equal(
            "Wallet[0].Benefit.PercentOffBasisPoints",
            Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 1)], wallet: [PercentCoupon("c", "s1", 10_001)]))).Field);
        Assert.Equal(
            "Now",
            Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 1)]) with { Now = new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.FromHours(8)) })).Field);
        Assert.Equal(
            "PointsPolicy",
            Assert.Throws<PricingInputException>(() => Price(Request([Line("l1", "s1", 1)]) with { Points = new PointsRequest(null) })).Field);
    }

    [Fact]
    public void Empty_cart_prices_to_zero()
    {
        var result = Price(Request([], wallet: [AmountCoupon("c1", "s1", 100)]));

        Assert.Equal(0, result.Totals.PayableFen);
        Assert.Equal(UnusedCouponCode.NotInScope, result.UnusedOf("c1").Code);
    }

    [Theory]
    [InlineData(0, "¥0.00")]
    [InlineData(5, "¥0.05")]
    [InlineData(2_300, "¥23.00")]
    [InlineData(123_456, "¥1234.56")]
    [InlineData(-150, "-¥1.50")]
    public void Money_is_formatted_in_yuan(long fen, string text)
    {
        Assert.Equal(text, Fen.Format(fen));
    }

    [Fact]
    public void Platform_and_scoped_threshold_messages_say_where_to_spend()
    {
        var result = Price(Request(
            [Line("l1", "s1", 1_000, 1, "x")],
            wallet:
            [
                AmountCoupon("p", null, 100, thresholdFen: 1_500),
                AmountCoupon("ps", null, 100, thresholdFen: 1_600, scope: ItemScope.ForSkus("x")),
                AmountCoupon("ss", "s1", 100, thresholdFen: 1_700, scope: ItemScope.ForSkus("x")),
            ]));

        Assert.Equal("Spend ¥5.00 more to use this coupon.", result.UnusedOf("p").Message);
        Assert.Equal("Spend ¥6.00 more on eligible items to use this coupon.", result.UnusedOf("ps").Message);
        Assert.Equal("Spend ¥7.00 more on eligible items in this shop to use this coupon.", result.UnusedOf("ss").Message);
    }

    [Fact]
    public void Coupon_on_fully_discounted_items_has_nothing_to_discount()
    {
        var result = Price(Request([Line("l1", "s1", 1_000)], wallet: [AmountCoupon("big", "s1", 2_000), AmountCoupon("p", null, 100)]));

        Assert.Equal(["big"], result.ChosenCouponIds);
        Assert.Equal(UnusedCouponCode.NothingToDiscount, result.UnusedOf("p").Code);
    }
}
