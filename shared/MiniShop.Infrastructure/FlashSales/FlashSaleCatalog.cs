using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using MiniShop.Domain.FlashSales;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.FlashSales;

public sealed record FlashSaleItemView(
    string Id, string ProductId, string SkuId, string Title, IReadOnlyList<string> SpecValues, string? CoverUrl,
    long ListPriceFen, long FlashPriceFen, long Stock, long Remaining, int PerMemberLimit, bool CouponsAllowed, bool SoldOut);

/// <summary>A session as shoppers see it; remaining stock is as of <see cref="CurrentFlashSales.AsOf"/> (at most a second or two old).</summary>
public sealed record FlashSaleView(
    string Id, string ShopId, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, FlashSalePhase Phase, IReadOnlyList<FlashSaleItemView> Items);

public sealed record CurrentFlashSales(DateTimeOffset AsOf, IReadOnlyList<FlashSaleView> Running, IReadOnlyList<FlashSaleView> Upcoming);

/// <summary>
/// What shoppers read, served from memory. Every <see cref="FlashSaleOptions.CacheMilliseconds"/> at most one request
/// per instance runs <b>one</b> query over the flash-sales container (sessions not ended, shards not closed) and sums
/// the shards per item; every other request in that period is answered from the snapshot. The purchase endpoint and
/// the stock hooks find sessions here too (a session outside the snapshot, e.g. ended, is a point read cached as long).
/// Admin writes invalidate this instance's snapshot at once.
/// </summary>
public sealed class FlashSaleCatalog(CosmosDb db, IOptions<FlashSaleOptions> options, TimeProvider time)
{
    private sealed record Snapshot(DateTimeOffset AsOf, long Stamp, IReadOnlyDictionary<string, FlashSaleSession> Sessions,
        IReadOnlyDictionary<string, long> Remaining);

    private readonly object _gate = new();
    private Snapshot? _snapshot;
    private Task<Snapshot>? _loading;
    private long _generation;
    private readonly ConcurrentDictionary<string, (FlashSaleSession? Session, long Stamp)> _others = new(StringComparer.Ordinal);

    /// <summary>How many snapshots this instance has built (tests check the hot path queries once per period).</summary>
    public int SnapshotsBuilt { get; private set; }

    private Container Sales => db.Container(CosmosSchema.FlashSales);

    private TimeSpan Period => TimeSpan.FromMilliseconds(Math.Max(1, options.Value.CacheMilliseconds));

    public async Task<CurrentFlashSales> CurrentAsync(CancellationToken ct)
    {
        var snapshot = await SnapshotAsync(ct);
        var now = time.GetUtcNow();
        var visible = snapshot.Sessions.Values.Where(s => s.StockAllocated).OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        return new CurrentFlashSales(snapshot.AsOf,
            visible.Where(s => s.PhaseAt(now) == FlashSalePhase.Running).Select(s => View(s, snapshot, now)).ToList(),
            visible.Where(s => s.PhaseAt(now) == FlashSalePhase.Upcoming).Select(s => View(s, snapshot, now)).ToList());
    }

    /// <summary>A session for shoppers (null: unknown, or its stock is not allocated yet).</summary>
    public async Task<FlashSaleView?> ViewAsync(string sessionId, CancellationToken ct)
    {
        var snapshot = await SnapshotAsync(ct);
        var session = await FindSessionAsync(sessionId, ct);
        return session is { StockAllocated: true } ? View(session, snapshot, time.GetUtcNow()) : null;
    }

    /// <summary>The session from the snapshot, or a point read cached for the same period.</summary>
    public async Task<FlashSaleSession?> FindSessionAsync(string sessionId, CancellationToken ct)
    {
        var snapshot = await SnapshotAsync(ct);
        if (snapshot.Sessions.TryGetValue(sessionId, out var session)) return session;
        var now = time.GetTimestamp();
        if (_others.TryGetValue(sessionId, out var cached) && time.GetElapsedTime(cached.Stamp, now) < Period) return cached.Session;
        var read = (await Sales.ReadOrNullAsync<FlashSaleSession>(sessionId, sessionId, ct))?.Value;
        if (read is not null && read.Type != FlashSaleSession.DocType) read = null;
        if (_others.Count > 10_000) _others.Clear();
        _others[sessionId] = (read, now);
        return read;
    }

    /// <summary>
    /// The item's remaining units as of the snapshot (at most one period old), or null when the session is not in it.
    /// Zero lets a buyer be told "sold out" without any call of its own; units coming back show within a period.
    /// </summary>
    public async Task<long?> RemainingAsync(string sessionId, string itemId, CancellationToken ct)
    {
        var snapshot = await SnapshotAsync(ct);
        return snapshot.Sessions.ContainsKey(sessionId) ? snapshot.Remaining.GetValueOrDefault($"{sessionId}:{itemId}", 0) : null;
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _snapshot = null;
            _loading = null;
            _generation++;
        }
        _others.Clear();
    }

    private FlashSaleView View(FlashSaleSession s, Snapshot snapshot, DateTimeOffset now)
    {
        var phase = s.PhaseAt(now);
        var items = s.Items.Select(i =>
        {
            var remaining = phase == FlashSalePhase.Ended ? 0 : snapshot.Remaining.GetValueOrDefault($"{s.Id}:{i.Id}", 0);
            return new FlashSaleItemView(i.Id, i.ProductId, i.SkuId, i.Title, i.SpecValues, i.CoverUrl, i.ListPriceFen, i.FlashPriceFen, i.Stock, remaining,
                i.PerMemberLimit, i.CouponsAllowed, remaining == 0);
        }).ToList();
        return new FlashSaleView(s.Id, s.ShopId, s.Name, s.StartsAt, s.EndsAt, phase, items);
    }

    /// <summary>The current snapshot; when it is older than the period, one caller reloads it and the others wait for that load.</summary>
    private Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_snapshot is { } s && time.GetElapsedTime(s.Stamp) < Period) return Task.FromResult(s);
            if (_loading is null || _loading.IsCompleted) _loading = LoadAsync(_generation);
            return _loading.WaitAsync(ct);
        }
    }

    private async Task<Snapshot> LoadAsync(long generation)
    {
        await Task.Yield(); // run the query outside the caller's lock
        var now = time.GetUtcNow();
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE (c.type = @session AND c.status != 'ended' AND c.endsAtTs > @now) OR (c.type = @shard AND c.status != 'closed')")
            .WithParameter("@session", FlashSaleSession.DocType).WithParameter("@shard", FlashShard.DocType).WithParameter("@now", now.ToUnixTimeSeconds());
        var docs = await Sales.QueryAsync<JsonElement>(query, null, ct: CancellationToken.None);
        var sessions = new Dictionary<string, FlashSaleSession>(StringComparer.Ordinal);
        var remaining = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (doc.GetProperty("type").GetString() == FlashSaleSession.DocType)
            {
                var session = doc.Deserialize<FlashSaleSession>(JsonDefaults.Options)!;
                sessions[session.Id] = session;
            }
            else
            {
                var shard = doc.Deserialize<FlashShard>(JsonDefaults.Options)!;
                var key = $"{shard.SessionId}:{shard.ItemId}";
                remaining[key] = remaining.GetValueOrDefault(key) + shard.Remaining;
            }
        }
        var snapshot = new Snapshot(now, time.GetTimestamp(), sessions, remaining);
        lock (_gate)
        {
            if (generation == _generation) _snapshot = snapshot; // an invalidation during the load wins
            SnapshotsBuilt++;
        }
        return snapshot;
    }
}
