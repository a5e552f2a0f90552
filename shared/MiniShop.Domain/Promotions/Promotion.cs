namespace MiniShop.Domain.Promotions;

/// <summary>
/// An automatic promotion. <see cref="ShopId"/> null means platform-level (may span shops).
/// <see cref="StackingGroup"/> overrides the default group name (see <see cref="StackingGroups"/>).
/// </summary>
public sealed record Promotion(string Id, string? ShopId, ItemScope Scope, ValidityWindow Validity, PromotionRule Rule)
{
    public string? StackingGroup { get; init; }

    public bool IsPlatform => ShopId is null;

    public PromotionKind Kind => Rule switch
    {
        MultiBuyRule => PromotionKind.MultiBuy,
        _ => PromotionKind.FullReduction,
    };
}

public enum PromotionKind
{
    /// <summary>满减: tiered or repeating amount off.</summary>
    FullReduction,

    /// <summary>N items X% off.</summary>
    MultiBuy,
}

public abstract record PromotionRule;

/// <summary>满减 with tiers, e.g. spend 30000 get 4000 off, spend 50000 get 8000 off. The best reached tier applies (threshold inclusive).</summary>
public sealed record FullReductionRule(IReadOnlyList<ReductionTier> Tiers) : PromotionRule;

public sealed record ReductionTier(long ThresholdFen, long ReductionFen);

/// <summary>Every <see cref="EveryFen"/> spent gives <see cref="ReductionFen"/> off, up to <see cref="MaxReductionFen"/>.</summary>
public sealed record RepeatingReductionRule(long EveryFen, long ReductionFen, long? MaxReductionFen) : PromotionRule;

/// <summary>N items X% off on the eligible lines; the best reached tier applies. Discount rounds down to the fen.</summary>
public sealed record MultiBuyRule(IReadOnlyList<MultiBuyTier> Tiers) : PromotionRule;

/// <summary><see cref="PercentOffBasisPoints"/>: 1000 = 10% off.</summary>
public sealed record MultiBuyTier(int MinItems, int PercentOffBasisPoints);
