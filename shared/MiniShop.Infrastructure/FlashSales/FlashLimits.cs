using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.FlashSales;

public enum LimitClaimOutcome
{
    /// <summary>Counted now: this request owns the purchase.</summary>
    Counted,

    /// <summary>A purchase with this key already placed its order: answer with that result.</summary>
    Placed,

    /// <summary>A purchase with this key is still running (its lease has not run out).</summary>
    InProgress,

    /// <summary>A purchase with this key died part-way (lease over): this request takes it over; units may already be held.</summary>
    TakenOver,
}

/// <summary>
/// The per-member limit of a flash-sale item, on one document in the member's partition
/// (<see cref="FlashLimitDocument"/>). Counting an order is one conditional patch: add the order's entry and
/// <c>bought += q</c> only while the order is not counted yet and <c>bought &lt;= limit - q</c>. Giving it back removes the
/// entry and subtracts, only while the entry is there. So concurrent purchases of one member never pass the limit and
/// every order is counted and given back at most once, whoever retries.
/// </summary>
public sealed class FlashLimits(CosmosDb db, IOptions<FlashSaleOptions> options, TimeProvider time, ILogger<FlashLimits> log)
{
    private const int MaxAttempts = 10;

    private Container Members => db.Container(CosmosSchema.Members);

