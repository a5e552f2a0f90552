using MiniShop.Domain.Coupons;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Coupons;

namespace MiniShop.Functions.Features.Coupons;

/// <summary>
/// A coupon the shopper can claim now. <see cref="Remaining"/> and <see cref="SoldOut"/> are as of a read at most a
/// few seconds old; the claim checks the live count. <see cref="ClaimedByMe"/> is null when signed out.
/// </summary>
public sealed record ClaimableCouponView(
    string Id, string Name, string? Description, string? ShopId, CouponBenefitSpec Benefit, long ThresholdFen, ItemScope Scope,
    DateTimeOffset ClaimStartsAt, DateTimeOffset ClaimEndsAt, CouponValiditySpec Validity, int PerMemberLimit, long Remaining, bool SoldOut,
    int? ClaimedByMe, bool CanClaim)
{
    public static ClaimableCouponView From(ClaimableTemplate c)
    {
        var t = c.Template;
        var soldOut = t.Remaining == 0;
        return new(t.Id, t.Name, t.Description, t.ShopId, t.Benefit, t.ThresholdFen, t.Scope, t.ClaimStartsAt, t.ClaimEndsAt, t.Validity,
            t.PerMemberLimit, t.Remaining, soldOut, c.ClaimedByMe, !soldOut && (c.ClaimedByMe ?? 0) < t.PerMemberLimit);
    }
}

/// <summary>A coupon in the caller's wallet; <see cref="Status"/> is expired for an available coupon past its validity.</summary>
public sealed record WalletCouponView(
    string Id, string TemplateId, string? ShopId, string Name, CouponBenefitSpec Benefit, long ThresholdFen, ItemScope Scope, string? StackingGroup,
    DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, WalletCouponState Status, DateTimeOffset ClaimedAt,
    string? LockedByOrderId, string? UsedByOrderId, DateTimeOffset? UsedAt)
{
    public static WalletCouponView From(WalletCoupon c, DateTimeOffset now)
        => new(c.Id, c.TemplateId, c.ShopId, c.Name, c.Benefit, c.ThresholdFen, c.Scope, c.StackingGroup, c.ValidFrom, c.ValidUntil,
            c.StateAt(now), c.ClaimedAt, c.LockedByOrderId, c.UsedByOrderId, c.UsedAt);
}
