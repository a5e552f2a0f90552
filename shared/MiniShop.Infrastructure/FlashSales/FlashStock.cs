using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Json;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.FlashSales;

/// <summary>
/// Which shards this instance recently found empty, so a sold-out item answers without touching Cosmos DB and buyers
/// stop probing empty shards. Entries expire after <see cref="FlashSaleOptions.EmptyShardMemoMilliseconds"/>, because an
/// unpaid order that times out puts units back; this instance clears its own entry when it puts them back.
/// </summary>
public sealed class FlashStockMemo(IOptions<FlashSaleOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _emptyUntil = new(StringComparer.Ordinal);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public bool IsEmpty(string shardKey) => _emptyUntil.TryGetValue(shardKey, out var until) && until > Now;

    public void MarkEmpty(string shardKey)
    {
        if (_emptyUntil.Count > 10_000)
            foreach (var (key, until) in _emptyUntil)
                if (until <= Now) _emptyUntil.TryRemove(key, out _);
        _emptyUntil[shardKey] = Now + options.Value.EmptyShardMemoMilliseconds;
    }

    public void Clear(string shardKey) => _emptyUntil.TryRemove(shardKey, out _);

    public bool IsSoldOut(string sessionId, FlashSaleItem item)
        => Enumerable.Range(0, item.ShardCount).All(n => IsEmpty(FlashShards.Key(sessionId, item.Id, n)));

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>
    /// The admission gate of one item in this instance: at most <see cref="FlashSaleOptions.MaxConcurrentTakesPerItem"/>
    /// purchases count the limit and take units at once; the rest queue (in arrival order). When a rush arrives, the
    /// queue is what keeps hundreds of losers from probing empty shards: by their turn the item is known sold out.
    /// </summary>
    public SemaphoreSlim GateFor(string sessionId, string itemId)
    {
        if (_gates.Count > 1_000) _gates.Clear(); // old sessions' gates; a waiter holding a dropped gate still completes
        return _gates.GetOrAdd($"{sessionId}:{itemId}", _ => new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentTakesPerItem)));
    }
}