    public async Task<(LimitClaimOutcome Outcome, long Quantity)> ClaimAsync(string memberId, FlashSaleSession session, FlashSaleItem item, string orderId,
        long quantity, CancellationToken ct)
    {
        if (quantity > item.PerMemberLimit) throw FlashSaleProblems.LimitReached(item, 0);
        var id = FlashLimitDocument.IdFor(session.Id, item.Id);
        var entryPath = $"c.orders['{orderId}']";
        var create = true;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var entry = new FlashLimitEntry(quantity, FlashLimitEntry.Taking, now.ToUnixTimeSeconds());
            if (create)
            {
                create = false;
                // Most buyers buy an item once: the document starts with this order in it (one call). It exists: patch it.
                var doc = new FlashLimitDocument(id, memberId, session.Id, item.Id, item.PerMemberLimit, quantity,
                    new Dictionary<string, FlashLimitEntry>(StringComparer.Ordinal) { [orderId] = entry }, Ttl(session, now));
                if (await Members.TryCreateAsync(doc, memberId, ct)) return (LimitClaimOutcome.Counted, quantity);
            }
            try
            {
                await Members.PatchItemAsync<JsonElement>(id, new PartitionKey(memberId),
                    [PatchOperation.Set($"/orders/{orderId}", entry), PatchOperation.Increment("/bought", quantity)],
                    new PatchItemRequestOptions
                    {
                        FilterPredicate = $"FROM c WHERE NOT IS_DEFINED({entryPath}) AND c.bought <= {N(item.PerMemberLimit - quantity)}",
                        EnableContentResponseOnWrite = false,
                    }, ct);
                return (LimitClaimOutcome.Counted, quantity);
            }
            catch (CosmosException e) when (e.IsNotFound())
            {
                create = true; // deleted by its TTL meanwhile: create it again
                continue;
            }
            catch (CosmosException e) when (e.IsPreconditionFailed())
            {
                var current = (await Members.ReadOrNullAsync<FlashLimitDocument>(id, memberId, ct))?.Value;
                if (current is null) continue;
                if (current.Orders.TryGetValue(orderId, out var mine))
                {
                    if (mine.Quantity != quantity)
                        throw new BusinessRuleException("idempotency_key_reused", "This Idempotency-Key was used for a different purchase; use a new key.");
                    if (mine.State == FlashLimitEntry.Placed) return (LimitClaimOutcome.Placed, mine.Quantity);
                    if (now.ToUnixTimeSeconds() - mine.At < options.Value.PurchaseLeaseSeconds) return (LimitClaimOutcome.InProgress, mine.Quantity);
                    if (await TryPatchAsync(memberId, id, [PatchOperation.Set($"/orders/{orderId}/at", now.ToUnixTimeSeconds())],
                            $"FROM c WHERE {entryPath}.at = {N(mine.At)} AND {entryPath}.state = '{FlashLimitEntry.Taking}'", ct))
                        return (LimitClaimOutcome.TakenOver, mine.Quantity);
                    continue;
                }
                if (current.Bought + quantity > item.PerMemberLimit) throw FlashSaleProblems.LimitReached(item, current.Bought);
                // Another purchase of this member moved the counter between our patch and the read: try again.
            }
            await OptimisticRetry.PauseAsync(attempt, ct);
        }
        throw new ConflictException("flash_sale_busy", "Too many purchases of yours at once; retry in a moment.");
    }

    /// <summary>The order exists: its entry stops being a lease.</summary>
    public async Task MarkPlacedAsync(string memberId, string sessionId, string itemId, string orderId, CancellationToken ct)
    {
        if (!await TryPatchAsync(memberId, FlashLimitDocument.IdFor(sessionId, itemId), [PatchOperation.Set($"/orders/{orderId}/state", FlashLimitEntry.Placed)],
                $"FROM c WHERE IS_DEFINED(c.orders['{orderId}'])", ct))
            log.LogWarning("Flash limit entry of order {OrderId} was gone when its order was placed", orderId);
    }

    /// <summary>
    /// The order's units went back on sale: the member may buy them again. Idempotent. With the <paramref name="quantity"/>
    /// the order was counted with (the purchase that just counted it) this is one patch, else a read and a patch.
    /// </summary>
    public async Task GiveBackAsync(string memberId, string sessionId, string itemId, string orderId, CancellationToken ct, long? quantity = null)
    {
        var id = FlashLimitDocument.IdFor(sessionId, itemId);
        if (quantity is { } q && await TryPatchAsync(memberId, id, [PatchOperation.Remove($"/orders/{orderId}"), PatchOperation.Increment("/bought", -q)],
                $"FROM c WHERE IS_DEFINED(c.orders['{orderId}']) AND c.orders['{orderId}'].quantity = {N(q)} AND c.bought >= {N(q)}", ct))
            return;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = (await Members.ReadOrNullAsync<FlashLimitDocument>(id, memberId, ct))?.Value;
            if (current is null || !current.Orders.TryGetValue(orderId, out var entry)) return;
            if (await TryPatchAsync(memberId, id, [PatchOperation.Remove($"/orders/{orderId}"), PatchOperation.Increment("/bought", -entry.Quantity)],
                    $"FROM c WHERE IS_DEFINED(c.orders['{orderId}']) AND c.bought >= {N(entry.Quantity)}", ct))
                return;
        }
        log.LogError("Could not give back the flash limit of order {OrderId} for member {MemberId}: the member can buy fewer, never more", orderId, memberId);
    }

    public async Task<FlashLimitDocument?> FindAsync(string memberId, string sessionId, string itemId, CancellationToken ct)
        => (await Members.ReadOrNullAsync<FlashLimitDocument>(FlashLimitDocument.IdFor(sessionId, itemId), memberId, ct))?.Value;

    private async Task<bool> TryPatchAsync(string memberId, string id, IReadOnlyList<PatchOperation> ops, string predicate, CancellationToken ct)
    {
        try
        {
            await Members.PatchItemAsync<JsonElement>(id, new PartitionKey(memberId), ops,
                new PatchItemRequestOptions { FilterPredicate = predicate, EnableContentResponseOnWrite = false }, ct);
            return true;
        }
        catch (CosmosException e) when (e.IsPreconditionFailed() || e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>Kept 30 days after the session ends (the members container lets items choose their TTL).</summary>
    private static int Ttl(FlashSaleSession session, DateTimeOffset now)
        => (int)Math.Clamp((session.EndsAt - now).TotalSeconds + TimeSpan.FromDays(30).TotalSeconds, 3600, int.MaxValue);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
