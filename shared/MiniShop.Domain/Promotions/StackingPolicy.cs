namespace MiniShop.Domain.Promotions;

/// <summary>Default stacking group names. A shop-owned item's group is per shop; a platform item's group is order-wide.</summary>
public static class StackingGroups
{
    public const string ShopMultiBuy = "ShopMultiBuy";
    public const string ShopFullReduction = "ShopFullReduction";
    public const string PlatformMultiBuy = "PlatformMultiBuy";
    public const string PlatformFullReduction = "PlatformFullReduction";
    public const string ShopCoupon = "ShopCoupon";
    public const string PlatformCoupon = "PlatformCoupon";
}

/// <summary>Two group names whose members never combine (within one shop, or anywhere when either side is platform-level).</summary>
public sealed record ExclusiveGroups(string First, string Second);

/// <summary>
/// Stacking rules. Every promotion and coupon belongs to one group (its <c>StackingGroup</c>, else the default for its kind
/// and owner); at most one item per group is used; items of mutually exclusive groups never combine.
/// The default has no exclusions: one shop promotion per kind per shop, one coupon per shop, one platform coupon,
/// and everything else stacks (platform coupon with shop coupon, promotions with coupons).
/// </summary>
public sealed record StackingPolicy(IReadOnlyList<ExclusiveGroups> Exclusions)
{
    public static StackingPolicy Default { get; } = new([]);

    internal bool AreExclusive(string a, string b)
    {
        foreach (var pair in Exclusions)
        {
            if ((pair.First == a && pair.Second == b) || (pair.First == b && pair.Second == a))
            {
                return true;
            }
        }

        return false;
    }
}
