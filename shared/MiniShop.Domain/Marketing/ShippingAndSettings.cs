using System.Text.RegularExpressions;
using MiniShop.Domain.Common;
using MiniShop.Domain.Promotions;

namespace MiniShop.Domain.Marketing;

/// <summary>
/// A shop's shipping template: one document with id "shipping-template" in the shop's partition of the marketing
/// container. Province codes are 6-digit GB/T 2260 province codes (e.g. 110000 Beijing, 650000 Xinjiang).
/// </summary>
public sealed record ShippingTemplateDefinition(
    string OwnerId,
    ShippingBasis Basis,
    ShippingRate DefaultRate,
    IReadOnlyList<RegionalRate> RegionalRates,
    IReadOnlyList<string> FreeProvinceCodes,
    long? FreeOverFen,
    long Version,
    DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "shipping-template";

    public string Id => DocumentId;

    public string Type => MarketingDocTypes.ShippingTemplate;

    public ShippingTemplate ToEngine() => new(OwnerId, Basis, DefaultRate)
    {
        RegionalRates = RegionalRates, FreeProvinceCodes = FreeProvinceCodes, FreeOverFen = FreeOverFen,
    };
}

public sealed record ShippingRateDraft(long? FirstUnits, long? FirstFeeFen, long? AdditionalUnits, long? AdditionalFeeFen);

public sealed record RegionalRateDraft(List<string>? ProvinceCodes, ShippingRateDraft? Rate);

public sealed record ShippingTemplateDraft(
    ShippingBasis? Basis, ShippingRateDraft? DefaultRate, List<RegionalRateDraft>? RegionalRates, List<string>? FreeProvinceCodes, long? FreeOverFen);

/// <summary>
/// Platform marketing settings: the points policy and stacking exclusions. One document, id "settings", in the
/// "platform" partition of the marketing container. Absent = <see cref="Default"/>.
/// </summary>
public sealed record MarketingSettings(PointsPolicy Points, IReadOnlyList<ExclusiveGroups> StackingExclusions, long Version, DateTimeOffset? UpdatedAt)
{
    public const string DocumentId = "settings";

    /// <summary>100 points = ¥1, at most 50 % of the goods, whole yuan only; no stacking exclusions.</summary>
    public static MarketingSettings Default { get; } = new(new PointsPolicy(100, 5_000, true), [], 0, null);

    public string Id => DocumentId;

    public string OwnerId => MarketingOwners.Platform;

    public string Type => MarketingDocTypes.Settings;

    public StackingPolicy ToStackingPolicy() => new(StackingExclusions);
}

public sealed record PointsPolicyDraft(long? PointsPerYuan, int? MaxShareBasisPoints, bool? WholeYuanOnly);

public sealed record ExclusionDraft(string? First, string? Second);

public sealed record MarketingSettingsDraft(PointsPolicyDraft? Points, List<ExclusionDraft>? StackingExclusions);

public static partial class ShippingRules
{
    public const long MaxFeeFen = 1_000_000; // ¥10,000
    public const long MaxUnits = 10_000_000;
    public const int MaxRegionalRates = 40;

    [GeneratedRegex("^[1-9][0-9]0000$")]
    private static partial Regex ProvinceCodePattern();

    public static bool IsProvinceCode(string? code) => code is not null && ProvinceCodePattern().IsMatch(code);

    public static ShippingTemplateDefinition Build(string shopId, ShippingTemplateDraft d, ShippingTemplateDefinition? existing, DateTimeOffset now)
    {
        var v = new Validator();
        if (d.Basis is not { } basis || !Enum.IsDefined(basis)) { v.Add("basis", "must be weight or count."); basis = default; }
        var defaultRate = Rate(d.DefaultRate, "defaultRate", v);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var regional = new List<RegionalRate>();
        var regions = d.RegionalRates ?? [];
        if (regions.Count > MaxRegionalRates) v.Add("regionalRates", $"at most {MaxRegionalRates} regional rates.");
        for (var i = 0; i < Math.Min(regions.Count, MaxRegionalRates); i++)
        {
            var f = $"regionalRates[{i}]";
            if (regions[i] is null) { v.Add(f, "is required."); continue; }
            var codes = Provinces(regions[i].ProvinceCodes, f + ".provinceCodes", seen, v, required: true);
            var rate = Rate(regions[i].Rate, f + ".rate", v);
            if (codes is not null && rate is not null) regional.Add(new RegionalRate(codes, rate));
        }
        var free = Provinces(d.FreeProvinceCodes, "freeProvinceCodes", seen, v, required: false) ?? [];
        v.Check(d.FreeOverFen is null or (> 0 and <= PromotionRules.MaxAmountFen), "freeOverFen", $"must be between 1 and {PromotionRules.MaxAmountFen}, or absent.");
        v.ThrowIfInvalid();
        return new ShippingTemplateDefinition(shopId, basis, defaultRate!, regional, free, d.FreeOverFen, (existing?.Version ?? 0) + 1, MarketingRules.Utc(now));
    }

