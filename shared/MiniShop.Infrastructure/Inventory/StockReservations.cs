using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.Inventory;

/// <summary>
/// Holds, releases and sells stock for orders without ever overselling. Each product's lines change in one
/// transactional batch in the product's partition: the reservation document, a conditional patch of the SKU's stock
/// (available only decreases when enough is there), a stock movement for the audit trail and its stock event for the
/// ERP (outbox, <see cref="OutboxEvent.ForStock"/>). Retries are harmless:
/// a reservation that exists is not taken twice, one that is settled is not settled twice.
/// </summary>
public sealed class StockReservations(CosmosDb db, TimeProvider time, ILogger<StockReservations> log)
{
    private Container Products => db.Container(CosmosSchema.Products);

    /// <summary>Reserves every line or nothing: a failure part-way releases what this call reserved, then throws 409.</summary>
    public async Task ReserveAsync(string orderId, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        var done = new List<IGrouping<string, StockRequest>>();
        foreach (var product in lines.GroupBy(l => l.ProductId))
        {
            try
            {
                await ReserveProductAsync(orderId, product.Key, product.ToList(), ct);
                done.Add(product);
            }
            catch
            {
                foreach (var reserved in done)
                    await SettleAsync(orderId, reserved.Key, reserved.Select(l => l.SkuId).ToList(), ReservationStatus.Released, "reservation rolled back", ct);
                throw;
            }
        }
    }

    /// <summary>Returns held units to available stock (order cancelled or unpaid). Idempotent.</summary>
    public Task ReleaseAsync(string orderId, IReadOnlyList<StockRequest> lines, string reason, CancellationToken ct)
        => SettleAllAsync(orderId, lines, ReservationStatus.Released, reason, ct);

    /// <summary>Turns held units into sold ones (order paid). Idempotent.</summary>
    public Task CommitAsync(string orderId, IReadOnlyList<StockRequest> lines, CancellationToken ct)
        => SettleAllAsync(orderId, lines, ReservationStatus.Sold, "order paid", ct);

    /// <summary>Puts sold units back on sale (goods returned after a refund). Idempotent.</summary>
    public Task ReturnAsync(string orderId, IReadOnlyList<StockRequest> lines, string reason, CancellationToken ct)
        => SettleAllAsync(orderId, lines, ReservationStatus.Returned, reason, ct);

