namespace MiniShop.Domain.Promotions;

/// <summary>Everything the engine needs. <see cref="Now"/> must be UTC; the engine never reads a clock.</summary>
public sealed record PricingRequest(
    IReadOnlyList<CartLine> Lines,
    MemberProfile? Member,
    IReadOnlyList<Promotion> Promotions,
    IReadOnlyList<Coupon> Wallet,
    DateTimeOffset Now)
{
    /// <summary>
    /// Null: the engine picks the best coupons. Otherwise the shopper's choice: only these coupons are used
    /// (empty = no coupon), each validated; promotions are still optimised around them.
    /// </summary>
    public IReadOnlyList<string>? PinnedCouponIds { get; init; }

    /// <summary>Null: no points are used.</summary>
    public PointsRequest? Points { get; init; }

    /// <summary>Required when <see cref="Points"/> is set.</summary>
    public PointsPolicy? PointsPolicy { get; init; }

    /// <summary>At most one per shop; a shop without a template ships free.</summary>
    public IReadOnlyList<ShippingTemplate> ShippingTemplates { get; init; } = [];

    /// <summary>Destination province code, e.g. "440000". Null uses the templates' default rates.</summary>
    public string? DestinationProvinceCode { get; init; }

    public StackingPolicy Stacking { get; init; } = StackingPolicy.Default;
}
