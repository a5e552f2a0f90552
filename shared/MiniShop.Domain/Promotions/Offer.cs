namespace MiniShop.Domain.Promotions;

/// <summary>Application stages, in order. Within a stage offers apply in stacking-group order (shop id, then name).</summary>
internal enum OfferStage
{
    ShopMultiBuy = 0,
    ShopFullReduction = 1,
    PlatformMultiBuy = 2,
    PlatformFullReduction = 3,
    ShopCoupon = 4,
    PlatformCoupon = 5,
}

/// <summary>A stacking group: a name, per shop for shop-owned items (ShopId null for platform items).</summary>
internal readonly record struct GroupKey(string Name, string? ShopId);

/// <summary>A promotion or coupon that survived the static checks and can take part in the search.</summary>
internal sealed class Offer
{
    public required string Id { get; init; }

    public Coupon? Coupon { get; init; }

    public Promotion? Promotion { get; init; }

    public required OfferStage Stage { get; init; }

    public required GroupKey GroupKey { get; init; }

    public int Group { get; set; }

    /// <summary>Eligible line indices, ascending.</summary>
    public required int[] Lines { get; init; }

    public required DiscountFormula Formula { get; init; }

    /// <summary>Tie-break rank among coupons (expiry, then id) or among promotions (id); lower is preferred.</summary>
    public int TieRank { get; set; }

    /// <summary>Value at base prices: an upper bound of what the offer can ever give.</summary>
    public long UpperBoundFen { get; init; }

    /// <summary>Pinned by the shopper: must be used, with a positive discount.</summary>
    public bool Forced { get; set; }

    public bool IsCoupon => Coupon is not null;

    public DiscountKind Kind => Coupon is not null ? DiscountKind.Coupon
        : Promotion!.Kind == PromotionKind.MultiBuy ? DiscountKind.MultiBuy : DiscountKind.FullReduction;

    public DiscountLevel Level => GroupKey.ShopId is null ? DiscountLevel.Platform : DiscountLevel.Shop;

    public long EligibleTotal(long[] amounts)
    {
        long total = 0;
        foreach (var i in Lines)
        {
            total += amounts[i];
        }

        return total;
    }

    public long DiscountAt(long[] amounts) => Formula.Discount(EligibleTotal(amounts));
}