    /// <summary>
    /// Puts some sold units back on sale (a partial refund's goods came back, or were never shipped). Idempotent by
    /// <paramref name="reference"/>: the movement id is fixed, so a second call fails on it and changes nothing.
    /// </summary>
    /// <param name="soldFromProduct">False for units sold from a campaign's own pool (a flash sale): the product never counted
    /// them as sold, so they come back as available only (the movement says so, and the invariant holds).</param>
    public async Task ReturnUnitsAsync(string reference, IReadOnlyList<StockRequest> lines, string reason, CancellationToken ct, bool soldFromProduct = true)
    {
        foreach (var line in lines.Where(l => l.Quantity > 0))
        {
            var product = (await Products.ReadOrNullAsync<Product>(line.ProductId, line.ProductId, ct))?.Value;
            if (product?.FindSku(line.SkuId) is null) continue; // product or SKU deleted: nothing to put back on sale
            var index = IndexOf(product, line.SkuId);
            var now = time.GetUtcNow();
            var sold = soldFromProduct ? line.Quantity : 0;
            var movement = Movement(reference, line.ProductId, line.SkuId, "return", line.Quantity, 0, -sold, reason, now);
            using var response = await Products.CreateTransactionalBatch(new PartitionKey(line.ProductId))
                .CreateItem(movement)
                .PatchItem(line.ProductId, [PatchOperation.Increment($"/skus/{index}/stock/available", line.Quantity), PatchOperation.Increment($"/skus/{index}/stock/sold", -sold)],
                    new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.skus[{index}].id = '{Literal(line.SkuId)}' AND c.skus[{index}].stock.sold >= {sold}" })
                .CreateItem(StockEvent(OutboxEventTypes.StockReturned, product, movement))
                .ExecuteAsync(ct);
            if (!response.IsSuccessStatusCode && response[0].StatusCode != HttpStatusCode.Conflict)
                log.LogWarning("Returning {Quantity} of {SkuId} for {Reference} failed: {Status}", line.Quantity, line.SkuId, reference, response.StatusCode);
        }
    }

    private async Task SettleAllAsync(string orderId, IReadOnlyList<StockRequest> lines, ReservationStatus to, string reason, CancellationToken ct)
    {
        foreach (var product in lines.GroupBy(l => l.ProductId))
            await SettleAsync(orderId, product.Key, product.Select(l => l.SkuId).ToList(), to, reason, ct);
    }

    private async Task ReserveProductAsync(string orderId, string productId, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        var product = await Products.ReadOrNullAsync<Product>(productId, productId, ct) ?? throw new NotFoundException("Product", productId);
        var now = time.GetUtcNow();
        var batch = Products.CreateTransactionalBatch(new PartitionKey(productId));
        var predicates = new List<string>();
        var patches = new List<PatchOperation>();
        foreach (var line in lines)
        {
            var index = IndexOf(product.Value, line.SkuId);
            batch.CreateItem(new StockReservation(StockReservation.IdFor(orderId, line.SkuId), productId, line.SkuId, orderId, line.Quantity, ReservationStatus.Reserved, now));
            var movement = Movement(orderId, productId, line.SkuId, "reserve", -line.Quantity, line.Quantity, 0, $"reserved for order {orderId}", now);
            batch.CreateItem(movement);
            batch.CreateItem(StockEvent(OutboxEventTypes.StockReserved, product.Value, movement));
            patches.Add(PatchOperation.Increment($"/skus/{index}/stock/available", -line.Quantity));
            patches.Add(PatchOperation.Increment($"/skus/{index}/stock/reserved", line.Quantity));
            predicates.Add($"c.skus[{index}].id = '{Literal(line.SkuId)}' AND c.skus[{index}].stock.available >= {line.Quantity}");
        }
        batch.PatchItem(productId, patches, new TransactionalBatchPatchItemRequestOptions { FilterPredicate = "FROM c WHERE " + string.Join(" AND ", predicates) });

        using var response = await batch.ExecuteAsync(ct);
        if (response.IsSuccessStatusCode) return;
        var failed = response.FirstOrDefault(r => r.StatusCode != HttpStatusCode.FailedDependency)?.StatusCode ?? response.StatusCode;
        if (failed == HttpStatusCode.Conflict && await AlreadyReservedAsync(orderId, productId, lines, ct)) return; // a retry of this very order
        if (failed == HttpStatusCode.PreconditionFailed)
        {
            var fresh = (await Products.ReadOrNullAsync<Product>(productId, productId, ct))!.Value;
            var shortOf = lines.First(l => (fresh.FindSku(l.SkuId)?.Stock.Available ?? 0) < l.Quantity);
            throw new ConflictException("insufficient_stock",
                $"Only {fresh.FindSku(shortOf.SkuId)?.Stock.Available ?? 0} unit(s) of SKU '{shortOf.SkuId}' are left.")
            {
                Extensions = new Dictionary<string, object?> { ["skuId"] = shortOf.SkuId, ["available"] = fresh.FindSku(shortOf.SkuId)?.Stock.Available ?? 0 },
            };
        }
        throw new InvalidOperationException($"Stock reservation batch failed: {response.StatusCode} {response.ErrorMessage}");
    }

    private async Task<bool> AlreadyReservedAsync(string orderId, string productId, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        foreach (var line in lines)
        {
            var existing = await Products.ReadOrNullAsync<StockReservation>(StockReservation.IdFor(orderId, line.SkuId), productId, ct);
            if (existing is null) return false;
        }
        return true;
    }

    private async Task SettleAsync(string orderId, string productId, IReadOnlyList<string> skuIds, ReservationStatus to, string reason, CancellationToken ct)
    {
        foreach (var skuId in skuIds)
        {
            var id = StockReservation.IdFor(orderId, skuId);
            var reservation = await Products.ReadOrNullAsync<StockReservation>(id, productId, ct);
            if (reservation is null) continue; // never reserved (e.g. rolled back before it was): nothing to give back
            var from = to == ReservationStatus.Returned ? ReservationStatus.Sold : ReservationStatus.Reserved;
            if (reservation.Value.Status != from) continue; // already settled: idempotent

            var product = (await Products.ReadOrNullAsync<Product>(productId, productId, ct))!.Value;
            var index = IndexOf(product, skuId);
            var q = reservation.Value.Quantity;
            var (available, reserved, sold, predicate) = to switch
            {
                ReservationStatus.Released => (q, -q, 0L, $"c.skus[{index}].stock.reserved >= {q}"),
                ReservationStatus.Sold => (0L, -q, q, $"c.skus[{index}].stock.reserved >= {q}"),
                _ => (q, 0L, -q, $"c.skus[{index}].stock.sold >= {q}"),
            };
            var now = time.GetUtcNow();
            var movement = Movement(orderId, productId, skuId, Camel(to), available, reserved, sold, reason, now);
            using var response = await Products.CreateTransactionalBatch(new PartitionKey(productId))
                .PatchItem(id, [PatchOperation.Set("/status", to), PatchOperation.Set("/settledAt", now)],
                    new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.status = '{Camel(from)}'" })
                .PatchItem(productId,
                    [
                        PatchOperation.Increment($"/skus/{index}/stock/available", available),
                        PatchOperation.Increment($"/skus/{index}/stock/reserved", reserved),
                        PatchOperation.Increment($"/skus/{index}/stock/sold", sold),
                    ],
                    new TransactionalBatchPatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.skus[{index}].id = '{Literal(skuId)}' AND {predicate}" })
                .CreateItem(movement)
                .CreateItem(StockEvent(to switch
                {
                    ReservationStatus.Released => OutboxEventTypes.StockReleased,
                    ReservationStatus.Sold => OutboxEventTypes.StockSold,
                    _ => OutboxEventTypes.StockReturned,
                }, product, movement))
                .ExecuteAsync(ct);
            if (!response.IsSuccessStatusCode)
                log.LogInformation("Settling {ReservationId} as {Status} found it already settled ({Code})", id, to, response.StatusCode);
        }
    }

    private static StockMovement Movement(string orderId, string productId, string skuId, string action, long available, long reserved, long sold, string reason, DateTimeOffset at)
        => new($"stk:{action}:{orderId}:{skuId}", productId, skuId, available, reserved, sold, reason, "system", orderId, at);

    /// <summary>The ERP's copy of the movement, written in the same batch (outbox; the relay publishes it).</summary>
    private static OutboxEvent StockEvent(string eventType, Product product, StockMovement m)
        => OutboxEvent.ForStock(eventType, new StockEventPayload(product.ShopId, product.Id, m.SkuId, product.FindSku(m.SkuId)?.Code ?? "",
            m.AvailableDelta, m.ReservedDelta, m.SoldDelta, m.Reason, m.Reference, m.Id, m.At));

    private static int IndexOf(Product product, string skuId)
    {
        for (var i = 0; i < product.Skus.Count; i++)
            if (product.Skus[i].Id == skuId) return i;
        throw new NotFoundException("SKU", skuId);
    }

    private static string Camel(ReservationStatus s) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(s.ToString());

    // Ids are ours (letters, digits, '_', '-'), but never let one break out of the predicate's string literal.
    private static string Literal(string value) => value.Replace("\\", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
}
