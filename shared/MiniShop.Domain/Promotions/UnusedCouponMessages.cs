using System.Globalization;

namespace MiniShop.Domain.Promotions;

/// <summary>Reason codes with their parameters (invariant strings) and English messages; clients may localise from code + parameters.</summary>
internal static class UnusedCouponMessages
{
    public static StaticRejection NotYetValid(DateTimeOffset validFrom) => new(
        UnusedCouponCode.NotYetValid,
        Params(("validFrom", Iso(validFrom))),
        $"This coupon can be used from {Display(validFrom)}.");

    public static StaticRejection Expired(DateTimeOffset validUntil) => new(
        UnusedCouponCode.Expired,
        Params(("validUntil", Iso(validUntil))),
        $"This coupon expired at {Display(validUntil)}.");

    public static StaticRejection NotInScope() => new(
        UnusedCouponCode.NotInScope,
        Params(),
        "No item in your cart is eligible for this coupon.");

    public static StaticRejection ActivityPriceExcludesCoupons(IReadOnlyList<ActivityPriceKind> kinds) => new(
        UnusedCouponCode.ActivityPriceExcludesCoupons,
        Params(("activityKinds", string.Join(",", kinds))),
        "The eligible items are at an activity price that cannot be combined with coupons.");

    public static StaticRejection ThresholdNotMet(Coupon coupon, long eligibleFen)
    {
        var missing = coupon.ThresholdFen - eligibleFen;
        var where = (coupon.IsPlatform, coupon.Scope.Kind == ScopeKind.All) switch
        {
            (false, true) => " in this shop",
            (false, false) => " on eligible items in this shop",
            (true, true) => "",
            _ => " on eligible items",
        };
        return new(
            UnusedCouponCode.ThresholdNotMet,
            Params(("missingFen", Num(missing)), ("thresholdFen", Num(coupon.ThresholdFen)), ("eligibleFen", Num(eligibleFen))),
            $"Spend {Fen.Format(missing)} more{where} to use this coupon.");
    }

    public static StaticRejection NothingToDiscount() => new(
        UnusedCouponCode.NothingToDiscount,
        Params(),
        "This coupon gives no discount on the eligible items.");

    public static StaticRejection ExcludedByStacking(IReadOnlyList<string> conflictingIds) => new(
        UnusedCouponCode.ExcludedByStacking,
        Params(("conflictsWith", string.Join(",", conflictingIds))),
        $"This coupon cannot be combined with {string.Join(", ", conflictingIds)}, which gives a better total.");

    public static StaticRejection WorseThanChosen(string? chosenId) => chosenId is null
        ? new(UnusedCouponCode.WorseThanChosen, Params(), "The best combination saves more without this coupon.")
        : new(UnusedCouponCode.WorseThanChosen, Params(("chosenId", chosenId)), $"Only one coupon of this kind can be used and {chosenId} saves more.");

    public static StaticRejection NotSelected() => new(
        UnusedCouponCode.NotSelected,
        Params(),
        "You did not select this coupon.");

    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static string Display(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
