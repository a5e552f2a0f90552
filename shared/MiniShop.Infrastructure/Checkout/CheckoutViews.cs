namespace MiniShop.Infrastructure.Checkout;

public sealed record DiscountView(string SourceId, string Kind, string Level, string? Name, long AmountFen);

public sealed record PreviewLine(
    string LineId, string ProductId, string SkuId, string Title, IReadOnlyList<string> SpecValues, string? CoverUrl,
    int Quantity, long UnitPriceFen, string PriceRule, long LineAmountFen, IReadOnlyList<DiscountView> Discounts, long PayableFen);

public sealed record PreviewShop(
    string ShopId, string ShopName, IReadOnlyList<PreviewLine> Lines, IReadOnlyList<DiscountView> ShopDiscounts,
    long GoodsFen, long ShopDiscountFen, long PlatformDiscountShareFen, long PointsShareFen, long ShippingFen, long PayableFen);

public sealed record UnusedCouponView(string CouponId, string? Name, string Code, string Message, IReadOnlyDictionary<string, string> Parameters);

public sealed record PointsView(long Available, long Used, long DeductedFen);

public sealed record TotalsView(long GoodsFen, long PromotionDiscountFen, long CouponDiscountFen, long ShippingFen, long PointsDeductionFen, long PayableFen);

/// <summary>The confirm page: every line, every discount and where it came from, shipping, points and the total.</summary>
public sealed record CheckoutPreview(
    IReadOnlyList<PreviewShop> Shops,
    IReadOnlyList<DiscountView> PlatformDiscounts,
    IReadOnlyList<string> ChosenCouponIds,
    IReadOnlyList<UnusedCouponView> UnusedCoupons,
    PointsView Points,
    TotalsView Totals,
    string? AddressId);

public sealed record PlacedOrderView(string OrderId, string ShopId, long PayableFen);

/// <summary>
/// The result of placing: one payment order to pay for all shop orders before it expires. When coupons and points
/// cover everything (<see cref="PaymentRequired"/> false) there is no WeChat payment: the order is confirmed on its own.
/// </summary>
public sealed record CheckoutResult(string PaymentOrderId, long PayableFen, DateTimeOffset PaymentDueAt, IReadOnlyList<PlacedOrderView> Orders)
{
    public bool PaymentRequired => PayableFen > 0;
}
