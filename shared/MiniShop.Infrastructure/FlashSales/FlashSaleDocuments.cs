using MiniShop.Domain.FlashSales;

namespace MiniShop.Infrastructure.FlashSales;

public enum FlashShardStatus { Open, Paused, Closed }

/// <summary>
/// One shard of an item's flash stock, alone in its partition (key = id = "{sessionId}:{itemId}:{n}"), so one SKU's
/// stock is never a single contended document. Units only move by conditional patches:
/// allocated = remaining + held + sold + returnedAtEnd + returnedLater, and no field ever goes below zero.
/// The window and status are copied here so the patch that takes units checks them atomically; <see cref="Version"/> is
/// the session version its allocation reflects (an edit's change applies once).
/// </summary>
public sealed record FlashShard(
    string Id,
    string SessionId,
    string ItemId,
    int Shard,
    string ProductId,
    string SkuId,
    long Allocated,
    long Remaining,
    long Held,
    long Sold,
    long ReturnedAtEnd,
    long ReturnedLater,
    FlashShardStatus Status,
    long StartsAtTs,
    long EndsAtTs,
    long Version)
{
    public const string DocType = "flash-shard";

    public string Key => Id;

    public string Type => DocType;

    public static FlashShard Create(FlashSaleSession session, FlashSaleItem item, int shard, long units) => new(
        FlashShards.Key(session.Id, item.Id, shard), session.Id, item.Id, shard, item.ProductId, item.SkuId, units, units, 0, 0, 0, 0,
        session.Status == FlashSaleStatus.Paused ? FlashShardStatus.Paused : FlashShardStatus.Open, session.StartsAtTs, session.EndsAtTs,
        session.Version);
}

public enum FlashHoldStatus { Held, Sold }

/// <summary>
/// Units of one order taken from one shard, in that shard's partition (id "hold:{orderId}"), created in the same
/// transactional batch as the patch that took them. Paid: status sold. Released: deleted in the batch that puts the
/// units back, so a retried release finds nothing to do. A multi-unit order may hold parts in several shards.
/// </summary>
public sealed record FlashHold(
    string Id,
    string Key,
    string OrderId,
    string MemberId,
    string SessionId,
    string ItemId,
    int Shard,
    string ProductId,
    string SkuId,
    long Quantity,
    FlashHoldStatus Status,
    DateTimeOffset HeldAt,
    DateTimeOffset? SoldAt = null)
{
    public const string DocType = "flash-hold";

    public string Type => DocType;

    public static string IdFor(string orderId) => $"hold:{orderId}";
}

/// <summary>One session of a SKU in its calendar.</summary>
public sealed record FlashCalendarEntry(string SessionId, long StartsAtTs, long EndsAtTs);

/// <summary>
/// The sessions of one SKU (id = key = "sku:{skuId}"), replaced with its ETag: two operators creating overlapping
/// sessions of the same SKU at once cannot both succeed.
/// </summary>
public sealed record FlashSkuCalendar(string Id, string SkuId, IReadOnlyList<FlashCalendarEntry> Sessions)
{
    public const string DocType = "flash-sku-calendar";

    public string Key => Id;

    public string Type => DocType;

    public static string IdFor(string skuId) => $"sku:{skuId}";
}

/// <summary>An order counted against a member's limit: "taking" while its purchase runs (a lease), "placed" once the order exists.</summary>
public sealed record FlashLimitEntry(long Quantity, string State, long At)
{
    public const string Taking = "taking";
    public const string Placed = "placed";
}

/// <summary>
/// A member's purchases of one flash-sale item, in the member's partition (members container, id
/// "flash-limit:{sessionId}:{itemId}"). <see cref="Bought"/> only moves by conditional patches
/// (<c>bought &lt;= limit - q</c>), together with the order's entry, so the limit holds under any concurrency and each
/// order is counted and given back at most once.
/// </summary>
public sealed record FlashLimitDocument(
    string Id,
    string MemberId,
    string SessionId,
    string ItemId,
    int Limit,
    long Bought,
    IReadOnlyDictionary<string, FlashLimitEntry> Orders,
    int Ttl)
{
    public const string DocType = "flash-limit";

    public string Type => DocType;

    public static string IdFor(string sessionId, string itemId) => $"flash-limit:{sessionId}:{itemId}";
}
