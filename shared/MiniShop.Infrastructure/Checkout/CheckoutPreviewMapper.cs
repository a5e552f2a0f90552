using MiniShop.Domain.Promotions;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>Turns a priced checkout into the confirm page, naming every discount's source.</summary>
public static class CheckoutPreviewMapper
{
    public static CheckoutPreview ToPreview(PricedCheckout c, string? addressId)
    {
        string? Name(string sourceId, DiscountKind kind) => kind switch
        {
            DiscountKind.Coupon => c.Wallet.TryGetValue(sourceId, out var coupon) ? coupon.Name : null,
            DiscountKind.Points => "积分抵扣",
            _ => c.PromotionNames.GetValueOrDefault(sourceId),
        };
        DiscountView View(string sourceId, DiscountKind kind, DiscountLevel level, long amount)
            => new(sourceId, Camel(kind), Camel(level), Name(sourceId, kind), amount);

        var byLine = c.Lines.ToDictionary(l => l.LineId);
        var shops = c.Pricing.Shops.Select(s => new PreviewShop(
            s.ShopId, c.ShopNames.GetValueOrDefault(s.ShopId, s.ShopId),
            s.Lines.Select(l =>
            {
                var line = byLine[l.LineId];
                var product = c.Products[line.ProductId];
                var sku = product.FindSku(line.SkuId)!;
                return new PreviewLine(l.LineId, product.Id, sku.Id, product.Title, sku.SpecValues, product.CoverUrl, l.Quantity, l.UnitPriceFen,
                    Camel(l.BaseRule), l.LineAmountFen, l.Allocations.Select(a => View(a.SourceId, a.Kind, a.Level, a.AmountFen)).ToList(), l.PayableFen);
            }).ToList(),
            s.ShopDiscounts.Select(d => View(d.SourceId, d.Kind, d.Level, d.AmountFen)).ToList(),
            s.GoodsFen, s.ShopDiscountFen, s.PlatformDiscountShareFen, s.PointsShareFen, s.ShippingFen, s.PayableFen)).ToList();

        var t = c.Pricing.Totals;
        return new CheckoutPreview(
            shops,
            c.Pricing.PlatformDiscounts.Select(d => View(d.SourceId, d.Kind, d.Level, d.AmountFen)).ToList(),
            c.Pricing.ChosenCouponIds,
            c.Pricing.UnusedCoupons.Select(u => new UnusedCouponView(u.CouponId, c.Wallet.TryGetValue(u.CouponId, out var w) ? w.Name : null,
                Camel(u.Code), u.Message, u.Parameters)).ToList(),
            new PointsView(c.Member.Points?.Available ?? 0, c.Pricing.Points.PointsUsed, c.Pricing.Points.DeductedFen),
            new TotalsView(t.GoodsFen, t.PromotionDiscountFen, t.CouponDiscountFen, t.ShippingFen, t.PointsDeductionFen, t.PayableFen),
            addressId ?? c.Address?.Id);
    }

    public static string Camel<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
