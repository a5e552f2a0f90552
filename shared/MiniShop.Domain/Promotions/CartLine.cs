namespace MiniShop.Domain.Promotions;

/// <summary>One cart line. <see cref="CategoryIds"/> must include the ancestors, so a category scope matches subcategories.</summary>
public sealed record CartLine(
    string LineId,
    string ShopId,
    string SkuId,
    string SpuId,
    IReadOnlyList<string> CategoryIds,
    int Quantity,
    long ListPriceFen)
{
    /// <summary>Unit prices by member level id.</summary>
    public IReadOnlyList<MemberPrice> MemberPrices { get; init; } = [];

    /// <summary>Quantity tiers: a tier applies when <see cref="Quantity"/> reaches its minimum.</summary>
    public IReadOnlyList<TierPrice> TierPrices { get; init; } = [];

    /// <summary>Flash sale, group-buy or presale price, if the SKU is in such an activity.</summary>
    public ActivityPrice? Activity { get; init; }

    /// <summary>Weight of one unit, for weight-based shipping.</summary>
    public long WeightGrams { get; init; }
}

public sealed record MemberPrice(string LevelId, long UnitPriceFen);

public sealed record TierPrice(int MinQuantity, long UnitPriceFen);

public enum ActivityPriceKind
{
    FlashSale,
    GroupBuy,
    Presale,
}

/// <summary>
/// An activity price for a line. Activity prices usually forbid other discounts, so both stacking flags default to false.
/// </summary>
public sealed record ActivityPrice(ActivityPriceKind Kind, string ActivityId, long UnitPriceFen)
{
    /// <summary>Coupons may be used on the line when this price is the base price.</summary>
    public bool AllowsCoupons { get; init; }

    /// <summary>Promotions (full reduction, N items off) may include the line when this price is the base price.</summary>
    public bool AllowsPromotions { get; init; }

    /// <summary>This price is used even when another rule (member, tier) is lower.</summary>
    public bool IsExclusive { get; init; }

    /// <summary>Inclusive start; null = already running.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>Exclusive end; null = open-ended.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Presale only: the deposit per unit (part of <see cref="UnitPriceFen"/>); the balance is paid later.</summary>
    public long? DepositFen { get; init; }

    internal bool IsActiveAt(DateTimeOffset now) =>
        (StartsAt is null || StartsAt <= now) && (EndsAt is null || now < EndsAt);
}

/// <summary>The shopper. A null member in the request means a guest: no member price, no points.</summary>
public sealed record MemberProfile(string? LevelId, long PointsBalance);