/// <summary>
/// The flash-sale stock pool: shard documents in the flash-sales container, one partition each.
/// <list type="bullet">
/// <item><b>Take</b> (the purchase endpoint): one transactional batch in a shard's partition creates the order's hold and
/// patches the shard (<c>remaining -= q, held += q</c>) with the predicate <c>status = 'open' AND remaining &gt;= q</c> and
/// the window, so no shard ever goes negative and nothing sells outside the window. The order's own shard is tried
/// first, then the others in random order; an item is sold out only when every shard is empty.</item>
/// <item><b>Hold / commit / release</b> (<see cref="IActivityStock"/>, called by checkout and the payment settlement):
/// hold checks the units were taken; commit moves them to sold; release puts them back in their shard (or, once the
/// session has ended, back into the product's stock) and gives back the member's limit. Each is idempotent per order.</item>
/// <item><b>Allocate / close</b> (the admin service): units move between the product's stock and the shards, each
/// move recorded as a stock movement of the product with a fixed id, so a retry never moves them twice.</item>
/// </list>
/// </summary>
public sealed class FlashStock(
    CosmosDb db,
    FlashSaleCatalog catalog,
    FlashStockMemo memo,
    FlashLimits limits,
    TimeProvider time,
    ILogger<FlashStock> log) : IActivityStock
{
    /// <summary>The <see cref="Order.StockSource"/> of flash-sale orders.</summary>
    public const string SourceName = "flashSale";

    private const int MaxAttempts = 20;

    // Units the purchase endpoint of this instance took for an order it is placing: HoldAsync trusts these without a read.
    private readonly ConcurrentDictionary<string, long> _taken = new(StringComparer.Ordinal);

    public string Source => SourceName;

    private Container Sales => db.Container(CosmosSchema.FlashSales);

    private Container Products => db.Container(CosmosSchema.Products);

    private enum TakeOutcome { Took, AlreadyHeld, Unavailable }

    // ------------------------------------------------------------------------------------------------------------
    // Taking units (purchase endpoint)

    /// <summary>
    /// Takes <paramref name="quantity"/> units for the order: 409 <c>sold_out</c> when the shards do not hold that many,
    /// 409 <c>flash_sale_not_running</c> when the shards are paused or closed. With <paramref name="mayHoldAlready"/>
    /// (a purchase taken over after a crash) units this order already holds count.
    /// </summary>
    public async Task TakeAsync(FlashSaleSession session, FlashSaleItem item, string orderId, string memberId, long quantity, bool mayHoldAlready, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var existing = mayHoldAlready ? await FindHoldsAsync(session.Id, item, orderId, ct) : [];
        var need = quantity - existing.Sum(h => h.Value.Quantity);
        if (need <= 0) return;
        var occupied = existing.Select(h => h.Value.Shard).ToHashSet(); // one hold per order and shard

        foreach (var n in FlashShards.ProbeOrder(orderId, item.ShardCount, Random.Shared))
        {
            var key = FlashShards.Key(session.Id, item.Id, n);
            if (occupied.Contains(n) || memo.IsEmpty(key)) continue;
            var outcome = await TryTakeAsync(session, item, n, orderId, memberId, need, now, ct);
            if (outcome == TakeOutcome.Took) return;
            if (outcome == TakeOutcome.AlreadyHeld) occupied.Add(n);
            else if (need == 1) memo.MarkEmpty(key); // a one-unit take failed: the shard is empty (or paused, closed)
        }

        // No single shard had enough (or all are known empty): look at all of them once.
        var taken = new List<(int Shard, long Quantity)>();
        for (var round = 0; round < 3; round++)
        {
            var shards = await ReadShardsAsync(session.Id, item, ct);
            foreach (var s in shards.Where(s => s.Remaining == 0)) memo.MarkEmpty(s.Id);
            var nowTs = time.GetUtcNow().ToUnixTimeSeconds();
            if (shards.Count == 0 || shards.Any(s => s.Status != FlashShardStatus.Open || nowTs < s.StartsAtTs || nowTs >= s.EndsAtTs))
            {
                await GiveBackPartsAsync(session, item, orderId, taken, ct);
                throw FlashSaleProblems.NotRunning(session, time.GetUtcNow());
            }
            var remaining = new long[item.ShardCount];
            foreach (var s in shards) remaining[s.Shard] = s.Remaining;
            var stillNeeded = need - taken.Sum(t => t.Quantity);
            var plan = FlashShards.PlanParts(remaining, stillNeeded, occupied.Concat(taken.Select(t => t.Shard)).ToHashSet());
            if (plan.Count == 0)
            {
                await GiveBackPartsAsync(session, item, orderId, taken, ct);
                throw FlashSaleProblems.SoldOut(item, shards.Sum(s => s.Remaining));
            }
            foreach (var (shard, units) in plan)
            {
                if (await TryTakeAsync(session, item, shard, orderId, memberId, units, now, ct) != TakeOutcome.Took) break;
                taken.Add((shard, units));
            }
            if (taken.Sum(t => t.Quantity) == need) return;
        }
        await GiveBackPartsAsync(session, item, orderId, taken, ct);
        throw FlashSaleProblems.SoldOut(item, null);
    }

    private async Task<TakeOutcome> TryTakeAsync(FlashSaleSession session, FlashSaleItem item, int shard, string orderId, string memberId, long quantity,
        DateTimeOffset now, CancellationToken ct)
    {
        var key = FlashShards.Key(session.Id, item.Id, shard);
        var ts = now.ToUnixTimeSeconds();
        var hold = new FlashHold(FlashHold.IdFor(orderId), key, orderId, memberId, session.Id, item.Id, shard, item.ProductId, item.SkuId, quantity,
            FlashHoldStatus.Held, now);
        using var response = await Sales.CreateTransactionalBatch(new PartitionKey(key))
            .CreateItem(hold, NoContent)
            .PatchItem(key, [PatchOperation.Increment("/remaining", -quantity), PatchOperation.Increment("/held", quantity)],
                new TransactionalBatchPatchItemRequestOptions
                {
                    FilterPredicate = $"FROM c WHERE c.status = 'open' AND c.remaining >= {N(quantity)} AND c.startsAtTs <= {N(ts)} AND c.endsAtTs > {N(ts)}",
                    EnableContentResponseOnWrite = false,
                })
            .ExecuteAsync(ct);
        if (response.IsSuccessStatusCode) return TakeOutcome.Took;
        return OptimisticRetry.FailedStatus(response) switch
        {
            HttpStatusCode.Conflict => TakeOutcome.AlreadyHeld, // this order already holds units here (a retry)
            HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound => TakeOutcome.Unavailable,
            var status => throw new InvalidOperationException($"Flash stock batch failed on {key}: {status} {response.ErrorMessage}"),
        };
    }

    private async Task GiveBackPartsAsync(FlashSaleSession session, FlashSaleItem item, string orderId, List<(int Shard, long Quantity)> parts, CancellationToken ct)
    {
        if (parts.Count == 0) return;
        foreach (var hold in await FindHoldsAsync(session.Id, item, orderId, ct))
            if (parts.Any(p => p.Shard == hold.Value.Shard)) await ReleaseHoldAsync(hold, CancellationToken.None);
        parts.Clear();
    }

    /// <summary>Notes that this instance's purchase endpoint took the units of an order it is about to place.</summary>
    public void NoteTaken(string orderId, string itemId, long quantity) => _taken[$"{orderId}:{itemId}"] = quantity;

    public void ForgetTaken(string orderId, string itemId) => _taken.TryRemove($"{orderId}:{itemId}", out _);

    // ------------------------------------------------------------------------------------------------------------
    // IActivityStock: checkout and the payment settlement

    /// <summary>Checks that the units of every line were taken for this order by the purchase endpoint; 409 otherwise.</summary>
    public async Task HoldAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        foreach (var line in lines)
        {
            var (session, item) = await ItemAsync(activity, line, ct);
            if (_taken.TryGetValue($"{orderId}:{item.Id}", out var noted) && noted >= line.Quantity) continue;
            var held = (await FindHoldsAsync(session.Id, item, orderId, ct)).Sum(h => h.Value.Quantity);
            if (held < line.Quantity)
                throw new ConflictException("flash_units_not_held", $"The flash-sale units of SKU '{line.SkuId}' were not taken for this order; buy through the flash sale.");
        }
    }

    /// <summary>Order paid: its held units become sold. Idempotent.</summary>
    public async Task CommitAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        foreach (var line in lines)
        {
            var (session, item) = await ItemAsync(activity, line, ct);
            foreach (var hold in await FindHoldsAsync(session.Id, item, orderId, ct))
                await CommitHoldAsync(hold.Value, ct);
            ForgetTaken(orderId, item.Id);
        }
    }

    /// <summary>
    /// Order closed unpaid (timeout, cancel) or checkout failed: its held units go back on sale (into their shard, or to the
    /// product once the session has ended) and the member may buy them again. Idempotent.
    /// </summary>
    public async Task ReleaseAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        foreach (var line in lines)
        {
            var (session, item) = await ItemAsync(activity, line, ct);
            ForgetTaken(orderId, item.Id);
            var holds = (await FindHoldsAsync(session.Id, item, orderId, ct)).Where(h => h.Value.Status == FlashHoldStatus.Held).ToList();
            if (holds.Count == 0) continue;
            await limits.GiveBackAsync(holds[0].Value.MemberId, session.Id, item.Id, orderId, ct);
            foreach (var hold in holds) await ReleaseHoldAsync(hold, ct);
        }
    }

    private async Task<(FlashSaleSession Session, FlashSaleItem Item)> ItemAsync(ActivityRef activity, StockRequest line, CancellationToken ct)
    {
        var session = await catalog.FindSessionAsync(activity.ActivityId, ct) ?? throw new NotFoundException("Flash sale", activity.ActivityId);
        var item = session.ItemForSku(line.SkuId) ?? throw new NotFoundException("Flash sale item for SKU", line.SkuId);
        return (session, item);
    }

    /// <summary>The order's hold parts in the item's shards: one read of every shard partition (ReadMany).</summary>
    public async Task<IReadOnlyList<Versioned<FlashHold>>> FindHoldsAsync(string sessionId, FlashSaleItem item, string orderId, CancellationToken ct)
    {
        var keys = Enumerable.Range(0, item.ShardCount)
            .Select(n => (FlashHold.IdFor(orderId), new PartitionKey(FlashShards.Key(sessionId, item.Id, n)))).ToList();
        var response = await Sales.ReadManyItemsAsync<JsonElement>(keys, cancellationToken: ct);
        return response.Resource.Select(ReadHold).ToList();
    }

    private async Task CommitHoldAsync(FlashHold hold, CancellationToken ct)
    {
        var q = N(hold.Quantity);
        using var response = await Sales.CreateTransactionalBatch(new PartitionKey(hold.Key))
            .PatchItem(hold.Id, [PatchOperation.Set("/status", "sold"), PatchOperation.Set("/soldAt", time.GetUtcNow())],
                new TransactionalBatchPatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.status = 'held'", EnableContentResponseOnWrite = false })
            .PatchItem(hold.Key, [PatchOperation.Increment("/held", -hold.Quantity), PatchOperation.Increment("/sold", hold.Quantity)],
                new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.held >= {q}", EnableContentResponseOnWrite = false })
            .ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode)
            log.LogInformation("Committing flash hold {HoldId} in {Shard} found it already settled ({Status})", hold.Id, hold.Key, OptimisticRetry.FailedStatus(response));
    }

    /// <summary>
    /// Puts a held part back: into its shard while the session is on (one batch deletes the hold and patches the shard),
    /// or into the product's stock once the shard is closed (the product movement first, fixed id, then the batch).
    /// </summary>
    private async Task ReleaseHoldAsync(Versioned<FlashHold> hold, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (hold.Value.Status != FlashHoldStatus.Held) return;
            var h = hold.Value;
            var q = N(h.Quantity);
            using (var response = await Sales.CreateTransactionalBatch(new PartitionKey(h.Key))
                       .DeleteItem(h.Id, new TransactionalBatchItemRequestOptions { IfMatchEtag = hold.ETag })
                       .PatchItem(h.Key, [PatchOperation.Increment("/remaining", h.Quantity), PatchOperation.Increment("/held", -h.Quantity)],
                           new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.status != 'closed' AND c.held >= {q}", EnableContentResponseOnWrite = false })
                       .ExecuteAsync(ct))
            {
                if (response.IsSuccessStatusCode)
                {
                    memo.Clear(h.Key);
                    return;
                }
                if (response[1].StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    await ReleaseToProductAsync(hold, ct);
                    return;
                }
            }
            // The hold changed (committed, or released by a concurrent call): look again.
            var fresh = await Sales.ReadOrNullAsync<JsonElement>(h.Id, h.Key, ct);
            if (fresh is null) return;
            hold = ReadHold(fresh.Value);
        }
        throw new ConflictException("flash_stock_busy", "The flash-sale stock changed too often; retry.");
    }

    private async Task ReleaseToProductAsync(Versioned<FlashHold> hold, CancellationToken ct)
    {
        var h = hold.Value;
        await MoveProductStockAsync(h.ProductId, h.SkuId, h.Quantity, $"stk:flash-release:{h.OrderId}:{h.ItemId}:{h.Shard}",
            $"flash sale {h.SessionId} ended: unpaid order {h.OrderId} returned its units", "system", h.SessionId, ct);
        using var response = await Sales.CreateTransactionalBatch(new PartitionKey(h.Key))
            .DeleteItem(h.Id, new TransactionalBatchItemRequestOptions { IfMatchEtag = hold.ETag })
            .PatchItem(h.Key, [PatchOperation.Increment("/held", -h.Quantity), PatchOperation.Increment("/returnedLater", h.Quantity)],
                new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.held >= {N(h.Quantity)}", EnableContentResponseOnWrite = false })
            .ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode)
            log.LogWarning("Flash hold {HoldId} in {Shard}: units returned to the product, but the hold could not be cleared ({Status})",
                h.Id, h.Key, OptimisticRetry.FailedStatus(response));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Moving stock between the product and the shards (admin service)

    /// <summary>
    /// A new item: takes its units out of the product's available stock (409 <c>insufficient_stock</c>; the movement id
    /// makes a retry harmless) and creates its shards with the units split evenly.
    /// </summary>
    public async Task AllocateAsync(FlashSaleSession session, FlashSaleItem item, string actor, CancellationToken ct)
    {
        await MoveProductStockAsync(item.ProductId, item.SkuId, -item.Stock, $"stk:flash-alloc:{session.Id}:{item.Id}:v{N(session.Version)}",
            $"flash sale {session.Id}: {item.Stock} unit(s) moved to the sale", actor, session.Id, ct);
        var split = FlashShards.Split(item.Stock, item.ShardCount);
        for (var n = 0; n < item.ShardCount; n++)
        {
            var shard = FlashShard.Create(session, item, n, split[n]);
            await Sales.TryCreateAsync(shard, shard.Key, ct); // exists: created by an earlier attempt of this step
        }
    }

    /// <summary>
    /// An edit before the start changed an item's stock by <paramref name="delta"/>: more units come from the product
    /// first, fewer go back to it after leaving the shards. Each shard changes by its share of the delta in one patch
    /// guarded by the session version, so a repeated step changes nothing. 409 <c>flash_sale_started</c> when a shard
    /// cannot give its share (units were already bought).
    /// </summary>
    public async Task AdjustAsync(FlashSaleSession session, FlashSaleItem item, long delta, string actor, CancellationToken ct)
    {
        if (delta == 0) return;
        var version = N(session.Version);
        if (delta > 0)
            await MoveProductStockAsync(item.ProductId, item.SkuId, -delta, $"stk:flash-alloc:{session.Id}:{item.Id}:v{version}",
                $"flash sale {session.Id}: {delta} more unit(s) moved to the sale", actor, session.Id, ct);
        var split = FlashShards.Split(Math.Abs(delta), item.ShardCount);
        var removed = 0L;
        try
        {
            for (var n = 0; n < item.ShardCount; n++)
            {
                if (split[n] == 0) continue;
                var key = FlashShards.Key(session.Id, item.Id, n);
                var change = delta > 0 ? split[n] : -split[n];
                var guard = delta > 0 ? "" : $" AND c.remaining >= {N(split[n])} AND c.held = 0 AND c.sold = 0";
                try
                {
                    await Sales.PatchItemAsync<JsonElement>(key, new PartitionKey(key),
                        [PatchOperation.Increment("/allocated", change), PatchOperation.Increment("/remaining", change), PatchOperation.Set("/version", session.Version)],
                        new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.version < {version} AND c.status != 'closed'{guard}", EnableContentResponseOnWrite = false }, ct);
                    if (delta < 0) removed += split[n];
                }
                catch (CosmosException e) when (e.IsPreconditionFailed())
                {
                    var shard = (await Sales.ReadOrNullAsync<FlashShard>(key, key, ct))?.Value;
                    if (shard?.Version >= session.Version) continue; // this step was applied before
                    throw new ConflictException("flash_sale_started", "Units of this item were already bought; its stock can no longer be reduced.");
                }
            }
        }
        finally
        {
            if (removed > 0)
                await MoveProductStockAsync(item.ProductId, item.SkuId, removed, $"stk:flash-dealloc:{session.Id}:{item.Id}:v{version}",
                    $"flash sale {session.Id}: {removed} unit(s) returned before the start", actor, session.Id, CancellationToken.None);
        }
    }

    /// <summary>Closes every shard of the item and returns what was left in them to the product. Idempotent.</summary>
    public async Task<long> CloseItemAsync(FlashSaleSession session, FlashSaleItem item, CancellationToken ct)
    {
        var returned = 0L;
        for (var n = 0; n < item.ShardCount; n++)
            returned += await CloseShardAsync(FlashShards.Key(session.Id, item.Id, n), ct);
        return returned;
    }

    private async Task<long> CloseShardAsync(string key, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var shard = (await Sales.ReadOrNullAsync<FlashShard>(key, key, ct))?.Value;
            if (shard is null) return 0;
            if (shard.Status == FlashShardStatus.Closed)
            {
                if (shard.ReturnedAtEnd > 0)
                    await MoveProductStockAsync(shard.ProductId, shard.SkuId, shard.ReturnedAtEnd, $"stk:flash-end:{shard.Id}",
                        $"flash sale {shard.SessionId} ended: {shard.ReturnedAtEnd} unsold unit(s) returned", "system", shard.SessionId, ct);
                memo.MarkEmpty(key);
                return shard.ReturnedAtEnd;
            }
            try
            {
                await Sales.PatchItemAsync<JsonElement>(key, new PartitionKey(key),
                    [PatchOperation.Set("/status", "closed"), PatchOperation.Set("/remaining", 0L), PatchOperation.Set("/returnedAtEnd", shard.Remaining)],
                    new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.status != 'closed' AND c.remaining = {N(shard.Remaining)}", EnableContentResponseOnWrite = false }, ct);
            }
            catch (CosmosException e) when (e.IsPreconditionFailed() && attempt < MaxAttempts)
            {
                await OptimisticRetry.PauseAsync(attempt, ct); // a purchase or a release moved it: read again
            }
        }
    }

    /// <summary>Sets the status (open, paused) and window of every open or paused shard of the session.</summary>
    public async Task UpdateShardsAsync(FlashSaleSession session, CancellationToken ct)
    {
        var status = session.Status == FlashSaleStatus.Paused ? "paused" : "open";
        foreach (var item in session.Items)
            for (var n = 0; n < item.ShardCount; n++)
            {
                var key = FlashShards.Key(session.Id, item.Id, n);
                try
                {
                    await Sales.PatchItemAsync<JsonElement>(key, new PartitionKey(key),
                        [PatchOperation.Set("/status", status), PatchOperation.Set("/startsAtTs", session.StartsAtTs), PatchOperation.Set("/endsAtTs", session.EndsAtTs)],
                        new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.status != 'closed'", EnableContentResponseOnWrite = false }, ct);
                }
                catch (CosmosException e) when (e.IsPreconditionFailed() || e.IsNotFound()) { }
                if (status == "open") memo.Clear(key);
            }
    }

    /// <summary>Every shard of the item (missing ones are left out): one ReadMany over their partitions.</summary>
    public async Task<IReadOnlyList<FlashShard>> ReadShardsAsync(string sessionId, FlashSaleItem item, CancellationToken ct)
    {
        var keys = Enumerable.Range(0, item.ShardCount).Select(n => FlashShards.Key(sessionId, item.Id, n)).Select(k => (k, new PartitionKey(k))).ToList();
        var response = await Sales.ReadManyItemsAsync<FlashShard>(keys, cancellationToken: ct);
        return response.Resource.OrderBy(s => s.Shard).ToList();
    }

    /// <summary>Held parts of the session (cross-partition: finalization and results only).</summary>
    public async Task<IReadOnlyList<Versioned<FlashHold>>> HoldsOfSessionAsync(string sessionId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.sessionId = @session")
            .WithParameter("@type", FlashHold.DocType).WithParameter("@session", sessionId);
        return (await Sales.QueryAsync<JsonElement>(query, null, ct: ct)).Select(ReadHold).ToList();
    }

    /// <summary>Releases a hold whose order never came to be (the purchase crashed between taking units and placing the order).</summary>
    public async Task ReleaseOrphanAsync(Versioned<FlashHold> hold, CancellationToken ct)
    {
        await limits.GiveBackAsync(hold.Value.MemberId, hold.Value.SessionId, hold.Value.ItemId, hold.Value.OrderId, ct);
        await ReleaseHoldAsync(hold, ct);
    }

    /// <summary>
    /// Moves units into (+) or out of (-) a SKU's available stock with a movement of a fixed id and its outbox event
    /// (<c>stock.adjusted</c>, reference = the session) in the same batch: a repeat finds the movement and changes nothing.
    /// Out of stock: 409 <c>insufficient_stock</c>.
    /// </summary>
    private async Task MoveProductStockAsync(string productId, string skuId, long delta, string movementId, string reason, string actor, string reference, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var product = (await Products.ReadOrNullAsync<Product>(productId, productId, ct))?.Value;
            var index = product?.Skus.ToList().FindIndex(s => s.Id == skuId) ?? -1;
            if (product is null || index < 0)
            {
                log.LogError("Flash stock: {Delta} unit(s) of SKU {SkuId} ({MovementId}) cannot move: the product or SKU is gone", delta, skuId, movementId);
                return;
            }
            var predicate = $"FROM c WHERE c.skus[{index}].id = '{Literal(skuId)}'" + (delta < 0 ? $" AND c.skus[{index}].stock.available >= {N(-delta)}" : "");
            var movement = new StockMovement(movementId, productId, skuId, delta, 0, 0, reason, actor, reference, time.GetUtcNow());
            using var response = await Products.CreateTransactionalBatch(new PartitionKey(productId))
                .CreateItem(movement, NoContent)
                // ERP/WMS see every movement of the product's counters: for them this is an adjustment of available stock.
                .CreateItem(OutboxEvent.ForStock(OutboxEventTypes.StockAdjusted, new StockEventPayload(product.ShopId, productId, skuId,
                    product.Skus[index].Code, delta, 0, 0, reason, reference, movementId, movement.At)), NoContent)
                .PatchItem(productId, [PatchOperation.Increment($"/skus/{index}/stock/available", delta)],
                    new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate, EnableContentResponseOnWrite = false })
                .ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return;
            switch (OptimisticRetry.FailedStatus(response))
            {
                case HttpStatusCode.Conflict:
                    return; // moved before: the movement's id is the idempotency key
                case HttpStatusCode.PreconditionFailed when delta < 0 && product.Skus[index].Stock.Available < -delta:
                    throw new ConflictException("insufficient_stock",
                        $"Only {product.Skus[index].Stock.Available} unit(s) of SKU '{skuId}' are available; {-delta} are needed for the flash sale.")
                    {
                        Extensions = new Dictionary<string, object?> { ["skuId"] = skuId, ["available"] = product.Skus[index].Stock.Available },
                    };
                case HttpStatusCode.PreconditionFailed:
                    continue; // the SKU moved in the matrix or the stock changed: read again
                case var status:
                    throw new InvalidOperationException($"Product stock batch failed for {productId}: {status} {response.ErrorMessage}");
            }
        }
        throw new ConflictException("insufficient_stock", $"The stock of SKU '{skuId}' changed too often; retry.");
    }

    private static readonly TransactionalBatchItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private static Versioned<FlashHold> ReadHold(JsonElement element)
        => new(element.Deserialize<FlashHold>(JsonDefaults.Options)!, element.GetProperty("_etag").GetString()!);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Literal(string value) => value.Replace("\\", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
}
