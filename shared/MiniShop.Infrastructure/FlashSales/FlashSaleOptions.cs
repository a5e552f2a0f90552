namespace MiniShop.Infrastructure.FlashSales;

/// <summary>Settings section "FlashSales". Production defaults; tests pass seconds.</summary>
public sealed class FlashSaleOptions
{
    public const string Section = "FlashSales";

    /// <summary>An unpaid flash-sale order is cancelled after this long (5 minutes), and its units go back on sale.</summary>
    public int PaymentTimeoutSeconds { get; set; } = 300;

    /// <summary>Shard documents per item (8); an item with fewer units gets one shard per unit.</summary>
    public int ShardCount { get; set; } = 8;

    /// <summary>How long the shopper views (current sessions, remaining stock) are served from memory (1 s).</summary>
    public int CacheMilliseconds { get; set; } = 1000;

    /// <summary>How long a shard found empty is skipped by this instance (1 s); a sold-out item answers without touching Cosmos DB.</summary>
    public int EmptyShardMemoMilliseconds { get; set; } = 1000;

    /// <summary>Purchase requests one member may fire at once (token bucket size, 5).</summary>
    public int MemberBurst { get; set; } = 5;

    /// <summary>Tokens a member's bucket regains per second (1).</summary>
    public double MemberRefillPerSecond { get; set; } = 1;

    /// <summary>
    /// Purchases of one item that count the limit and take units at the same time in this instance (32); the others wait
    /// their turn in order, and once the item is sold out they are answered from memory without touching Cosmos DB.
    /// </summary>
    public int MaxConcurrentTakesPerItem { get; set; } = 32;

    /// <summary>A purchase in progress holds its order for this long (60 s); a retry with the same key after that takes over.</summary>
    public int PurchaseLeaseSeconds { get; set; } = 60;
}
