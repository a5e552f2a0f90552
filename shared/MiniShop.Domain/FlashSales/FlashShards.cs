namespace MiniShop.Domain.FlashSales;

/// <summary>
/// How an item's flash stock is spread over shard documents and which shard a purchase tries first. Pure functions, so
/// the choice can be unit-tested; the conditional patches that take units live in the infrastructure.
/// </summary>
public static class FlashShards
{
    /// <summary>Shard key = partition key of one shard: "{sessionId}:{itemId}:{n}".</summary>
    public static string Key(string sessionId, string itemId, int shard) => $"{sessionId}:{itemId}:{shard}";

    /// <summary>No empty shards: an item with fewer units than the configured count gets one shard per unit.</summary>
    public static int CountFor(long stock, int configured) => (int)Math.Clamp(Math.Min(stock, configured), 1, 64);

    /// <summary>Splits <paramref name="units"/> as evenly as possible; the first <c>units % shards</c> shards get one more.</summary>
    public static long[] Split(long units, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var result = new long[shards];
        for (var i = 0; i < shards; i++) result[i] = units / shards + (i < units % shards ? 1 : 0);
        return result;
    }

    /// <summary>
    /// The shard a purchase tries first: a stable hash of the order id (order ids are SHA-256 based, so purchases spread
    /// uniformly over the shards), so every step of one order looks in the same place first.
    /// </summary>
    public static int FirstShard(string orderId, int shards)
    {
        var hash = 2166136261u; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var c in orderId)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)shards);
    }

    /// <summary>Every shard exactly once: the order's first shard, then the others in random order (losers of a race spread out).</summary>
    public static int[] ProbeOrder(string orderId, int shards, Random random)
    {
        var first = FirstShard(orderId, shards);
        var rest = Enumerable.Range(0, shards).Where(i => i != first).ToArray();
        random.Shuffle(rest);
        return [first, .. rest];
    }

    /// <summary>
    /// Parts to take <paramref name="quantity"/> units from shards that each hold less than that (a purchase of several
    /// units when the stock is fragmented): the fullest shards first, skipping <paramref name="exclude"/>. Empty when the
    /// shards do not hold enough together.
    /// </summary>
    public static IReadOnlyList<(int Shard, long Quantity)> PlanParts(IReadOnlyList<long> remaining, long quantity, IReadOnlySet<int>? exclude = null)
    {
        var parts = new List<(int, long)>();
        var need = quantity;
        foreach (var (shard, units) in remaining.Select((r, i) => (i, r)).Where(s => s.r > 0 && exclude?.Contains(s.i) != true)
                     .OrderByDescending(s => s.r).ThenBy(s => s.i))
        {
            if (need == 0) break;
            var take = Math.Min(units, need);
            parts.Add((shard, take));
            need -= take;
        }
        return need == 0 ? parts : [];
    }
}
