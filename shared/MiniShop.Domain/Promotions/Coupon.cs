namespace MiniShop.Domain.Promotions;

/// <summary>
/// A coupon in the member's wallet. <see cref="ShopId"/> null means a platform coupon.
/// <see cref="ThresholdFen"/> 0 means no threshold; otherwise the eligible amount at the coupon's stage must reach it.
/// </summary>
public sealed record Coupon(
    string Id,
    string? ShopId,
    CouponBenefit Benefit,
    long ThresholdFen,
    ItemScope Scope,
    ValidityWindow Validity)
{
    public string? StackingGroup { get; init; }

    public bool IsPlatform => ShopId is null;
}

public abstract record CouponBenefit;

public sealed record AmountOff(long AmountFen) : CouponBenefit;

/// <summary><see cref="PercentOffBasisPoints"/>: 1500 = 15% off, rounded down to the fen, never above <see cref="CapFen"/>.</summary>
public sealed record PercentOff(int PercentOffBasisPoints, long? CapFen) : CouponBenefit;
