namespace MiniShop.Domain.Promotions;

/// <summary>Assembles per-line, per-shop and order figures from the replayed offers, points and shipping.</summary>
internal static class PricingResultBuilder
{
    public static PricingResult Build(PricedCart cart, AppliedOffers applied, PointsDeduction points, ShippingModel shipping)
    {
        var lineCount = cart.Lines.Length;
        var pointsShares = new long[lineCount];
        DiscountAllocator.AllocateInto(points.DeductedFen, applied.FinalAmounts, [.. Enumerable.Range(0, lineCount)], pointsShares, new long[lineCount]);

        var shops = cart.ShopOrder.Select(shopId => BuildShop(shopId, cart, applied, pointsShares, shipping)).ToList();

        var platformDiscounts = applied.Applied
            .Where(a => a.Offer.Level == DiscountLevel.Platform)
            .Select(a => new AppliedDiscount(a.Offer.Id, a.Offer.Kind, DiscountLevel.Platform, a.Amount))
            .ToList();
        var promotionFen = applied.Applied.Where(a => !a.Offer.IsCoupon).Sum(a => a.Amount);
        var couponFen = applied.Applied.Where(a => a.Offer.IsCoupon).Sum(a => a.Amount);
        var totals = new OrderTotals(
            GoodsFen: cart.BaseAmounts.Sum(),
            PromotionDiscountFen: promotionFen,
            CouponDiscountFen: couponFen,
            DiscountFen: promotionFen + couponFen,
            ShippingFen: shops.Sum(s => s.ShippingFen),
            PointsDeductionFen: points.DeductedFen,
            PayableFen: shops.Sum(s => s.PayableFen));

        return new PricingResult(
            shops,
            platformDiscounts,
            points,
            totals,
            [.. applied.Applied.Where(a => a.Offer.IsCoupon).Select(a => a.Offer.Id)],
            [.. applied.Applied.Where(a => !a.Offer.IsCoupon).Select(a => a.Offer.Id)],
            []);
    }

    private static ShopPricing BuildShop(string shopId, PricedCart cart, AppliedOffers applied, long[] pointsShares, ShippingModel shipping)
    {
        var lines = new List<LinePricing>();
        for (var i = 0; i < cart.Lines.Length; i++)
        {
            if (cart.Lines[i].ShopId == shopId)
            {
                lines.Add(BuildLine(i, cart, applied, pointsShares[i]));
            }
        }

        var shopDiscounts = applied.Applied
            .Where(a => a.Offer.GroupKey.ShopId == shopId)
            .Select(a => new AppliedDiscount(a.Offer.Id, a.Offer.Kind, DiscountLevel.Shop, a.Amount))
            .ToList();
        var allocations = lines.SelectMany(l => l.Allocations).ToList();
        var goods = lines.Sum(l => l.LineAmountFen);
        var shopFen = allocations.Where(a => a.Kind != DiscountKind.Points && a.Level == DiscountLevel.Shop).Sum(a => a.AmountFen);
        var platformFen = allocations.Where(a => a.Kind != DiscountKind.Points && a.Level == DiscountLevel.Platform).Sum(a => a.AmountFen);
        var pointsFen = allocations.Where(a => a.Kind == DiscountKind.Points).Sum(a => a.AmountFen);
        var shippingFen = shipping.ShopFeeAt(shopId, applied.FinalAmounts);
        return new ShopPricing(
            shopId,
            lines,
            shopDiscounts,
            goods,
            shopFen,
            platformFen,
            pointsFen,
            shippingFen,
            lines.Sum(l => l.PayableFen) + shippingFen);
    }

    private static LinePricing BuildLine(int index, PricedCart cart, AppliedOffers applied, long pointsShare)
    {
        var line = cart.Lines[index];
        var price = cart.Prices[index];
        var allocations = applied.Applied
            .Where(a => a.Shares[index] > 0)
            .Select(a => new LineAllocation(a.Offer.Id, a.Offer.Kind, a.Offer.Level, a.Shares[index]))
            .ToList();
        if (pointsShare > 0)
        {
            allocations.Add(new LineAllocation("points", DiscountKind.Points, DiscountLevel.Platform, pointsShare));
        }

        var amount = cart.BaseAmounts[index];
        return new LinePricing(
            line.LineId,
            line.SkuId,
            line.Quantity,
            price.UnitPriceFen,
            price.Rule,
            price.Activity?.Kind,
            amount,
            allocations,
            amount - allocations.Sum(a => a.AmountFen))
        {
            PresaleDepositFen = price.Activity is { Kind: ActivityPriceKind.Presale, DepositFen: { } deposit } ? deposit * line.Quantity : null,
        };
    }
}
