using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Domain.Coupons;

public enum CouponBenefitKind { AmountOff, PercentOff }

/// <summary>amountOff: <see cref="AmountFen"/> off. percentOff: <see cref="PercentOffBasisPoints"/> off (1500 = 15 %), at most <see cref="CapFen"/>.</summary>
public sealed record CouponBenefitSpec(CouponBenefitKind Kind, long? AmountFen = null, int? PercentOffBasisPoints = null, long? CapFen = null)
{
    public CouponBenefit ToEngine() => Kind switch
    {
        CouponBenefitKind.AmountOff => new AmountOff(AmountFen ?? 0),
        CouponBenefitKind.PercentOff => new PercentOff(PercentOffBasisPoints ?? 0, CapFen),
        _ => throw new InvalidOperationException($"Unknown benefit kind {Kind}."),
    };
}

public enum CouponValidityKind
{
    /// <summary>Valid from <c>validFrom</c> until <c>validUntil</c>, whenever it was claimed.</summary>
    Fixed,

    /// <summary>Valid for <c>days</c> days from the moment it is claimed.</summary>
    DaysFromClaim,
}

public sealed record CouponValiditySpec(CouponValidityKind Kind, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null, int? Days = null)
{
    /// <summary>The window of a coupon claimed at <paramref name="claimedAt"/>.</summary>
    public ValidityWindow WindowFor(DateTimeOffset claimedAt) => Kind switch
    {
        CouponValidityKind.Fixed => new ValidityWindow(ValidFrom!.Value, ValidUntil!.Value),
        _ => new ValidityWindow(MarketingRules.Utc(claimedAt), MarketingRules.Utc(claimedAt).AddDays(Days!.Value)),
    };
}

/// <summary>
/// A coupon template (批次) in the coupon-templates container, partition /id: every claim of a template increments its
/// <see cref="Issued"/> counter with a conditional patch on this one document. <see cref="ShopId"/> null = platform.
/// </summary>
public sealed record CouponTemplate(
    string Id,
    string Name,
    string? Description,
    string? ShopId,
    CouponBenefitSpec Benefit,
    long ThresholdFen,
    ItemScope Scope,
    DateTimeOffset ClaimStartsAt,
    DateTimeOffset ClaimEndsAt,
    CouponValiditySpec Validity,
    long TotalQuantity,
    int PerMemberLimit,
    string? StackingGroup,
    MarketingStatus Status,
    long Issued,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string OwnerId => MarketingOwners.OwnerOf(ShopId);

    public string Type => "coupon-template";

    public long Remaining => Math.Max(0, TotalQuantity - Issued);

    /// <summary>Unix seconds of <see cref="ClaimEndsAt"/>, so queries filter on a number.</summary>
    public long ClaimEndsAtTs => ClaimEndsAt.ToUnixTimeSeconds();

    public bool IsClaimableAt(DateTimeOffset now) => Status == MarketingStatus.Active && ClaimStartsAt <= now && now < ClaimEndsAt;

    /// <summary>Wallet coupon ids of one member for this template: slot 1..PerMemberLimit, so a create decides each slot.</summary>
    public static string WalletCouponId(string templateId, int slot) => $"cpn:{templateId}:{slot}";
}

public enum WalletCouponStatus { Available, Locked, Used }

/// <summary>What the wallet listing shows: the stored status, or expired for an available coupon past its validity.</summary>
public enum WalletCouponState { Available, Locked, Used, Expired }

/// <summary>
/// A coupon in a member's wallet: members container, the member's partition, type "coupon". It copies the template's
/// terms at claim time, so later template edits never change a claimed coupon. Id "cpn:{templateId}:{slot}".
/// Status moves available -> locked (by an unpaid order) -> used, or locked -> available when the order is cancelled.
/// </summary>
public sealed record WalletCoupon(
    string Id,
    string MemberId,
    string TemplateId,
    string? ShopId,
    string Name,
    CouponBenefitSpec Benefit,
    long ThresholdFen,
    ItemScope Scope,
    string? StackingGroup,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    WalletCouponStatus Status,
    string? LockedByOrderId,
    string? UsedByOrderId,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? LockedAt = null,
    DateTimeOffset? UsedAt = null,
    string? IdempotencyKey = null)
{
    public const string DocType = "coupon";

    public string Type => DocType;

    /// <summary>Unix seconds of <see cref="ValidUntil"/>, so queries filter on a number.</summary>
    public long ValidUntilTs => ValidUntil.ToUnixTimeSeconds();

    public bool IsExpiredAt(DateTimeOffset now) => now >= ValidUntil;

    public WalletCouponState StateAt(DateTimeOffset now) => Status switch
    {
        WalletCouponStatus.Available => IsExpiredAt(now) ? WalletCouponState.Expired : WalletCouponState.Available,
        WalletCouponStatus.Locked => WalletCouponState.Locked,
        _ => WalletCouponState.Used,
    };

    /// <summary>The engine's coupon: the wallet coupon id, owner, benefit, threshold, scope, window and stacking group.</summary>
    public Coupon ToEngineCoupon()
        => new(Id, ShopId, Benefit.ToEngine(), ThresholdFen, Scope, new ValidityWindow(ValidFrom, ValidUntil)) { StackingGroup = StackingGroup };

    public static WalletCoupon Claim(CouponTemplate template, string memberId, int slot, DateTimeOffset now, string? idempotencyKey)
    {
        var window = template.Validity.WindowFor(now);
        return new WalletCoupon(CouponTemplate.WalletCouponId(template.Id, slot), memberId, template.Id, template.ShopId, template.Name,
            template.Benefit, template.ThresholdFen, template.Scope, template.StackingGroup, window.ValidFrom, window.ValidUntil,
            WalletCouponStatus.Available, null, null, MarketingRules.Utc(now), IdempotencyKey: idempotencyKey);
    }
}
