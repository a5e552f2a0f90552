using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Sync;

/// <summary>ERP sets a SKU's available stock to a counted value (reserved units are kept).</summary>
public sealed record ErpStockSnapshot(string? ShopId, string? SkuCode, long? Available);

/// <summary>ERP adds or removes available units; <see cref="Reference"/> (e.g. a goods receipt number) makes it idempotent.</summary>
public sealed record ErpStockDelta(string? ShopId, string? SkuCode, long? Delta, string? Reference);

/// <summary>Body of POST /api/webhooks/erp/stock.</summary>
public sealed record ErpStockUpdate(IReadOnlyList<ErpStockSnapshot>? Snapshots, IReadOnlyList<ErpStockDelta>? Deltas);

/// <summary>
/// The outcome of one item: <c>applied</c>, <c>unchanged</c> (snapshot equal to the current value), <c>duplicate</c>
/// (a delta whose reference was applied before), <c>invalid</c>, <c>not_found</c> (unknown SKU code), <c>forbidden</c>
/// (shop not allowed for this partner), <c>insufficient_stock</c> (a delta would go below zero) or <c>conflict</c>
/// (the SKU kept changing; send it again).
/// </summary>
public sealed record ErpStockItemResult(string Kind, int Index, string? ShopId, string? SkuCode, string Status, string? Detail = null,
    long? Available = null, string? MovementId = null);

public sealed record ErpStockUpdateResult(IReadOnlyList<ErpStockItemResult> Results);

/// <summary>
/// Applies ERP stock snapshots and deltas to the SKUs (products container), each as one transactional batch of the
/// stock change and its <see cref="StockMovement"/>, like every other stock change. SKUs are found by code through the
/// catalog-lookups container and verified against the product. Each item reports its own outcome; one bad item does
/// not stop the others. These changes come from the ERP, so no stock event is sent back to it.
/// </summary>
public sealed class ErpStockSync(CosmosDb db, CatalogLookups lookups, ProductCardProjector cards, TimeProvider time, ILogger<ErpStockSync> log)
{
    public const int MaxItems = 500;
    public const long MaxUnits = 10_000_000;
    private const int MaxAttempts = 5;

    private Container Products => db.Container(CosmosSchema.Products);

    public async Task<ErpStockUpdateResult> ApplyAsync(PartnerIdentity partner, ErpStockUpdate update, CancellationToken ct)
    {
        var snapshots = update.Snapshots ?? [];
        var deltas = update.Deltas ?? [];
        if (snapshots.Count + deltas.Count == 0) throw ValidationException.For("body", "send at least one snapshot or delta.");
        if (snapshots.Count + deltas.Count > MaxItems) throw ValidationException.For("body", $"at most {MaxItems} items per request.");

        var results = new List<ErpStockItemResult>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshots.Count; i++)
            results.Add(await SnapshotAsync(partner, i, snapshots[i], touched, ct));
        for (var i = 0; i < deltas.Count; i++)
            results.Add(await DeltaAsync(partner, i, deltas[i], touched, ct));

