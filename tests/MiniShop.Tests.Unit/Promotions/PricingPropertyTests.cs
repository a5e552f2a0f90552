using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Promotions;

/// <summary>Seeded property tests over thousands of random multi-shop carts.</summary>
public class PricingPropertyTests
{
    private static readonly IPricingEngine Engine = new PromotionEngine();

    [Fact]
    public void Chosen_combination_matches_a_brute_force_search_over_all_stackable_subsets()
    {
        var carts = new RandomCarts(seed: 7);
        for (var run = 0; run < 2_000; run++)
        {
            var request = carts.Next(maxOffers: 9);

            var result = Engine.Price(request);
            var best = BruteForcePricer.Solve(request);

            var context = $"run {run}";
            Assert.True(best.Objective == result.Totals.DiscountFen - result.Totals.ShippingFen, $"{context}: objective {result.Totals.DiscountFen - result.Totals.ShippingFen} != brute force {best.Objective}");
            Assert.True(best.Discount == result.Totals.DiscountFen, $"{context}: discount {result.Totals.DiscountFen} != brute force {best.Discount}");
            var chosen = result.ChosenCouponIds.Concat(result.AppliedPromotionIds).ToHashSet();
            Assert.True(best.Chosen.SetEquals(chosen), $"{context}: chose [{string.Join(",", chosen)}], brute force [{string.Join(",", best.Chosen)}]");
        }
    }

    [Fact]
    public void Totals_are_never_negative_and_every_discount_is_allocated_exactly()
    {
        var carts = new RandomCarts(seed: 11);
        for (var run = 0; run < 3_000; run++)
        {
            var request = carts.Next(maxOffers: 12);
            if (run % 3 == 0)
            {
                request = request with { PinnedCouponIds = [.. request.Wallet.Where((_, k) => (run + k) % 2 == 0).Select(c => c.Id), "unknown"] };
            }

            AssertConsistent(Engine.Price(request), request, $"run {run}");
        }
    }

    [Fact]
    public void Input_order_of_wallet_and_promotions_does_not_change_the_result()
    {
        var carts = new RandomCarts(seed: 13);
        var shuffle = new Random(17);
        for (var run = 0; run < 1_000; run++)
        {
            var request = carts.Next(maxOffers: 12);
            var shuffled = request with
            {
                Wallet = [.. request.Wallet.OrderBy(_ => shuffle.Next())],
                Promotions = [.. request.Promotions.OrderBy(_ => shuffle.Next())],
            };

            var a = Engine.Price(request);
            var b = Engine.Price(shuffled);

            Assert.Equal(a.ChosenCouponIds, b.ChosenCouponIds);
            Assert.Equal(a.AppliedPromotionIds, b.AppliedPromotionIds);
            Assert.Equal(a.Totals, b.Totals);
            Assert.Equal(Allocations(a), Allocations(b));
            Assert.Equal(
                a.UnusedCoupons.Select(u => (u.CouponId, u.Code, u.Message)).OrderBy(u => u.CouponId, StringComparer.Ordinal),
                b.UnusedCoupons.Select(u => (u.CouponId, u.Code, u.Message)).OrderBy(u => u.CouponId, StringComparer.Ordinal));
        }
    }

    private static List<(string, string, long)> Allocations(PricingResult result) =>
        [.. result.Shops.SelectMany(s => s.Lines).SelectMany(l => l.Allocations.Select(a => (l.LineId, a.SourceId, a.AmountFen)))];

    private static void AssertConsistent(PricingResult result, PricingRequest request, string context)
    {
        var lines = result.Shops.SelectMany(s => s.Lines).ToList();
        Assert.Equal(request.Lines.Count, lines.Count);
        foreach (var line in lines)
        {
            Assert.True(line.Allocations.All(a => a.AmountFen > 0), context);
            Assert.True(line.PayableFen >= 0 && line.PayableFen == line.LineAmountFen - line.Allocations.Sum(a => a.AmountFen), $"{context}: line {line.LineId}");
        }

        var allocated = lines.SelectMany(l => l.Allocations).GroupBy(a => a.SourceId).ToDictionary(g => g.Key, g => g.Sum(a => a.AmountFen));
        var discounts = result.Shops.SelectMany(s => s.ShopDiscounts).Concat(result.PlatformDiscounts).ToList();
        foreach (var discount in discounts)
        {
            Assert.True(discount.AmountFen > 0, context);
            Assert.True(allocated.GetValueOrDefault(discount.SourceId) == discount.AmountFen, $"{context}: {discount.SourceId} allocated {allocated.GetValueOrDefault(discount.SourceId)} of {discount.AmountFen}");
        }

        Assert.Equal(result.Points.DeductedFen, allocated.GetValueOrDefault("points"));
        Assert.Equal(discounts.Count + (result.Points.DeductedFen > 0 ? 1 : 0), allocated.Count);

        foreach (var shop in result.Shops)
        {
            Assert.True(shop.PayableFen >= 0 && shop.ShippingFen >= 0, context);
            Assert.Equal(shop.GoodsFen - shop.ShopDiscountFen - shop.PlatformDiscountShareFen - shop.PointsShareFen + shop.ShippingFen, shop.PayableFen);
        }

        var t = result.Totals;
        Assert.True(t.PayableFen >= 0 && t.DiscountFen >= 0 && t.PointsDeductionFen >= 0, context);
        Assert.Equal(t.GoodsFen - t.DiscountFen - t.PointsDeductionFen + t.ShippingFen, t.PayableFen);
        Assert.Equal(result.Shops.Sum(s => s.PayableFen), t.PayableFen);
        Assert.Equal(t.PromotionDiscountFen + t.CouponDiscountFen, t.DiscountFen);
        Assert.Equal(discounts.Sum(d => d.AmountFen), t.DiscountFen);

        // Each wallet coupon is either chosen or explained, once.
        Assert.Equal(
            request.Wallet.Select(c => c.Id).Order(StringComparer.Ordinal),
            result.ChosenCouponIds.Concat(result.UnusedCoupons.Select(u => u.CouponId)).Order(StringComparer.Ordinal));
        Assert.All(result.UnusedCoupons, u => Assert.False(string.IsNullOrWhiteSpace(u.Message)));
        if (request.PinnedCouponIds is { } pinned)
        {
            Assert.All(result.ChosenCouponIds, id => Assert.Contains(id, pinned));
        }

        if (request.Points is not null && request.Member is not null)
        {
            Assert.True(result.Points.PointsUsed <= request.Member.PointsBalance, context);
            Assert.True(result.Points.PointsUsed <= (request.Points.MaxPoints ?? long.MaxValue), context);
            var goodsAfterDiscounts = t.GoodsFen - t.DiscountFen;
            Assert.True(result.Points.DeductedFen * 10_000 <= goodsAfterDiscounts * request.PointsPolicy!.MaxShareBasisPoints, context);
            Assert.Equal(result.Points.DeductedFen * request.PointsPolicy.PointsPerYuan, result.Points.PointsUsed * 100);
        }
    }
}
