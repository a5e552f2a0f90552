using MiniShop.Domain.Common;
using MiniShop.Domain.Promotions;

namespace MiniShop.Domain.Marketing;

/// <summary>The rule kinds an admin can configure.</summary>
public enum PromotionRuleKind
{
    /// <summary>满减 with tiers: the best reached tier applies.</summary>
    FullReduction,

    /// <summary>满减 repeating: every <c>everyFen</c> gives <c>reductionFen</c> off, up to an optional cap.</summary>
    RepeatingReduction,

    /// <summary>N items X % off, with tiers.</summary>
    MultiBuy,
}

/// <summary>
/// A promotion's rule as stored and sent. Only the fields of its <see cref="Kind"/> are set: <see cref="Tiers"/> for
/// fullReduction; <see cref="EveryFen"/>, <see cref="ReductionFen"/>, <see cref="MaxReductionFen"/> for
/// repeatingReduction; <see cref="MultiBuyTiers"/> for multiBuy.
/// </summary>
public sealed record PromotionRuleSpec(
    PromotionRuleKind Kind,
    IReadOnlyList<ReductionTier>? Tiers = null,
    long? EveryFen = null,
    long? ReductionFen = null,
    long? MaxReductionFen = null,
    IReadOnlyList<MultiBuyTier>? MultiBuyTiers = null)
{
    public PromotionRule ToEngine() => Kind switch
    {
        PromotionRuleKind.FullReduction => new FullReductionRule(Tiers ?? []),
        PromotionRuleKind.RepeatingReduction => new RepeatingReductionRule(EveryFen ?? 0, ReductionFen ?? 0, MaxReductionFen),
        PromotionRuleKind.MultiBuy => new MultiBuyRule(MultiBuyTiers ?? []),
        _ => throw new InvalidOperationException($"Unknown rule kind {Kind}."),
    };
}

/// <summary>
/// A configured promotion, stored in the marketing container in its owner's partition (type "promotion").
/// <see cref="OwnerId"/> is a shop id or "platform". <see cref="Version"/> is the content version (the admin ETag).
/// </summary>
public sealed record PromotionDefinition(
    string Id,
    string OwnerId,
    string Name,
    string? Description,
    PromotionRuleSpec Rule,
    ItemScope Scope,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? StackingGroup,
    MarketingStatus Status,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string Type => MarketingDocTypes.Promotion;

    /// <summary>Unix seconds of <see cref="EndsAt"/>, so queries filter on a number, not on a date string.</summary>
    public long EndsAtTs => EndsAt.ToUnixTimeSeconds();

    public string? ShopId => MarketingOwners.ShopIdOf(OwnerId);

    public bool IsRunningAt(DateTimeOffset now) => Status == MarketingStatus.Active && StartsAt <= now && now < EndsAt;

    /// <summary>The engine's promotion: same id, owner, scope, window, rule and stacking group.</summary>
    public Promotion ToEngine()
        => new(Id, ShopId, Scope, new ValidityWindow(StartsAt, EndsAt), Rule.ToEngine()) { StackingGroup = StackingGroup };
}

/// <summary>The kinds of document in the marketing container (the "type" field).</summary>
public static class MarketingDocTypes
{
    public const string Promotion = "promotion";
    public const string ShippingTemplate = "shipping-template";
    public const string Settings = "settings";
}

public sealed record ReductionTierDraft(long? ThresholdFen, long? ReductionFen);

public sealed record MultiBuyTierDraft(int? MinItems, int? PercentOffBasisPoints);

public sealed record PromotionRuleDraft(
    PromotionRuleKind? Kind,
    List<ReductionTierDraft>? Tiers,
    long? EveryFen,
    long? ReductionFen,
    long? MaxReductionFen,
    List<MultiBuyTierDraft>? MultiBuyTiers);

/// <summary>What an admin sends to create or replace a promotion. The owner comes from the URL.</summary>
public sealed record PromotionDraft(
    string? Name,
    string? Description,
    PromotionRuleDraft? Rule,
    ScopeDraft? Scope,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? StackingGroup);

/// <summary>Validates promotion drafts (every wrong field at once, keyed by JSON path) and builds definitions.</summary>
public static class PromotionRules
{
    public const int MaxTiers = 10;
    public const long MaxAmountFen = 100_000_000; // ¥1,000,000
    public const int MaxItems = 999;

    public static PromotionDefinition Create(string id, string ownerId, PromotionDraft draft, DateTimeOffset now)
        => Build(id, ownerId, draft, existing: null, now);

    /// <summary>Replaces the content; keeps id, owner, status and creation time, and bumps the version.</summary>
    public static PromotionDefinition Update(PromotionDefinition existing, PromotionDraft draft, DateTimeOffset now)
        => Build(existing.Id, existing.OwnerId, draft, existing, now);