        foreach (var productId in touched) await RefreshCardAsync(productId, ct);
        return new ErpStockUpdateResult(results);
    }

    private async Task<ErpStockItemResult> SnapshotAsync(PartnerIdentity partner, int index, ErpStockSnapshot? item, HashSet<string> touched, CancellationToken ct)
    {
        ErpStockItemResult Result(string status, string? detail = null, long? available = null, string? movement = null)
            => new("snapshot", index, item?.ShopId, item?.SkuCode, status, detail, available, movement);

        if (item is null || string.IsNullOrWhiteSpace(item.ShopId) || string.IsNullOrWhiteSpace(item.SkuCode)) return Result("invalid", "shopId and skuCode are required.");
        if (item.Available is not { } target || target < 0 || target > MaxUnits) return Result("invalid", $"available must be a whole number from 0 to {MaxUnits}.");
        if (!partner.MayActOn(item.ShopId)) return Result("forbidden", $"Partner '{partner.PartnerId}' may not act on shop '{item.ShopId}'.");

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var found = await FindAsync(item.ShopId, item.SkuCode, ct);
            if (found is null) return Result("not_found", $"No SKU with code '{item.SkuCode}' in shop '{item.ShopId}'.");
            var (product, skuIndex) = found.Value;
            var sku = product.Skus[skuIndex];
            var before = sku.Stock.Available;
            if (before == target) return Result("unchanged", null, target);

            var movement = new StockMovement($"stk:erp-snap:{sku.Id}:{Guid.CreateVersion7():N}", product.Id, sku.Id, target - before, 0, 0,
                $"ERP stock count: {before} -> {target}", $"partner:{partner.PartnerId}", null, time.GetUtcNow());
            // The predicate re-checks the value the difference was computed from: a concurrent reservation or sale makes
            // the patch fail (412) and the snapshot is re-applied to the fresh value. Reserved units are never touched.
            var predicate = $"FROM c WHERE c.skus[{skuIndex}].id = '{Literal(sku.Id)}' AND c.skus[{skuIndex}].stock.available = {before}";
            using var response = await Products.CreateTransactionalBatch(new PartitionKey(product.Id))
                .PatchItem(product.Id, [PatchOperation.Set($"/skus/{skuIndex}/stock/available", target)], new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate })
                .CreateItem(movement)
                .ExecuteAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                touched.Add(product.Id);
                log.LogInformation("ERP {Partner} set {ShopId}/{SkuCode} available {Before} -> {After}", partner.PartnerId, item.ShopId, item.SkuCode, before, target);
                return Result("applied", null, AvailableAfter(response, 0, skuIndex) ?? target, movement.Id);
            }
            if (Failed(response) != HttpStatusCode.PreconditionFailed)
                throw new InvalidOperationException($"Stock snapshot batch failed: {response.StatusCode} {response.ErrorMessage}");
        }
        return Result("conflict", "The SKU's stock kept changing; send the snapshot again.");
    }

    private async Task<ErpStockItemResult> DeltaAsync(PartnerIdentity partner, int index, ErpStockDelta? item, HashSet<string> touched, CancellationToken ct)
    {
        ErpStockItemResult Result(string status, string? detail = null, long? available = null, string? movement = null)
            => new("delta", index, item?.ShopId, item?.SkuCode, status, detail, available, movement);

        if (item is null || string.IsNullOrWhiteSpace(item.ShopId) || string.IsNullOrWhiteSpace(item.SkuCode)) return Result("invalid", "shopId and skuCode are required.");
        if (item.Delta is not { } delta || delta == 0 || Math.Abs(delta) > MaxUnits) return Result("invalid", $"delta must be a non-zero whole number of at most {MaxUnits} units.");
        if (string.IsNullOrEmpty(item.Reference) || item.Reference.Length > 100 || !item.Reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            return Result("invalid", "reference must be 1-100 letters, digits, '-', '_', '.' or ':'.");
        if (!partner.MayActOn(item.ShopId)) return Result("forbidden", $"Partner '{partner.PartnerId}' may not act on shop '{item.ShopId}'.");

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var found = await FindAsync(item.ShopId, item.SkuCode, ct);
            if (found is null) return Result("not_found", $"No SKU with code '{item.SkuCode}' in shop '{item.ShopId}'.");
            var (product, skuIndex) = found.Value;
            var sku = product.Skus[skuIndex];
            // The movement id is the idempotency key: the same reference for the same SKU is applied once.
            var movement = new StockMovement($"stk:erp-delta:{partner.PartnerId}:{sku.Id}:{item.Reference}", product.Id, sku.Id, delta, 0, 0,
                $"ERP stock {(delta > 0 ? "receipt" : "removal")} {item.Reference}", $"partner:{partner.PartnerId}", item.Reference, time.GetUtcNow());
            var predicate = $"FROM c WHERE c.skus[{skuIndex}].id = '{Literal(sku.Id)}' AND c.skus[{skuIndex}].stock.available >= {Math.Max(0, -delta)}";
            using var response = await Products.CreateTransactionalBatch(new PartitionKey(product.Id))
                .CreateItem(movement) // first, so a repeat is recognised even when the stock would no longer allow it
                .PatchItem(product.Id, [PatchOperation.Increment($"/skus/{skuIndex}/stock/available", delta)], new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate })
                .ExecuteAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                touched.Add(product.Id);
                log.LogInformation("ERP {Partner} moved {ShopId}/{SkuCode} available by {Delta} ({Reference})", partner.PartnerId, item.ShopId, item.SkuCode, delta, item.Reference);
                return Result("applied", null, AvailableAfter(response, 1, skuIndex), movement.Id);
            }
            switch (Failed(response))
            {
                case HttpStatusCode.Conflict:
                    return Result("duplicate", $"Reference '{item.Reference}' was already applied to this SKU.", null, movement.Id);
                case HttpStatusCode.PreconditionFailed:
                    var fresh = await FindAsync(item.ShopId, item.SkuCode, ct);
                    if (fresh is { } f && f.Index == skuIndex && f.Product.Skus[skuIndex].Stock.Available < -delta)
                        return Result("insufficient_stock", $"Only {f.Product.Skus[skuIndex].Stock.Available} unit(s) are available; stock never goes below zero.",
                            f.Product.Skus[skuIndex].Stock.Available);
                    continue; // the SKU moved within the product, or stock changed meanwhile: try again
                default:
                    throw new InvalidOperationException($"Stock delta batch failed: {response.StatusCode} {response.ErrorMessage}");
            }
        }
        return Result("conflict", "The SKU's stock kept changing; send the delta again.");
    }

    /// <summary>The product and SKU index owning the code, verified against the product (a stale lookup is not found).</summary>
    private async Task<(Product Product, int Index)?> FindAsync(string shopId, string code, CancellationToken ct)
    {
        var lookup = await lookups.FindSkuCodeAsync(shopId, code, ct);
        if (lookup is null) return null;
        var product = (await Products.ReadOrNullAsync<Product>(lookup.ProductId, lookup.ProductId, ct))?.Value;
        if (product is null || product.ShopId != shopId) return null;
        for (var i = 0; i < product.Skus.Count; i++)
            if (product.Skus[i].Id == lookup.SkuId && product.Skus[i].Code.Equals(code, StringComparison.OrdinalIgnoreCase)) return (product, i);
        return null;
    }

    private async Task RefreshCardAsync(string productId, CancellationToken ct)
    {
        var product = (await Products.ReadOrNullAsync<Product>(productId, productId, ct))?.Value;
        if (product?.Status == ProductStatus.Published) await cards.ProjectAsync(product, ct);
    }

    /// <summary>The SKU's available stock in the patched product the batch returned.</summary>
    private static long? AvailableAfter(TransactionalBatchResponse response, int patchIndex, int skuIndex)
    {
        var product = response.GetOperationResultAtIndex<Product>(patchIndex).Resource;
        return product is not null && skuIndex < product.Skus.Count ? product.Skus[skuIndex].Stock.Available : null;
    }

    private static HttpStatusCode Failed(TransactionalBatchResponse response)
        => response.FirstOrDefault(r => r.StatusCode != HttpStatusCode.FailedDependency)?.StatusCode ?? response.StatusCode;

    private static string Literal(string value) => value.Replace("\\", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
}
