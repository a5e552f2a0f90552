using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Coupons;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Coupons;

namespace MiniShop.Functions.Features.Coupons;

/// <summary>Shoppers browse claimable coupons, claim them, and see their own wallet.</summary>
public sealed class CouponFunctions(CouponClaimService claims, CouponWallet wallet, TimeProvider time)
{
    [Function(nameof(ListClaimableCoupons))]
    [ApiOperation("Coupons", "Coupons that can be claimed now; with a member token, how many the caller already holds", Auth = ApiAuth.OptionalMember,
        Response = typeof(IReadOnlyList<ClaimableCouponView>), Query = ["shopId:a shop id, or 'platform' for platform coupons; all when absent"])]
    public async Task<IActionResult> ListClaimableCoupons([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coupon-templates")] HttpRequest req)
    {
        var caller = req.Caller();
        var list = await claims.ClaimableAsync(req.QueryValue("shopId"), caller.IsMember ? caller.SubjectId : null, req.HttpContext.RequestAborted);
        return Api.Ok(list.Select(ClaimableCouponView.From).ToList());
    }

    [Function(nameof(ClaimCoupon))]
    [ApiOperation("Coupons", "Claim a coupon into the caller's wallet (201; 200 with the same coupon when retried with the same Idempotency-Key). " +
                             "409 sold_out or limit_reached; 422 when it cannot be claimed now", Auth = ApiAuth.Member,
        Response = typeof(WalletCouponView), SuccessStatus = 201, Headers = ["Idempotency-Key?"])]
    public async Task<IActionResult> ClaimCoupon([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coupon-templates/{id}/claim")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        var key = req.Headers["Idempotency-Key"].ToString().Trim();
        var result = await claims.ClaimAsync(id, memberId, key.Length == 0 ? null : key, req.HttpContext.RequestAborted);
        var view = WalletCouponView.From(result.Coupon, time.GetUtcNow());
        return result.Replayed ? Api.Ok(view) : Api.Created(view, $"/api/wallet/coupons/{Uri.EscapeDataString(result.Coupon.Id)}");
    }

    [Function(nameof(GetWalletCoupon))]
    [ApiOperation("Coupons", "One of the caller's coupons (only ever the caller's: it is read from the caller's own partition)", Auth = ApiAuth.Member,
        Response = typeof(WalletCouponView))]
    public async Task<IActionResult> GetWalletCoupon([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wallet/coupons/{id}")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        // Only coupon ids: the member's partition holds other documents (profile, idempotency records) too.
        var coupon = id.StartsWith("cpn:", StringComparison.Ordinal) ? await wallet.FindAsync(memberId, id, req.HttpContext.RequestAborted) : null;
        if (coupon is null) throw new Domain.Common.NotFoundException("Coupon", id);
        return Api.Ok(WalletCouponView.From(coupon, time.GetUtcNow()));
    }

    [Function(nameof(ListWalletCoupons))]
    [ApiOperation("Coupons", "The caller's coupons, soonest expiry first", Auth = ApiAuth.Member,
        Response = typeof(IReadOnlyList<WalletCouponView>), Query = ["status:available, locked, used or expired; all when absent"])]
    public async Task<IActionResult> ListWalletCoupons([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wallet/coupons")] HttpRequest req)
    {
        var memberId = req.Caller().RequireMember();
        WalletCouponState? state = req.QueryValue("status") is null ? null : req.QueryEnum("status", WalletCouponState.Available);
        var coupons = await wallet.ListAsync(memberId, state, req.HttpContext.RequestAborted);
        var now = time.GetUtcNow();
        return Api.Ok(coupons.Select(c => WalletCouponView.From(c, now)).ToList());
    }
}
