using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Domain.Coupons;

public sealed record CouponBenefitDraft(CouponBenefitKind? Kind, long? AmountFen, int? PercentOffBasisPoints, long? CapFen);

public sealed record CouponValidityDraft(CouponValidityKind? Kind, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int? Days);

/// <summary>What an admin sends to create or replace a coupon template. <see cref="ShopId"/> null = a platform coupon.</summary>
public sealed record CouponTemplateDraft(
    string? Name,
    string? Description,
    string? ShopId,
    CouponBenefitDraft? Benefit,
    long? ThresholdFen,
    ScopeDraft? Scope,
    DateTimeOffset? ClaimStartsAt,
    DateTimeOffset? ClaimEndsAt,
    CouponValidityDraft? Validity,
    long? TotalQuantity,
    int? PerMemberLimit,
    string? StackingGroup);

/// <summary>Validates coupon template drafts (every wrong field at once) and builds templates.</summary>
public static class CouponTemplateRules
{
    public const long MaxQuantity = 10_000_000;
    public const int MaxPerMember = 20;
    public const int MaxValidDays = 366;

    public static CouponTemplate Create(string id, CouponTemplateDraft draft, DateTimeOffset now) => Build(id, draft, null, now);

    /// <summary>
    /// Replaces the content; keeps id, owner, status, the issued counter and creation time. The total can never fall
    /// below what was already issued. Coupons already claimed keep the terms they were claimed with.
    /// </summary>
    public static CouponTemplate Update(CouponTemplate existing, CouponTemplateDraft draft, DateTimeOffset now)
    {
        if (draft.ShopId != existing.ShopId)
            throw ValidationException.For("shopId", "cannot change; create a new template for another owner.");
        return Build(existing.Id, draft, existing, now);
    }

    private static CouponTemplate Build(string id, CouponTemplateDraft d, CouponTemplate? existing, DateTimeOffset now)
    {
        var v = new Validator();
        v.Required(d.Name, "name", MarketingRules.MaxNameLength);
        v.Optional(d.Description, "description", MarketingRules.MaxDescriptionLength);
        if (d.ShopId is not null) v.Check(d.ShopId.Length is > 0 and <= 64 && d.ShopId != MarketingOwners.Platform, "shopId", "must be a shop id, or absent for a platform coupon.");
        v.Check(d.ThresholdFen is null or (>= 0 and <= PromotionRules.MaxAmountFen), "thresholdFen", $"must be between 0 and {PromotionRules.MaxAmountFen}.");
        var threshold = d.ThresholdFen ?? 0;
        var benefit = Benefit(d.Benefit, threshold, v);
        var scope = MarketingRules.Scope(d.Scope, "scope", d.ShopId is null, v);
        var claimStarts = MarketingRules.Instant(d.ClaimStartsAt, "claimStartsAt", v);
        var claimEnds = MarketingRules.Instant(d.ClaimEndsAt, "claimEndsAt", v);
        if (claimStarts is { } cs && claimEnds is { } ce) v.Check(ce > cs, "claimEndsAt", "must be after claimStartsAt.");
        var validity = Validity(d.Validity, claimStarts, v);
        v.Check(d.TotalQuantity is >= 1 and <= MaxQuantity, "totalQuantity", $"must be between 1 and {MaxQuantity}.");
        if (existing is not null && d.TotalQuantity is { } total && total < existing.Issued)
            v.Add("totalQuantity", $"cannot be below the {existing.Issued} coupon(s) already issued.");
        v.Check(d.PerMemberLimit is >= 1 and <= MaxPerMember, "perMemberLimit", $"must be between 1 and {MaxPerMember}.");
        var group = MarketingRules.StackingGroup(d.StackingGroup, "stackingGroup", v);
        v.ThrowIfInvalid();

        return new CouponTemplate(id, d.Name!.Trim(), string.IsNullOrWhiteSpace(d.Description) ? null : d.Description.Trim(), d.ShopId,
            benefit!, threshold, scope!, claimStarts!.Value, claimEnds!.Value, validity!, d.TotalQuantity!.Value, d.PerMemberLimit!.Value, group,
            existing?.Status ?? MarketingStatus.Active, existing?.Issued ?? 0, (existing?.Version ?? 0) + 1,
            existing?.CreatedAt ?? MarketingRules.Utc(now), MarketingRules.Utc(now));
    }

    private static CouponBenefitSpec? Benefit(CouponBenefitDraft? b, long threshold, Validator v)
    {
        if (b is null) { v.Add("benefit", "is required."); return null; }
        switch (b.Kind)
        {
            case CouponBenefitKind.AmountOff:
                if (b.AmountFen is not ({ } amount and >= 1 and <= PromotionRules.MaxAmountFen))
                {
                    v.Add("benefit.amountFen", $"must be between 1 and {PromotionRules.MaxAmountFen}.");
                    return null;
                }
                if (threshold > 0 && amount >= threshold)
                {
                    v.Add("benefit.amountFen", "must be below thresholdFen (or set no threshold).");
                    return null;
                }
                return new CouponBenefitSpec(CouponBenefitKind.AmountOff, AmountFen: amount);
            case CouponBenefitKind.PercentOff:
                var ok = true;
                if (b.PercentOffBasisPoints is not ({ } bp and >= 1 and <= 9_999)) { v.Add("benefit.percentOffBasisPoints", "must be between 1 and 9999 (0.01% to 99.99% off)."); ok = false; bp = 0; }
                if (b.CapFen is not (null or (>= 1 and <= PromotionRules.MaxAmountFen))) { v.Add("benefit.capFen", $"must be between 1 and {PromotionRules.MaxAmountFen}, or absent."); ok = false; }
                return ok ? new CouponBenefitSpec(CouponBenefitKind.PercentOff, PercentOffBasisPoints: bp, CapFen: b.CapFen) : null;
            default:
                v.Add("benefit.kind", "must be amountOff or percentOff.");
                return null;
        }
    }

    private static CouponValiditySpec? Validity(CouponValidityDraft? d, DateTimeOffset? claimStarts, Validator v)
    {
        if (d is null) { v.Add("validity", "is required."); return null; }
        switch (d.Kind)
        {
            case CouponValidityKind.Fixed:
                var from = MarketingRules.Instant(d.ValidFrom, "validity.validFrom", v);
                var until = MarketingRules.Instant(d.ValidUntil, "validity.validUntil", v);
                if (from is null || until is null) return null;
                if (until <= from) { v.Add("validity.validUntil", "must be after validFrom."); return null; }
                if (claimStarts is { } cs && until <= cs) { v.Add("validity.validUntil", "must be after claimStartsAt, or every claimed coupon is already expired."); return null; }
                if (d.Days is not null) { v.Add("validity.days", "is only for daysFromClaim."); return null; }
                return new CouponValiditySpec(CouponValidityKind.Fixed, from, until);
            case CouponValidityKind.DaysFromClaim:
                if (d.Days is not ({ } days and >= 1 and <= MaxValidDays)) { v.Add("validity.days", $"must be between 1 and {MaxValidDays}."); return null; }
                if (d.ValidFrom is not null || d.ValidUntil is not null) { v.Add("validity", "validFrom and validUntil are only for a fixed window."); return null; }
                return new CouponValiditySpec(CouponValidityKind.DaysFromClaim, Days: days);
            default:
                v.Add("validity.kind", "must be fixed or daysFromClaim.");
                return null;
        }
    }
}
