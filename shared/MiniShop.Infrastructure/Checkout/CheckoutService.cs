using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cart;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Json;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>
/// Places a checkout exactly once per Idempotency-Key: claim the key, re-price on the server, reserve stock, then
/// one transactional batch in the member's partition creates the shop orders and the payment order, locks the
/// coupons and points and completes the key. Any failure releases what was reserved; nothing is half-written.
/// </summary>
public sealed class CheckoutService(
    CheckoutPricer pricer,
    CosmosDb db,
    StockHolds stock,
    CouponWallet wallet,
    CartStore cart,
    IFieldEncryptor encryptor,
    Payments.PaymentIndex paymentIndex,
    IOptions<OrderOptions> options,
    TimeProvider time,
    ILogger<CheckoutService> log)
{
    private const string Scope = "checkout";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private Container Members => db.Container(CosmosSchema.Members);

    public async Task<CheckoutPreview> PreviewAsync(string memberId, CheckoutRequest request, CancellationToken ct, CheckoutActivity? activity = null)
        => CheckoutPreviewMapper.ToPreview(await pricer.PriceAsync(memberId, request, new PricingOptions(AddressRequired: false, activity), ct), request.AddressId);

    /// <returns>The result and whether this call created it (false: a repeat of an earlier success).</returns>
    public async Task<(CheckoutResult Result, bool Created)> PlaceAsync(string memberId, string? idempotencyKey, CheckoutRequest request, IOrderLifecycle lifecycle,
        CancellationToken ct, CheckoutActivity? activity = null)
    {
        ValidateKey(idempotencyKey);
        if (request.ExpectedPayableFen is null) throw ValidationException.For("expectedPayableFen", "send the payable total the shopper confirmed.");
        var hash = Hash(memberId, request, activity?.Ref);
        var claim = await ClaimAsync(memberId, idempotencyKey!, hash, ct);
        if (claim.Completed is { } done) return (done, false);

        List<(Order Order, IReadOnlyList<StockRequest> Lines)> reserved = [];
        PricedCheckout priced;
        CheckoutPlan plan;
        try
        {
            priced = await pricer.PriceAsync(memberId, request, new PricingOptions(AddressRequired: true, activity), ct);
            if (priced.Pricing.Totals.PayableFen != request.ExpectedPayableFen)
                throw new ConflictException("price_changed", $"The total is now {Money.Yuan(priced.Pricing.Totals.PayableFen)}; review the order again.")
                {
                    Extensions = new Dictionary<string, object?> { ["preview"] = CheckoutPreviewMapper.ToPreview(priced, request.AddressId) },
                };
            if (!priced.Pricing.PinnedCouponsHonoured)
                throw new BusinessRuleException("coupon_not_applicable",
                    string.Join(" ", priced.Pricing.UnusedCoupons.Where(u => u.WasPinned).Select(u => $"{u.CouponId}: {u.Message}")));

            plan = CheckoutPlan.Build(memberId, idempotencyKey!, priced, request, encryptor, time.GetUtcNow(),
                activity?.PaymentTimeout ?? TimeSpan.FromSeconds(options.Value.PaymentTimeoutSeconds));
            foreach (var order in plan.Orders)
            {
                var lines = StockHolds.Lines(order);
                await stock.HoldAsync(order.Id, order.StockSource, order.Activity, lines, ct);
                reserved.Add((order, lines));
            }

            await paymentIndex.RecordPaymentAsync(plan.Payment.Id, memberId, ct);
            // Not cancellable: a batch that ran but whose answer was abandoned would look failed, and the failure path
            // would give back stock the committed orders hold.
            await CommitAsync(memberId, claim.Record, claim.ETag, plan, CancellationToken.None);
        }
        catch (Exception e) when (e is not ClaimLostException)
        {
            foreach (var (order, lines) in reserved)
                await stock.ReleaseAsync(order.Id, order.StockSource, order.Activity, lines, "checkout failed", CancellationToken.None);
            await ReleaseClaimAsync(memberId, claim.Record.Id, claim.ETag);
            throw;
        }

        // The orders exist from here on: follow-ups finish even if the shopper's request is gone, and never undo them.
        await AfterCommitAsync(memberId, priced, plan, lifecycle);
        return (plan.Result, true);
    }

    private async Task CommitAsync(string memberId, IdempotencyRecord claim, string claimETag, CheckoutPlan plan, CancellationToken ct)
    {
        var completed = claim with { State = IdempotencyState.Completed, Result = plan.Result };
        var batch = Members.CreateTransactionalBatch(new PartitionKey(memberId))
            .ReplaceItem(claim.Id, completed, new TransactionalBatchItemRequestOptions { IfMatchEtag = claimETag });
        foreach (var order in plan.Orders) batch.CreateItem(order);
        batch.CreateItem(plan.Payment);
        foreach (var (id, ops, predicate) in wallet.LockOperations(plan.Payment.CouponIds, plan.Payment.Id))
            batch.PatchItem(id, ops.ToList(), new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate });
        if (plan.Payment.PointsUsed > 0)
            batch.LockPoints(memberId, plan.Payment.Id, plan.Payment.PointsUsed, "held for an unpaid order", plan.Payment.CreatedAt);

        using var response = await batch.ExecuteAsync(ct);
        if (response.IsSuccessStatusCode) return;
        var failedAt = Enumerable.Range(0, response.Count).FirstOrDefault(i => response[i].StatusCode != HttpStatusCode.FailedDependency);
        var status = response[failedAt].StatusCode;
        var couponOps = plan.Payment.CouponIds.Count;
        var firstCoupon = 2 + plan.Orders.Count;
        throw (failedAt, status) switch
        {
            (0, _) => new ClaimLostException(),
            (var i, HttpStatusCode.PreconditionFailed) when i >= firstCoupon && i < firstCoupon + couponOps =>
                new ConflictException("coupon_unavailable", $"Coupon '{plan.Payment.CouponIds[i - firstCoupon]}' was just used or held by another order."),
            (_, HttpStatusCode.PreconditionFailed) when plan.Payment.PointsUsed > 0 =>
                new ConflictException("points_insufficient", "Your points balance changed; review the order again."),
            _ => new InvalidOperationException($"Checkout batch failed at operation {failedAt}: {status} {response.ErrorMessage}"),
        };
    }

    private async Task AfterCommitAsync(string memberId, PricedCheckout priced, CheckoutPlan plan, IOrderLifecycle lifecycle)
    {
        // Both are safe to lose: the cart is a convenience, and the lifecycle's reconciliation finds unstarted payments.
        try
        {
            if (priced.FromCart) await cart.RemoveLinesAsync(memberId, priced.Lines.Select(l => l.LineId), CancellationToken.None);
            await lifecycle.StartAsync(plan.Payment, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Payment order {PaymentOrderId} placed, but a follow-up step failed", plan.Payment.Id);
        }
    }

    /// <summary>Our lease ran out and another request with the same key took over: its work (same order ids) must not be undone.</summary>
    private sealed class ClaimLostException() : ConflictException("checkout_in_progress", "This checkout was taken over by a retry with the same key.");

    private sealed record Claim(IdempotencyRecord Record, string ETag, CheckoutResult? Completed);

    /// <summary>Claims the key with a short lease, or returns the completed result of an earlier identical request.</summary>
    private async Task<Claim> ClaimAsync(string memberId, string key, string hash, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var record = new IdempotencyRecord(IdempotencyRecord.IdFor(Scope, key), memberId, Scope, hash, IdempotencyState.Pending, now, now + Lease, null,
            (int)TimeSpan.FromDays(options.Value.IdempotencyKeyDays).TotalSeconds);
        try
        {
            var created = await Members.CreateItemAsync(record, new PartitionKey(memberId), cancellationToken: ct);
            return new Claim(record, created.ETag, null);
        }
        catch (CosmosException e) when (e.IsConflict()) { }

        var existing = await Members.ReadOrNullAsync<IdempotencyRecord>(record.Id, memberId, ct)
                       ?? throw new ConflictException("checkout_in_progress", "Retry with the same key.");
        if (existing.Value.RequestHash != hash)
            throw new BusinessRuleException("idempotency_key_reused", "This Idempotency-Key was used for a different checkout; use a new key.");
        if (existing.Value is { State: IdempotencyState.Completed, Result: { } result }) return new Claim(existing.Value, existing.ETag, result);
        if (existing.Value.LeaseUntil > now)
            throw new ConflictException("checkout_in_progress", "The same checkout is still being placed; retry in a moment.");
        try
        {
            // The earlier attempt died: take over its claim. Order ids derive from the key, so its reservations are reused.
            var taken = existing.Value with { LeaseUntil = now + Lease };
            var replaced = await Members.ReplaceItemAsync(taken, taken.Id, new PartitionKey(memberId), new ItemRequestOptions { IfMatchEtag = existing.ETag }, ct);
            return new Claim(taken, replaced.ETag, null);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new ConflictException("checkout_in_progress", "The same checkout is still being placed; retry in a moment.");
        }
    }

    /// <summary>Frees the key so the shopper can retry; only while the claim is still ours.</summary>
    private async Task ReleaseClaimAsync(string memberId, string id, string etag)
    {
        try { await Members.DeleteItemAsync<IdempotencyRecord>(id, new PartitionKey(memberId), new ItemRequestOptions { IfMatchEtag = etag }); }
        catch (CosmosException e) when (e.IsNotFound() || e.IsPreconditionFailed()) { }
    }

    private static void ValidateKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw ValidationException.For("Idempotency-Key", "send a header of 1-64 letters, digits, '-' or '_', unique per checkout.");
    }

    private static string Hash(string memberId, CheckoutRequest request, ActivityRef? activity)
        => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { memberId, request, activity }, JsonDefaults.Options)));
}