    private static PromotionDefinition Build(string id, string ownerId, PromotionDraft d, PromotionDefinition? existing, DateTimeOffset now)
    {
        var v = new Validator();
        v.Required(d.Name, "name", MarketingRules.MaxNameLength);
        v.Optional(d.Description, "description", MarketingRules.MaxDescriptionLength);
        var rule = Rule(d.Rule, v);
        var scope = MarketingRules.Scope(d.Scope, "scope", MarketingOwners.IsPlatform(ownerId), v);
        var starts = MarketingRules.Instant(d.StartsAt, "startsAt", v);
        var ends = MarketingRules.Instant(d.EndsAt, "endsAt", v);
        if (starts is { } s && ends is { } e) v.Check(e > s, "endsAt", "must be after startsAt.");
        var group = MarketingRules.StackingGroup(d.StackingGroup, "stackingGroup", v);
        v.ThrowIfInvalid();

        return new PromotionDefinition(id, ownerId, d.Name!.Trim(), string.IsNullOrWhiteSpace(d.Description) ? null : d.Description.Trim(),
            rule!, scope!, starts!.Value, ends!.Value, group, existing?.Status ?? MarketingStatus.Active,
            (existing?.Version ?? 0) + 1, existing?.CreatedAt ?? MarketingRules.Utc(now), MarketingRules.Utc(now));
    }

    private static PromotionRuleSpec? Rule(PromotionRuleDraft? r, Validator v)
    {
        if (r is null) { v.Add("rule", "is required."); return null; }
        switch (r.Kind)
        {
            case PromotionRuleKind.FullReduction:
                return Tiers(r, v) is { } tiers ? new PromotionRuleSpec(PromotionRuleKind.FullReduction, Tiers: tiers) : null;
            case PromotionRuleKind.RepeatingReduction:
                return Repeating(r, v);
            case PromotionRuleKind.MultiBuy:
                return MultiBuy(r, v) is { } mb ? new PromotionRuleSpec(PromotionRuleKind.MultiBuy, MultiBuyTiers: mb) : null;
            default:
                v.Add("rule.kind", "must be one of: fullReduction, repeatingReduction, multiBuy.");
                return null;
        }
    }

    private static List<ReductionTier>? Tiers(PromotionRuleDraft r, Validator v)
    {
        var tiers = r.Tiers ?? [];
        if (tiers.Count is 0 or > MaxTiers) { v.Add("rule.tiers", $"needs 1 to {MaxTiers} tiers."); return null; }
        var ok = true;
        var result = new List<ReductionTier>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var f = $"rule.tiers[{i}]";
            var t = tiers[i];
            if (t?.ThresholdFen is not ({ } threshold and > 0 and <= MaxAmountFen)) { v.Add(f + ".thresholdFen", $"must be between 1 and {MaxAmountFen}."); ok = false; continue; }
            if (t.ReductionFen is not ({ } reduction and > 0)) { v.Add(f + ".reductionFen", "must be at least 1."); ok = false; continue; }
            if (reduction >= threshold) { v.Add(f + ".reductionFen", "must be below the tier's threshold."); ok = false; continue; }
            if (result.Count > 0)
            {
                if (threshold <= result[^1].ThresholdFen) { v.Add(f + ".thresholdFen", "tiers must be in ascending order of threshold."); ok = false; }
                else if (reduction <= result[^1].ReductionFen) { v.Add(f + ".reductionFen", "a higher tier must give a larger reduction."); ok = false; }
            }
            result.Add(new ReductionTier(threshold, reduction));
        }
        return ok ? result : null;
    }

    private static PromotionRuleSpec? Repeating(PromotionRuleDraft r, Validator v)
    {
        var ok = true;
        if (r.EveryFen is not ({ } every and > 0 and <= MaxAmountFen)) { v.Add("rule.everyFen", $"must be between 1 and {MaxAmountFen}."); ok = false; every = 0; }
        if (r.ReductionFen is not ({ } reduction and > 0)) { v.Add("rule.reductionFen", "must be at least 1."); ok = false; reduction = 0; }
        else if (every > 0 && reduction >= every) { v.Add("rule.reductionFen", "must be below everyFen."); ok = false; }
        if (r.MaxReductionFen is { } max && (max < reduction || max > MaxAmountFen))
        {
            v.Add("rule.maxReductionFen", $"must be at least reductionFen and at most {MaxAmountFen}.");
            ok = false;
        }
        return ok ? new PromotionRuleSpec(PromotionRuleKind.RepeatingReduction, EveryFen: every, ReductionFen: reduction, MaxReductionFen: r.MaxReductionFen) : null;
    }

    private static List<MultiBuyTier>? MultiBuy(PromotionRuleDraft r, Validator v)
    {
        var tiers = r.MultiBuyTiers ?? [];
        if (tiers.Count is 0 or > MaxTiers) { v.Add("rule.multiBuyTiers", $"needs 1 to {MaxTiers} tiers."); return null; }
        var ok = true;
        var result = new List<MultiBuyTier>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var f = $"rule.multiBuyTiers[{i}]";
            var t = tiers[i];
            if (t?.MinItems is not ({ } items and >= 1 and <= MaxItems)) { v.Add(f + ".minItems", $"must be between 1 and {MaxItems}."); ok = false; continue; }
            if (t.PercentOffBasisPoints is not ({ } bp and >= 1 and <= 9_999)) { v.Add(f + ".percentOffBasisPoints", "must be between 1 and 9999 (0.01% to 99.99% off)."); ok = false; continue; }
            if (result.Count > 0)
            {
                if (items <= result[^1].MinItems) { v.Add(f + ".minItems", "tiers must be in ascending order of minItems."); ok = false; }
                else if (bp <= result[^1].PercentOffBasisPoints) { v.Add(f + ".percentOffBasisPoints", "a higher tier must give a larger discount."); ok = false; }
            }
            result.Add(new MultiBuyTier(items, bp));
        }
        return ok ? result : null;
    }
}
