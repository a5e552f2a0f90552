using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.FlashSales;

/// <summary>
/// A token bucket per member in this instance: <see cref="FlashSaleOptions.MemberBurst"/> purchase requests at once,
/// then <see cref="FlashSaleOptions.MemberRefillPerSecond"/> per second. A member hammering the buy button is answered
/// 429 from memory before any Cosmos DB call; the per-member limit document still guards the limit across instances.
/// </summary>
public sealed class MemberThrottle(IOptions<FlashSaleOptions> options, TimeProvider time)
{
    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Null when the request may go on; otherwise how long until the member's next token.</summary>
    public TimeSpan? TryTake(string memberId)
    {
        var burst = Math.Max(1, options.Value.MemberBurst);
        var rate = Math.Max(0.01, options.Value.MemberRefillPerSecond);
        var now = time.GetTimestamp();
        if (_buckets.Count > 100_000) Prune(now, burst, rate);
        var bucket = _buckets.GetOrAdd(memberId, _ => new Bucket { Tokens = burst, Stamp = now });
        lock (bucket)
        {
            bucket.Tokens = Math.Min(burst, bucket.Tokens + time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * rate);
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return null;
            }
            return TimeSpan.FromSeconds((1 - bucket.Tokens) / rate);
        }
    }

    /// <summary>Forgets buckets that have filled up again (they would start full anyway).</summary>
    private void Prune(long now, int burst, double rate)
    {
        foreach (var (member, bucket) in _buckets)
            if (bucket.Tokens + time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * rate >= burst)
                _buckets.TryRemove(member, out _);
    }
}
