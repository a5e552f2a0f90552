using System.Globalization;
using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Functions.Features.Marketing;

/// <summary>A running promotion as shop and product pages show it. <see cref="Summary"/> is a ready-made Chinese label.</summary>
public sealed record PromotionView(
    string Id, string? ShopId, string Name, string? Description, PromotionRuleKind Kind, PromotionRuleSpec Rule, ItemScope Scope,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Summary)
{
    public static PromotionView From(PromotionDefinition p)
        => new(p.Id, p.ShopId, p.Name, p.Description, p.Rule.Kind, p.Rule, p.Scope, p.StartsAt, p.EndsAt, Summarise(p.Rule));

    /// <summary>"满¥300减¥40，满¥500减¥80", "每满¥100减¥10，最多减¥50", "2件9折".</summary>
    public static string Summarise(PromotionRuleSpec rule) => rule.Kind switch
    {
        PromotionRuleKind.FullReduction => string.Join("，", (rule.Tiers ?? []).Select(t => $"满{Yuan(t.ThresholdFen)}减{Yuan(t.ReductionFen)}")),
        PromotionRuleKind.RepeatingReduction => $"每满{Yuan(rule.EveryFen ?? 0)}减{Yuan(rule.ReductionFen ?? 0)}"
                                                + (rule.MaxReductionFen is { } max ? $"，最多减{Yuan(max)}" : ""),
        _ => string.Join("，", (rule.MultiBuyTiers ?? []).Select(t => $"{t.MinItems}件{Discount(t.PercentOffBasisPoints)}折")),
    };

    /// <summary>¥300, or ¥2.50 when there are fen.</summary>
    public static string Yuan(long fen) => fen % 100 == 0 ? "¥" + (fen / 100).ToString(CultureInfo.InvariantCulture) : Money.Yuan(fen);

    /// <summary>10 % off is 9折, 15 % off is 8.5折.</summary>
    private static string Discount(int percentOffBasisPoints)
        => ((10_000 - percentOffBasisPoints) / 1000m).ToString("0.##", CultureInfo.InvariantCulture);
}
