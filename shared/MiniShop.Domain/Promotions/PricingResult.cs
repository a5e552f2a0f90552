namespace MiniShop.Domain.Promotions;

public enum BasePriceRule
{
    List,
    Member,
    QuantityTier,
    Activity,
}

public enum DiscountKind
{
    FullReduction,
    MultiBuy,
    Coupon,
    Points,
}

public enum DiscountLevel
{
    Shop,
    Platform,
}

/// <summary>An order-level discount as a whole (its per-line split is in <see cref="LinePricing.Allocations"/>).</summary>
public sealed record AppliedDiscount(string SourceId, DiscountKind Kind, DiscountLevel Level, long AmountFen);

/// <summary>The part of one discount carried by one line (for refunds).</summary>
public sealed record LineAllocation(string SourceId, DiscountKind Kind, DiscountLevel Level, long AmountFen);

public sealed record LinePricing(
    string LineId,
    string SkuId,
    int Quantity,
    long UnitPriceFen,
    BasePriceRule BaseRule,
    ActivityPriceKind? ActivityKind,
    long LineAmountFen,
    IReadOnlyList<LineAllocation> Allocations,
    long PayableFen)
{
    /// <summary>Presale only: deposit for the whole line (deposit per unit x quantity).</summary>
    public long? PresaleDepositFen { get; init; }
}

/// <summary>
/// One shop's part of the order. <see cref="PayableFen"/> = goods - shop discounts - share of platform discounts - points share + shipping.
/// </summary>
public sealed record ShopPricing(
    string ShopId,
    IReadOnlyList<LinePricing> Lines,
    IReadOnlyList<AppliedDiscount> ShopDiscounts,
    long GoodsFen,
    long ShopDiscountFen,
    long PlatformDiscountShareFen,
    long PointsShareFen,
    long ShippingFen,
    long PayableFen);

public sealed record PointsDeduction(long PointsUsed, long DeductedFen);

/// <summary>Order totals: <c>Payable = Goods - Discount - PointsDeduction + Shipping</c>, never negative.</summary>
public sealed record OrderTotals(
    long GoodsFen,
    long PromotionDiscountFen,
    long CouponDiscountFen,
    long DiscountFen,
    long ShippingFen,
    long PointsDeductionFen,
    long PayableFen);

public sealed record PricingResult(
    IReadOnlyList<ShopPricing> Shops,
    IReadOnlyList<AppliedDiscount> PlatformDiscounts,
    PointsDeduction Points,
    OrderTotals Totals,
    IReadOnlyList<string> ChosenCouponIds,
    IReadOnlyList<string> AppliedPromotionIds,
    IReadOnlyList<UnusedCoupon> UnusedCoupons)
{
    /// <summary>False when pinned coupons were given and not all of them could be used (see <see cref="UnusedCoupons"/>).</summary>
    public bool PinnedCouponsHonoured { get; init; } = true;

    /// <summary>Pinned ids that are not in the wallet.</summary>
    public IReadOnlyList<string> UnknownPinnedCouponIds { get; init; } = [];
}
