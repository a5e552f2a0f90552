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

namespace MiniShop.Infrastructure.FlashSales;

public sealed record FlashSaleItemResult(
    string ItemId, string ProductId, string SkuId, string Title, long FlashPriceFen, long Stock,
    long RemainingUnits, long UnpaidUnits, long SoldUnits, long ReturnedUnits,
    int Orders, int PaidOrders, int UnpaidOrders, long SalesFen);

/// <summary>
/// How a session did. Units: stock = remaining + unpaid + sold + returned (to the product, at the end or by orders that
/// closed after it). Orders are the orders holding units now: paid, or unpaid within their payment deadline; orders that
/// were cancelled gave their units back and are not counted. Sales are sold units at the flash price (before coupons).
/// </summary>
public sealed record FlashSaleResults(
    string SessionId, FlashSalePhase Phase, bool StockReturned, IReadOnlyList<FlashSaleItemResult> Items,
    long SoldUnits, int Orders, int PaidOrders, int UnpaidOrders, long SalesFen);

/// <summary>When the session's lifecycle should finalize it (null: already finalized).</summary>
public sealed record FlashSaleSchedule(string SessionId, DateTime? EndsAtUtc, bool Finalized);

/// <summary>
/// Operators' flash-sale writes: create (stock moved out of the products into shards), edit before the start, pause,
/// resume, end (leftover stock back to the products), and the results. Sessions of one SKU never overlap: each SKU has a
/// calendar document replaced with its ETag.
/// </summary>
public sealed class FlashSaleAdminService(
    CosmosDb db,
    ShopStore shops,
    FlashStock stock,
    FlashSaleCatalog catalog,
    IOptions<FlashSaleOptions> options,
    TimeProvider time,
    ILogger<FlashSaleAdminService> log)
{
    private const int MaxAttempts = 10;

    private Container Sales => db.Container(CosmosSchema.FlashSales);

    public async Task<Versioned<FlashSaleSession>> GetAsync(string id, CancellationToken ct)
    {
        var found = await Sales.ReadOrNullAsync<FlashSaleSession>(id, id, ct);
        return found is { Value.Type: FlashSaleSession.DocType } ? found : throw new NotFoundException("Flash sale", id);
    }

    /// <summary>Sessions of a shop (or of every shop), latest start first. A cross-partition query: admin path only.</summary>
    public async Task<IReadOnlyList<FlashSaleSession>> ListAsync(string? shopId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type" + (shopId is null ? "" : " AND c.shopId = @shop"))
            .WithParameter("@type", FlashSaleSession.DocType).WithParameter("@shop", shopId);
        var sessions = await Sales.QueryAsync<FlashSaleSession>(query, null, ct: ct);
        return sessions.OrderByDescending(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<FlashSaleSession> CreateAsync(FlashSaleDraft draft, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var products = await ProductsAsync(draft.Items, ct);
        var overlaps = await OverlapsAsync(draft, null, ct);
        var session = FlashSaleRules.Create(Ids.New("fls"), draft, products, overlaps, options.Value.ShardCount, actor, now);
        if (await shops.FindAsync(session.ShopId, ct) is null) throw ValidationException.For("shopId", $"'{session.ShopId}' is not a known shop.");

        await ReserveCalendarsAsync(session, session.Items.Select(i => i.SkuId).ToList(), ct);
        var allocated = new List<FlashSaleItem>();
        try
        {
            await Sales.CreateItemAsync(session, new PartitionKey(session.Key), cancellationToken: ct);
            foreach (var item in session.Items)
            {
                allocated.Add(item);
                await stock.AllocateAsync(session, item, actor, ct);
            }
            session = session with { StockAllocated = true };
            await Sales.ReplaceItemAsync(session, session.Id, new PartitionKey(session.Key), cancellationToken: ct);
        }
        catch
        {
            // Nothing half-made stays behind: units go back to the products, the session and its calendar entries go.
            foreach (var item in allocated) await stock.CloseItemAsync(session, item, CancellationToken.None);
            try { await Sales.DeleteItemAsync<JsonElement>(session.Id, new PartitionKey(session.Key), cancellationToken: CancellationToken.None); }
            catch (CosmosException e) when (e.IsNotFound()) { }
            await ReleaseCalendarsAsync(session.Id, session.Items.Select(i => i.SkuId), CancellationToken.None);
            throw;
        }
        catalog.Invalidate();
        log.LogInformation("Flash sale {SessionId} of shop {ShopId} created by {Actor}: {Items} item(s), {Units} unit(s)",
            session.Id, session.ShopId, actor, session.Items.Count, session.Items.Sum(i => i.Stock));
        return session;
    }

    /// <summary>Replaces the content before the start (412 when <paramref name="expectedVersion"/> is stale).</summary>
    public async Task<FlashSaleSession> UpdateAsync(string id, FlashSaleDraft draft, long expectedVersion, string actor, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var products = await ProductsAsync(draft.Items, ct);
        var overlaps = await OverlapsAsync(draft with { ShopId = current.Value.ShopId }, id, ct);
        var updated = FlashSaleRules.Update(current.Value, draft, products, overlaps, options.Value.ShardCount, time.GetUtcNow()) with { StockAllocated = false };

        await ReserveCalendarsAsync(updated, updated.Items.Select(i => i.SkuId).ToList(), ct);
        string etag;
        try
        {
            etag = (await Sales.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct)).ETag;
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }

        // The stock follows the new content: new items allocated, changed ones adjusted, removed ones returned.
        foreach (var item in updated.Items)
        {
            var old = current.Value.Items.FirstOrDefault(i => i.Id == item.Id);
            if (old is null) await stock.AllocateAsync(updated, item, actor, ct);
            else await stock.AdjustAsync(updated, item, item.Stock - old.Stock, actor, ct);
        }
        var removed = current.Value.Items.Where(o => updated.Items.All(i => i.Id != o.Id)).ToList();
        foreach (var item in removed) await stock.CloseItemAsync(current.Value, item, ct);
        await stock.UpdateShardsAsync(updated, ct);
        await ReleaseCalendarsAsync(id, removed.Select(i => i.SkuId).Where(sku => updated.ItemForSku(sku) is null), ct);

        updated = updated with { StockAllocated = true };
        await Sales.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        catalog.Invalidate();
        return updated;
    }

    /// <summary>Pauses (nothing sells; the shards refuse) or resumes. A no-op when already so; 409 once ended.</summary>
    public async Task<FlashSaleSession> SetPausedAsync(string id, bool paused, long? expectedVersion, CancellationToken ct)
    {
        var target = paused ? FlashSaleStatus.Paused : FlashSaleStatus.Scheduled;
        var session = await ChangeAsync(id, expectedVersion, s =>
        {
            if (s.Status == FlashSaleStatus.Ended || s.PhaseAt(time.GetUtcNow()) == FlashSalePhase.Ended)
                throw new ConflictException("flash_sale_ended", "This flash sale has ended.");
            return s.Status == target ? s : s with { Status = target, Version = s.Version + 1, UpdatedAt = time.GetUtcNow() };
        }, ct);
        await stock.UpdateShardsAsync(session, ct);
        catalog.Invalidate();
        return session;
    }

    /// <summary>Ends the session now: nothing more sells and the leftover stock goes back to the products.</summary>
    public async Task<FlashSaleSession> EndAsync(string id, long? expectedVersion, string actor, CancellationToken ct)
    {
        await ChangeAsync(id, expectedVersion, s => s.Status == FlashSaleStatus.Ended ? s
            : s with { Status = FlashSaleStatus.Ended, EndedAt = time.GetUtcNow(), Version = s.Version + 1, UpdatedAt = time.GetUtcNow() }, ct);
        log.LogInformation("Flash sale {SessionId} ended early by {Actor}", id, actor);
        return await FinalizeAsync(id, ct);
    }

    /// <summary>
    /// After the end (scheduled or early): status ended, every shard closed and its leftover returned to the product
    /// (a movement of a fixed id per shard), holds whose order never came to be released, the SKU calendars freed.
    /// Idempotent: the lifecycle, the sweep and an operator may all run it.
    /// </summary>
    public async Task<FlashSaleSession> FinalizeAsync(string id, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.StockReturned) return current.Value;
        if (current.Value.Status != FlashSaleStatus.Ended && time.GetUtcNow() < current.Value.EndsAt)
            throw new ConflictException("flash_sale_running", "The session has not ended yet.");
        var session = await ChangeAsync(id, null, s => s.Status == FlashSaleStatus.Ended ? s
            : s with { Status = FlashSaleStatus.Ended, EndedAt = s.EndsAt, Version = s.Version + 1, UpdatedAt = time.GetUtcNow() }, ct);
        catalog.Invalidate();

        var returned = 0L;
        foreach (var item in session.Items) returned += await stock.CloseItemAsync(session, item, ct);
        await ReleaseOrphansAsync(session, ct);
        await ReleaseCalendarsAsync(id, session.Items.Select(i => i.SkuId), ct);
        session = await ChangeAsync(id, null, s => s.StockReturned ? s : s with { StockReturned = true }, ct);
        catalog.Invalidate();
        log.LogInformation("Flash sale {SessionId} finalized: {Returned} unsold unit(s) returned to the products", id, returned);
        return session;
    }

    public async Task<FlashSaleSchedule> ScheduleAsync(string id, CancellationToken ct)
    {
        var session = await Sales.ReadOrNullAsync<FlashSaleSession>(id, id, ct);
        if (session is null || session.Value.StockReturned) return new FlashSaleSchedule(id, null, true);
        return new FlashSaleSchedule(id, (session.Value.EndedAt ?? session.Value.EndsAt).UtcDateTime, false);
    }

    /// <summary>Sessions past their end whose stock has not gone back yet (the sweep's safety net; cross-partition).</summary>
    public async Task<IReadOnlyList<string>> OverdueAsync(CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type AND c.stockReturned != true AND (c.status = 'ended' OR c.endsAtTs <= @now)")
            .WithParameter("@type", FlashSaleSession.DocType).WithParameter("@now", time.GetUtcNow().ToUnixTimeSeconds());
        return await Sales.QueryAsync<string>(query, null, ct: ct);
    }

    public async Task<FlashSaleResults> ResultsAsync(string id, CancellationToken ct)
    {
        var session = (await GetAsync(id, ct)).Value;
        // Shards first, holds after: a payment settling in between then shows as a paid order already, never as units
        // sold by an order still counted unpaid (a commit changes a hold and its shard in one batch).
        var shardsOf = new Dictionary<string, IReadOnlyList<FlashShard>>();
        foreach (var item in session.Items) shardsOf[item.Id] = await stock.ReadShardsAsync(id, item, ct);
        var holds = await stock.HoldsOfSessionAsync(id, ct);
        var items = new List<FlashSaleItemResult>();
        foreach (var item in session.Items)
        {
            var shards = shardsOf[item.Id];
            var orders = holds.Select(h => h.Value).Where(h => h.ItemId == item.Id).GroupBy(h => h.OrderId)
                .Select(g => g.All(h => h.Status == FlashHoldStatus.Sold)).ToList();
            var sold = shards.Sum(s => s.Sold);
            items.Add(new FlashSaleItemResult(item.Id, item.ProductId, item.SkuId, item.Title, item.FlashPriceFen, shards.Sum(s => s.Allocated),
                shards.Sum(s => s.Remaining), shards.Sum(s => s.Held), sold, shards.Sum(s => s.ReturnedAtEnd + s.ReturnedLater),
                orders.Count, orders.Count(paid => paid), orders.Count(paid => !paid), sold * item.FlashPriceFen));
        }
        var allOrders = holds.Select(h => h.Value).GroupBy(h => h.OrderId).Select(g => g.All(h => h.Status == FlashHoldStatus.Sold)).ToList();
        return new FlashSaleResults(id, session.PhaseAt(time.GetUtcNow()), session.StockReturned, items,
            items.Sum(i => i.SoldUnits), allOrders.Count, allOrders.Count(p => p), allOrders.Count(p => !p), items.Sum(i => i.SalesFen));
    }

    /// <summary>
    /// Sessions under way: units held by purchases that died between taking them and placing the order go back on sale
    /// now rather than at the session's end, so a crash never keeps units from buyers for long. The sweep runs it; a
    /// hold younger than the purchase lease, or whose order exists, is left alone. Returns how many holds were released.
    /// </summary>
    public async Task<int> ReleaseOrphansOfRunningAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type AND c.status != 'ended' AND c.startsAtTs <= @now AND c.endsAtTs > @now")
            .WithParameter("@type", FlashSaleSession.DocType).WithParameter("@now", now);
        var released = 0;
        foreach (var id in await Sales.QueryAsync<string>(query, null, ct: ct))
        {
            if (await Sales.ReadOrNullAsync<FlashSaleSession>(id, id, ct) is { } session) released += await ReleaseOrphansAsync(session.Value, ct);
        }
        return released;
    }

    /// <summary>Holds whose order does not exist after the purchase lease (the purchase died between taking units and placing the order).</summary>
    private async Task<int> ReleaseOrphansAsync(FlashSaleSession session, CancellationToken ct)
    {
        var released = 0;
        var members = db.Container(CosmosSchema.Members);
        var cutoff = time.GetUtcNow().AddSeconds(-options.Value.PurchaseLeaseSeconds);
        foreach (var hold in await stock.HoldsOfSessionAsync(session.Id, ct))
        {
            if (hold.Value.Status != FlashHoldStatus.Held || hold.Value.HeldAt > cutoff) continue;
            var order = await members.ReadOrNullAsync<Order>(hold.Value.OrderId, hold.Value.MemberId, ct);
            if (order is not null && order.Value.Status != OrderStatus.Cancelled) continue; // its payment lifecycle settles it
            log.LogWarning("Flash sale {SessionId}: releasing {Quantity} unit(s) held for order {OrderId}, which {State}",
                session.Id, hold.Value.Quantity, hold.Value.OrderId, order is null ? "was never placed" : "was cancelled");
            await stock.ReleaseOrphanAsync(hold, ct);
            released++;
        }
        return released;
    }

    private async Task<FlashSaleSession> ChangeAsync(string id, long? expectedVersion, Func<FlashSaleSession, FlashSaleSession> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(id, ct);
            if (expectedVersion is { } v && current.Value.Version != v) throw new PreconditionFailedException();
            var updated = change(current.Value);
            if (ReferenceEquals(updated, current.Value)) return updated;
            try
            {
                await Sales.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
                return updated;
            }
            catch (CosmosException e) when (e.IsPreconditionFailed() && attempt < MaxAttempts)
            {
                await OptimisticRetry.PauseAsync(attempt, ct);
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, Product>> ProductsAsync(List<FlashSaleItemDraft>? items, CancellationToken ct)
    {
        var ids = (items ?? []).Select(i => i?.ProductId).OfType<string>().Where(id => id.Length is > 0 and <= 64).Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<string, Product>();
        var response = await db.Container(CosmosSchema.Products).ReadManyItemsAsync<Product>(ids.Select(id => (id, new PartitionKey(id))).ToList(), cancellationToken: ct);
        return response.Resource.Where(p => p.Type == "product").ToDictionary(p => p.Id);
    }

    /// <summary>Sessions (other than <paramref name="ownId"/>) of the draft's SKUs that overlap its window, from the SKU calendars.</summary>
    private async Task<IReadOnlyList<FlashSaleOverlap>> OverlapsAsync(FlashSaleDraft draft, string? ownId, CancellationToken ct)
    {
        if (draft.StartsAt is not { } start || draft.EndsAt is not { } end) return [];
        var skus = (draft.Items ?? []).Select(i => i?.SkuId).OfType<string>().Where(s => s.Length is > 0 and <= 64).Distinct().ToList();
        if (skus.Count == 0) return [];
        var keys = skus.Select(s => FlashSkuCalendar.IdFor(s)).Select(k => (k, new PartitionKey(k))).ToList();
        var calendars = (await Sales.ReadManyItemsAsync<FlashSkuCalendar>(keys, cancellationToken: ct)).Resource;
        return calendars.SelectMany(c => Conflicts(c, ownId, start, end)
            .Select(e => new FlashSaleOverlap(c.SkuId, e.SessionId, DateTimeOffset.FromUnixTimeSeconds(e.StartsAtTs), DateTimeOffset.FromUnixTimeSeconds(e.EndsAtTs)))).ToList();
    }

    private IEnumerable<FlashCalendarEntry> Conflicts(FlashSkuCalendar calendar, string? ownId, DateTimeOffset start, DateTimeOffset end)
        => calendar.Sessions.Where(e => e.SessionId != ownId && e.EndsAtTs > time.GetUtcNow().ToUnixTimeSeconds()
            && FlashSaleRules.Overlaps(start, end, DateTimeOffset.FromUnixTimeSeconds(e.StartsAtTs), DateTimeOffset.FromUnixTimeSeconds(e.EndsAtTs)));

    /// <summary>
    /// Writes the session's window into each SKU's calendar with the calendar's ETag, re-checking for overlaps on every
    /// attempt: of two concurrent overlapping sessions only one gets in; the other gets a 400 on that item.
    /// </summary>
    private async Task ReserveCalendarsAsync(FlashSaleSession session, IReadOnlyList<string> skuIds, CancellationToken ct)
    {
        var done = new List<string>();
        try
        {
            foreach (var skuId in skuIds)
            {
                await ReserveCalendarAsync(session, skuId, ct);
                done.Add(skuId);
            }
        }
        catch
        {
            await ReleaseCalendarsAsync(session.Id, done, CancellationToken.None);
            throw;
        }
    }

    private async Task ReserveCalendarAsync(FlashSaleSession session, string skuId, CancellationToken ct)
    {
        var id = FlashSkuCalendar.IdFor(skuId);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await Sales.ReadOrNullAsync<FlashSkuCalendar>(id, id, ct);
            var entries = current?.Value.Sessions ?? [];
            var conflict = Conflicts(current?.Value ?? new FlashSkuCalendar(id, skuId, []), session.Id, session.StartsAt, session.EndsAt).FirstOrDefault();
            if (conflict is not null)
            {
                var index = session.Items.ToList().FindIndex(i => i.SkuId == skuId);
                throw ValidationException.For($"items[{index}].skuId",
                    $"is already in flash sale '{conflict.SessionId}' from {DateTimeOffset.FromUnixTimeSeconds(conflict.StartsAtTs):u} to {DateTimeOffset.FromUnixTimeSeconds(conflict.EndsAtTs):u}; sessions of one SKU must not overlap.");
            }
            var calendar = new FlashSkuCalendar(id, skuId,
                [.. entries.Where(e => e.SessionId != session.Id && e.EndsAtTs > now), new FlashCalendarEntry(session.Id, session.StartsAtTs, session.EndsAtTs)]);
            try
            {
                if (current is null) await Sales.CreateItemAsync(calendar, new PartitionKey(id), cancellationToken: ct);
                else await Sales.ReplaceItemAsync(calendar, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
                return;
            }
            catch (CosmosException e) when (OptimisticRetry.IsLostRace(e))
            {
                await OptimisticRetry.PauseAsync(attempt, ct);
            }
        }
        throw new ConflictException("flash_sale_busy", $"The calendar of SKU '{skuId}' is changing; retry.");
    }

    private async Task ReleaseCalendarsAsync(string sessionId, IEnumerable<string> skuIds, CancellationToken ct)
    {
        foreach (var skuId in skuIds.Distinct())
        {
            var id = FlashSkuCalendar.IdFor(skuId);
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var current = await Sales.ReadOrNullAsync<FlashSkuCalendar>(id, id, ct);
                if (current is null || current.Value.Sessions.All(e => e.SessionId != sessionId)) break;
                var calendar = current.Value with { Sessions = current.Value.Sessions.Where(e => e.SessionId != sessionId).ToList() };
                try
                {
                    await Sales.ReplaceItemAsync(calendar, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
                    break;
                }
                catch (CosmosException e) when (e.IsPreconditionFailed())
                {
                    await OptimisticRetry.PauseAsync(attempt, ct);
                }
            }
        }
    }
}
