using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class PinnedCouponTests
{
    private static PricingRequest Cart(params string[] pinned) => Request(
        [Line("l1", "s1", 10_000)],
        [FullReduction("fr", "s1", (10_000, 1_000))],
        [AmountCoupon("small", "s1", 100), AmountCoupon("big", "s1", 800), AmountCoupon("p", null, 300), AmountCoupon("expired", "s1", 900, validity: new ValidityWindow(Now.AddDays(-9), Now.AddDays(-1)))])
        with
    {
        PinnedCouponIds = pinned,
    };

    [Fact]
    public void Pinned_coupon_is_used_even_if_worse_and_others_are_not_selected()
    {
        var result = Price(Cart("small"));

        Assert.True(result.PinnedCouponsHonoured);
        Assert.Equal(["small"], result.ChosenCouponIds);
        Assert.Equal(["fr"], result.AppliedPromotionIds);
        Assert.Equal(UnusedCouponCode.NotSelected, result.UnusedOf("big").Code);
        Assert.Equal(UnusedCouponCode.NotSelected, result.UnusedOf("p").Code);
    }

    [Fact]
    public void Empty_pin_list_means_no_coupon()
    {
        var result = Price(Cart());

        Assert.Empty(result.ChosenCouponIds);
        Assert.True(result.PinnedCouponsHonoured);
    }

    [Fact]
    public void Invalid_or_unknown_pins_are_reported_and_the_rest_still_priced()
    {
        var result = Price(Cart("expired", "p", "nope"));

        Assert.False(result.PinnedCouponsHonoured);
        Assert.Equal(["nope"], result.UnknownPinnedCouponIds);
        Assert.Equal(["p"], result.ChosenCouponIds);
        var expired = result.UnusedOf("expired");
        Assert.True(expired.WasPinned);
        Assert.Equal(UnusedCouponCode.Expired, expired.Code);
    }

    [Fact]
    public void Conflicting_pins_keep_the_better_and_explain_the_other()
    {
        var result = Price(Cart("small", "big"));

        Assert.False(result.PinnedCouponsHonoured);
        Assert.Equal(["big"], result.ChosenCouponIds);
        Assert.Equal(UnusedCouponCode.WorseThanChosen, result.UnusedOf("small").Code);
    }

    [Fact]
    public void Pinned_coupon_that_needs_a_promotion_dropped_is_honoured_by_dropping_it()
    {
        var request = Request(
            [Line("l1", "s1", 10_000)],
            [FullReduction("fr", "s1", (10_000, 1_000))],
            [AmountCoupon("needs-full", "s1", 200, thresholdFen: 10_000)]) with
        {
            PinnedCouponIds = ["needs-full"],
        };

        var result = Price(request);

        Assert.True(result.PinnedCouponsHonoured);
        Assert.Equal(["needs-full"], result.ChosenCouponIds);
        Assert.Empty(result.AppliedPromotionIds);
    }
}
