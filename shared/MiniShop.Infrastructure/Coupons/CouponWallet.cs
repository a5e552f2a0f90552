using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Coupons;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Coupons;

/// <summary>
/// A member's coupons (members container, the member's partition, type "coupon"), for the wallet page and for checkout.
/// Every read is a single-partition query. State changes are conditional patches, so each is safe to retry:
/// available -> locked (checkout, inside its own transactional batch), locked -> available (order cancelled),
/// locked -> used (order paid).
/// </summary>
public sealed partial class CouponWallet(CosmosDb db, TimeProvider time)
{
    /// <summary>The lock's filter predicate: only an available coupon can be locked.</summary>
    public const string LockPredicate = "FROM c WHERE c.status = 'available'";

    [GeneratedRegex("^[A-Za-z0-9_:-]{1,100}$")]
    private static partial Regex OrderIdPattern();

    private Container Members => db.Container(CosmosSchema.Members);

    /// <summary>
    /// Available coupons not yet expired at <paramref name="now"/>: the wallet to give the pricing engine (map each with
    /// <see cref="WalletCoupon.ToEngineCoupon"/>). Coupons whose window has not started are included, so the engine can
    /// explain them (NotYetValid).
    /// </summary>
    public async Task<IReadOnlyList<WalletCoupon>> UsableAsync(string memberId, DateTimeOffset now, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = @status AND c.validUntilTs > @now")
            .WithParameter("@type", WalletCoupon.DocType).WithParameter("@status", "available").WithParameter("@now", now.ToUnixTimeSeconds() - 1);
        var items = await Members.QueryAsync<WalletCoupon>(query, memberId, ct: ct);
        return items.Where(c => !c.IsExpiredAt(now)).OrderBy(c => c.ValidUntil).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The member's coupons in one state (all when null), soonest expiry first; expired = available but past its window.</summary>
    public async Task<IReadOnlyList<WalletCoupon>> ListAsync(string memberId, WalletCouponState? state, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stored = state switch
        {
            WalletCouponState.Available or WalletCouponState.Expired => "available",
            WalletCouponState.Locked => "locked",
            WalletCouponState.Used => "used",
            _ => null,
        };
        var sql = "SELECT * FROM c WHERE c.type = @type" + (stored is null ? "" : " AND c.status = @status");
        var items = await Members.QueryAsync<WalletCoupon>(
            new QueryDefinition(sql).WithParameter("@type", WalletCoupon.DocType).WithParameter("@status", stored), memberId, ct: ct);
        return items.Where(c => state is null || c.StateAt(now) == state)
            .OrderBy(c => c.ValidUntil).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<WalletCoupon?> FindAsync(string memberId, string couponId, CancellationToken ct)
        => (await Members.ReadOrNullAsync<WalletCoupon>(couponId, memberId, ct))?.Value;

    /// <summary>
    /// Patch operations that lock these coupons for an order, for the checkout's own transactional batch in the member's
    /// partition (<c>batch.PatchItem(id, ops, new() { FilterPredicate = predicate })</c>): a coupon that is no longer
    /// available fails its operation with 412 and the whole batch with it.
    /// </summary>
    public IEnumerable<(string Id, IReadOnlyList<PatchOperation> Ops, string FilterPredicate)> LockOperations(IEnumerable<string> couponIds, string orderId)
    {
        RequireOrderId(orderId);
        var now = time.GetUtcNow();
        foreach (var id in couponIds.Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<PatchOperation> ops =
            [
                PatchOperation.Set("/status", "locked"),
                PatchOperation.Set("/lockedByOrderId", orderId),
                PatchOperation.Set("/lockedAt", now),
            ];
            yield return (id, ops, LockPredicate);
        }
    }

    /// <summary>Puts the order's locked coupons back to available (order cancelled or not paid in time). Idempotent.</summary>
    public Task<int> ReleaseAsync(string memberId, string orderId, CancellationToken ct)
        => ChangeLockedAsync(memberId, orderId,
        [
            PatchOperation.Set("/status", "available"),
            PatchOperation.Remove("/lockedByOrderId"),
            PatchOperation.Remove("/lockedAt"),
        ], ct);

    /// <summary>Marks the order's locked coupons used (order paid). Idempotent: used coupons stay used.</summary>
    public Task<int> ConsumeAsync(string memberId, string orderId, CancellationToken ct)
        => ChangeLockedAsync(memberId, orderId,
        [
            PatchOperation.Set("/status", "used"),
            PatchOperation.Set("/usedByOrderId", orderId),
            PatchOperation.Set("/usedAt", time.GetUtcNow()),
            PatchOperation.Remove("/lockedByOrderId"),
            PatchOperation.Remove("/lockedAt"),
        ], ct);

    /// <summary>Applies the operations to every coupon locked by the order; a coupon changed meanwhile is skipped. Returns how many changed.</summary>
    private async Task<int> ChangeLockedAsync(string memberId, string orderId, IReadOnlyList<PatchOperation> ops, CancellationToken ct)
    {
        RequireOrderId(orderId);
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type AND c.status = @status AND c.lockedByOrderId = @order")
            .WithParameter("@type", WalletCoupon.DocType).WithParameter("@status", "locked").WithParameter("@order", orderId);
        var ids = await Members.QueryAsync<string>(query, memberId, ct: ct);
        // The order id is checked against a strict pattern above, so it is safe as a literal in the predicate.
        var predicate = $"FROM c WHERE c.status = 'locked' AND c.lockedByOrderId = '{orderId}'";
        var changed = 0;
        foreach (var id in ids)
        {
            try
            {
                await Members.PatchItemAsync<WalletCoupon>(id, new PartitionKey(memberId), ops, new PatchItemRequestOptions { FilterPredicate = predicate }, ct);
                changed++;
            }
            catch (CosmosException e) when (e.IsPreconditionFailed() || e.IsNotFound())
            {
                // Released or consumed concurrently: the outcome is already what the caller wants, or another order's.
            }
        }
        return changed;
    }

    private static void RequireOrderId(string orderId)
    {
        if (orderId is null || !OrderIdPattern().IsMatch(orderId))
            throw new ArgumentException("An order id is 1-100 letters, digits, '-', '_' or ':'.", nameof(orderId));
    }
}
