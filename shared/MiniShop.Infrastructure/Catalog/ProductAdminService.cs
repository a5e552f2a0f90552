using System.Net;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.Catalog;

public sealed record StockAdjustment(long? Delta, string? Reason, string? IdempotencyKey);

/// <summary>Operators' product writes: validation first, then claims, then one atomic write per product partition.</summary>
public sealed class ProductAdminService(
    CosmosDb db,
    CategoryStore categories,
    MemberLevelDirectory levels,
    ShopStore shops,
    CatalogLookups lookups,
    ProductCardProjector cards,
    TimeProvider time)
{
    private Container Products => db.Container(CosmosSchema.Products);

    public async Task<Versioned<Product>> GetAsync(string id, CancellationToken ct)
        => await Products.ReadOrNullAsync<Product>(id, id, ct) ?? throw new NotFoundException("Product", id);

    /// <param name="id">Fixed id for seeded data; otherwise a new one.</param>
    public async Task<Product> CreateAsync(ProductDraft draft, string actor, CancellationToken ct, string? id = null)
    {
        var refs = await ReferencesAsync(ct);
        var product = ProductRules.Create(id ?? Ids.New("prd"), draft, refs, NewSkuId, time.GetUtcNow());
        await RequireShopAsync(product.ShopId, ct);
        await lookups.ClaimAsync(product, LoadAsync(ct), ct);

        // The product and the opening stock of each SKU land together or not at all.
        var batch = Products.CreateTransactionalBatch(new PartitionKey(product.Id)).CreateItem(product);
        foreach (var sku in product.Skus.Where(s => s.Stock.Available > 0))
            batch.CreateItem(OpeningStock(product, sku, actor));
        using var response = await batch.ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Product batch failed: {response.StatusCode} {response.ErrorMessage}");
        return product;
    }

    public async Task<Product> UpdateAsync(string id, ProductDraft draft, long expectedVersion, CancellationToken ct)
    {
        var refs = await ReferencesAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(id, ct);
            if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
            var updated = ProductRules.Update(current.Value, draft, refs, NewSkuId, time.GetUtcNow());
            await lookups.ClaimAsync(updated, LoadAsync(ct), ct);
            // New SKUs bring opening stock: recorded in the same batch as the replace, which only wins on the ETag we read.
            var batch = Products.CreateTransactionalBatch(new PartitionKey(id))
                .ReplaceItem(id, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = current.ETag });
            foreach (var sku in updated.Skus.Where(s => current.Value.FindSku(s.Id) is null && s.Stock.Available > 0))
                batch.CreateItem(OpeningStock(updated, sku, "system"));
            using (var response = await batch.ExecuteAsync(ct))
            {
                if (response.StatusCode == HttpStatusCode.PreconditionFailed && attempt < 5)
                    continue; // Stock moved under us (not the content): merge again onto the fresh document.
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Product batch failed: {response.StatusCode} {response.ErrorMessage}");
            }
            await lookups.ReleaseUnusedAsync(current.Value, updated, ct);
            if (updated.Status == ProductStatus.Published) await cards.ProjectAsync(updated, ct);
            return updated;
        }
    }

    public Task<Product> PublishAsync(string id, long? expectedVersion, CancellationToken ct)
        => ChangeStatusAsync(id, expectedVersion, ProductStatus.Published, ct);

    public Task<Product> UnpublishAsync(string id, long? expectedVersion, CancellationToken ct)
        => ChangeStatusAsync(id, expectedVersion, ProductStatus.Unpublished, ct);

    private async Task<Product> ChangeStatusAsync(string id, long? expectedVersion, ProductStatus status, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(id, ct);
            if (expectedVersion is { } v && current.Value.Version != v) throw new PreconditionFailedException();
            var p = current.Value;
            if (status == ProductStatus.Published)
            {
                var shop = await RequireShopAsync(p.ShopId, ct);
                if (shop.Status != ShopStatus.Active) throw new BusinessRuleException("shop_suspended", "The shop is suspended; its products cannot be published.");
                if (!p.Skus.Any(s => s.Enabled)) throw new BusinessRuleException("no_enabled_sku", "Enable at least one SKU before publishing.");
                if (!p.Media.Any(m => m.Kind == MediaKind.Image)) throw new BusinessRuleException("no_image", "Add at least one image before publishing.");
            }
            var now = time.GetUtcNow();
            var updated = p with
            {
                Status = status, Version = p.Version + 1, UpdatedAt = now,
                PublishedAt = status == ProductStatus.Published ? p.PublishedAt ?? now : p.PublishedAt,
            };
            try
            {
                await Products.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
            }
            catch (CosmosException e) when (e.IsPreconditionFailed() && attempt < 5)
            {
                continue;
            }
            if (status == ProductStatus.Published) await cards.ProjectAsync(updated, ct);
            else await cards.RemoveAsync(id, ct);
            return updated;
        }
    }

    /// <summary>Moves available stock up or down with an audit record in the same batch; the key makes a retry a no-op.</summary>
    public async Task<Product> AdjustStockAsync(string productId, string skuId, StockAdjustment request, string actor, CancellationToken ct)
    {
        var v = new Validator();
        v.Check(request.Delta is { } d && d != 0 && Math.Abs(d) <= 10_000_000, "delta", "must be a non-zero whole number of units.");
        v.Required(request.Reason, "reason", 200);
        v.Check(request.IdempotencyKey is null || (request.IdempotencyKey.Length is > 0 and <= 100 && request.IdempotencyKey.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')),
            "idempotencyKey", "must be 1-100 letters, digits, '-' or '_'.");
        v.ThrowIfInvalid();

        var product = (await GetAsync(productId, ct)).Value;
        var index = product.Skus.ToList().FindIndex(s => s.Id == skuId);
        if (index < 0) throw new NotFoundException("SKU", skuId);
        var delta = request.Delta!.Value;
        var movement = new StockMovement($"stk:adj:{request.IdempotencyKey ?? Ids.New("adj")}", productId, skuId, delta, 0, 0, request.Reason!.Trim(), actor, null, time.GetUtcNow());

        // The predicate re-checks the SKU's position and that stock cannot go below zero, atomically with the increment.
        var predicate = $"FROM c WHERE c.skus[{index}].id = '{skuId}' AND c.skus[{index}].stock.available >= {Math.Max(0, -delta)}";
        using var response = await Products.CreateTransactionalBatch(new PartitionKey(productId))
            .PatchItem(productId, [PatchOperation.Increment($"/skus/{index}/stock/available", delta)], new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate })
            .CreateItem(movement)
            .CreateItem(OutboxEvent.ForStock(OutboxEventTypes.StockAdjusted, new StockEventPayload(product.ShopId, productId, skuId, product.Skus[index].Code,
                delta, 0, 0, movement.Reason, null, movement.Id, movement.At)))
            .ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var failed = response.FirstOrDefault(r => r.StatusCode is not HttpStatusCode.FailedDependency)?.StatusCode;
            if (failed == HttpStatusCode.Conflict) return (await GetAsync(productId, ct)).Value; // already applied
            if (failed == HttpStatusCode.PreconditionFailed)
                throw new BusinessRuleException("insufficient_stock", $"Only {product.Skus[index].Stock.Available} unit(s) are available to remove.");
            throw new InvalidOperationException($"Stock batch failed: {response.StatusCode} {response.ErrorMessage}");
        }
        var updated = (await GetAsync(productId, ct)).Value;
        if (updated.Status == ProductStatus.Published) await cards.ProjectAsync(updated, ct);
        return updated;
    }

    public async Task<(IReadOnlyList<Product> Items, string? Next)> ListForShopAsync(string shopId, ProductStatus? status, string? after, int take, CancellationToken ct)
    {
        var sql = "SELECT * FROM c WHERE c.type = 'product' AND c.shopId = @shop"
                  + (status is null ? "" : " AND c.status = @status")
                  + (after is null ? "" : " AND c.id > @after")
                  + $" ORDER BY c.id OFFSET 0 LIMIT {take + 1}";
        var query = new QueryDefinition(sql).WithParameter("@shop", shopId)
            .WithParameter("@status", status?.ToString().ToLowerInvariant()).WithParameter("@after", after);
        var items = await Products.QueryAsync<Product>(query, null, ct: ct);
        var page = items.Take(take).ToList();
        return (page, items.Count > take ? page[^1].Id : null);
    }

    private static StockMovement OpeningStock(Product product, Sku sku, string actor)
        => new($"stk:open:{sku.Id}", product.Id, sku.Id, sku.Stock.Available, 0, 0, "opening stock", actor, null, product.UpdatedAt);

    private async Task<Shop> RequireShopAsync(string shopId, CancellationToken ct)
        => await shops.FindAsync(shopId, ct) ?? throw ValidationException.For("shopId", $"'{shopId}' is not a known shop.");

    private async Task<CatalogReferences> ReferencesAsync(CancellationToken ct)
        => new((await categories.ListAsync(ct)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal),
            (await levels.AllAsync(ct)).Select(l => l.Id).ToHashSet(StringComparer.Ordinal));

    private Func<string, Task<Product?>> LoadAsync(CancellationToken ct)
        => async id => (await Products.ReadOrNullAsync<Product>(id, id, ct))?.Value;

    private static string NewSkuId() => Ids.New("sku");
}
