namespace MiniShop.Domain.Promotions;

public enum UnusedCouponCode
{
    NotYetValid,
    Expired,
    NotInScope,
    ActivityPriceExcludesCoupons,
    ThresholdNotMet,
    NothingToDiscount,
    ExcludedByStacking,
    WorseThanChosen,
    NotSelected,
}

/// <summary>
/// Why a wallet coupon was not used: a machine code, parameters (invariant strings, e.g. <c>missingFen = "2300"</c>) and a message.
/// </summary>
public sealed record UnusedCoupon(
    string CouponId,
    UnusedCouponCode Code,
    IReadOnlyDictionary<string, string> Parameters,
    string Message)
{
    /// <summary>True when the shopper pinned this coupon.</summary>
    public bool WasPinned { get; init; }
}