    private static ShippingRate? Rate(ShippingRateDraft? r, string f, Validator v)
    {
        if (r is null) { v.Add(f, "is required."); return null; }
        var before = v.Errors.Count;
        v.Check(r.FirstUnits is >= 0 and <= MaxUnits, f + ".firstUnits", $"must be between 0 and {MaxUnits} (grams or items).");
        v.Check(r.FirstFeeFen is >= 0 and <= MaxFeeFen, f + ".firstFeeFen", $"must be between 0 and {MaxFeeFen}.");
        v.Check(r.AdditionalUnits is >= 1 and <= MaxUnits, f + ".additionalUnits", $"must be between 1 and {MaxUnits} (grams or items).");
        v.Check(r.AdditionalFeeFen is >= 0 and <= MaxFeeFen, f + ".additionalFeeFen", $"must be between 0 and {MaxFeeFen}.");
        return v.Errors.Count == before ? new ShippingRate(r.FirstUnits!.Value, r.FirstFeeFen!.Value, r.AdditionalUnits!.Value, r.AdditionalFeeFen!.Value) : null;
    }

    /// <summary>Province codes, each appearing once across every regional rate and the free list.</summary>
    private static List<string>? Provinces(List<string>? codes, string f, Dictionary<string, string> seen, Validator v, bool required)
    {
        codes ??= [];
        if (required && codes.Count == 0) { v.Add(f, "needs at least one province code."); return null; }
        var ok = true;
        for (var i = 0; i < codes.Count; i++)
        {
            if (!IsProvinceCode(codes[i])) { v.Add($"{f}[{i}]", "must be a 6-digit province code such as 110000."); ok = false; }
            else if (seen.TryGetValue(codes[i], out var where)) { v.Add($"{f}[{i}]", $"'{codes[i]}' is already listed in {where}."); ok = false; }
            else seen[codes[i]] = f;
        }
        return ok ? codes.ToList() : null;
    }
}

public static class MarketingSettingsRules
{
    public const int MaxExclusions = 50;

    public static MarketingSettings Build(MarketingSettingsDraft d, MarketingSettings existing, DateTimeOffset now)
    {
        var v = new Validator();
        PointsPolicy? points = null;
        if (d.Points is not { } p) v.Add("points", "is required.");
        else
        {
            v.Check(p.PointsPerYuan is >= 1 and <= 100_000, "points.pointsPerYuan", "must be between 1 and 100000.");
            v.Check(p.MaxShareBasisPoints is >= 0 and <= 10_000, "points.maxShareBasisPoints", "must be between 0 and 10000.");
            if (v.IsValid) points = new PointsPolicy(p.PointsPerYuan!.Value, p.MaxShareBasisPoints!.Value, p.WholeYuanOnly ?? true);
        }
        var pairs = new List<ExclusiveGroups>();
        var exclusions = d.StackingExclusions ?? [];
        if (exclusions.Count > MaxExclusions) v.Add("stackingExclusions", $"at most {MaxExclusions} pairs.");
        for (var i = 0; i < Math.Min(exclusions.Count, MaxExclusions); i++)
        {
            var f = $"stackingExclusions[{i}]";
            var e = exclusions[i];
            var first = e?.First?.Trim();
            var second = e?.Second?.Trim();
            var ok = true;
            if (!MarketingRules.IsGroupName(first)) { v.Add(f + ".first", "must be a stacking group name (1-40 letters, digits, '-' or '_')."); ok = false; }
            if (!MarketingRules.IsGroupName(second)) { v.Add(f + ".second", "must be a stacking group name (1-40 letters, digits, '-' or '_')."); ok = false; }
            if (!ok) continue;
            if (first == second) { v.Add(f + ".second", "must differ from first."); continue; }
            if (pairs.Any(x => (x.First == first && x.Second == second) || (x.First == second && x.Second == first))) { v.Add(f, "is listed twice."); continue; }
            pairs.Add(new ExclusiveGroups(first!, second!));
        }
        v.ThrowIfInvalid();
        return new MarketingSettings(points!, pairs, existing.Version + 1, MarketingRules.Utc(now));
    }
}
