namespace MiniShop.Domain.FlashSales;

/// <summary>What an operator set: scheduled (runs in its window), paused (kept, nothing sells) or ended (stock returned).</summary>
public enum FlashSaleStatus { Scheduled, Paused, Ended }

/// <summary>Where a session is at a given moment, from its status and window.</summary>
public enum FlashSalePhase { Upcoming, Running, Paused, Ended }

/// <summary>
/// One SKU on sale in a session: its flash price (below the list price), the units taken out of the product's stock
/// for the sale (<see cref="Stock"/>, split over <see cref="ShardCount"/> shards), how many one member may buy, and
/// whether coupons may be used on it. Product details are a snapshot taken when the session was written.
/// </summary>
public sealed record FlashSaleItem(
    string Id,
    string ProductId,
    string SkuId,
    string Title,
    IReadOnlyList<string> SpecValues,
    string? CoverUrl,
    long ListPriceFen,
    long FlashPriceFen,
    long Stock,
    int PerMemberLimit,
    bool CouponsAllowed,
    int ShardCount);

/// <summary>
/// A flash sale session (秒杀场次) of one shop: a window and the items on sale in it. Stored in the flash-sales
/// container in its own partition (key = id); its stock lives in shard documents next to it (<see cref="FlashShards"/>).
/// <see cref="StockAllocated"/> is true once every item's stock was moved into its shards; <see cref="StockReturned"/>
/// once an ended session's leftover stock went back to the products.
/// </summary>
public sealed record FlashSaleSession(
    string Id,
    string ShopId,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    FlashSaleStatus Status,
    IReadOnlyList<FlashSaleItem> Items,
    int NextItemNumber,
    long Version,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool StockAllocated = false,
    bool StockReturned = false,
    DateTimeOffset? EndedAt = null)
{
    public const string DocType = "flash-session";

    /// <summary>Partition key of the flash-sales container.</summary>
    public string Key => Id;

    public string Type => DocType;

    public long StartsAtTs => StartsAt.ToUnixTimeSeconds();

    public long EndsAtTs => EndsAt.ToUnixTimeSeconds();

    public FlashSalePhase PhaseAt(DateTimeOffset now) => Status switch
    {
        FlashSaleStatus.Ended => FlashSalePhase.Ended,
        _ when now >= EndsAt => FlashSalePhase.Ended,
        FlashSaleStatus.Paused => FlashSalePhase.Paused,
        _ when now < StartsAt => FlashSalePhase.Upcoming,
        _ => FlashSalePhase.Running,
    };

    public FlashSaleItem? FindItem(string itemId) => Items.FirstOrDefault(i => i.Id == itemId);

    public FlashSaleItem? ItemForSku(string skuId) => Items.FirstOrDefault(i => i.SkuId == skuId);
}
