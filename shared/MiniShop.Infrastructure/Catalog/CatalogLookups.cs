using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>"barcode:{code}" or "skucode:{shopId}:{code}" -> the SKU that owns it.</summary>
public sealed record CatalogLookup(string Id, string ProductId, string SkuId, string ShopId);

/// <summary>
/// Keeps barcodes unique across the catalog and SKU codes unique within a shop. A claim is written before the product;
/// a claim left behind by a failed write is recognised (its product no longer has the code) and taken over.
/// </summary>
public sealed class CatalogLookups(CosmosDb db)
{
    private Container Lookups => db.Container(CosmosSchema.CatalogLookups);

    public static string BarcodeId(string barcode) => $"barcode:{barcode}";

    public static string SkuCodeId(string shopId, string code) => $"skucode:{shopId}:{code.ToUpperInvariant()}";

    public async Task<CatalogLookup?> FindBarcodeAsync(string barcode, CancellationToken ct)
        => (await Lookups.ReadOrNullAsync<CatalogLookup>(BarcodeId(barcode), BarcodeId(barcode), ct))?.Value;

    /// <summary>The SKU that owns a shop's SKU code (ERP/WMS address SKUs by code). Verify it against the product.</summary>
    public async Task<CatalogLookup?> FindSkuCodeAsync(string shopId, string code, CancellationToken ct)
        => (await Lookups.ReadOrNullAsync<CatalogLookup>(SkuCodeId(shopId, code), SkuCodeId(shopId, code), ct))?.Value;

    /// <summary>Claims every code of the product, or throws a 400 naming each code another product owns.</summary>
    public async Task ClaimAsync(Product product, Func<string, Task<Product?>> loadProduct, CancellationToken ct)
    {
        var v = new Validator();
        for (var i = 0; i < product.Skus.Count; i++)
        {
            var sku = product.Skus[i];
            await ClaimOneAsync(SkuCodeId(product.ShopId, sku.Code), product, sku, $"skus[{i}].code", s => s.Code.Equals(sku.Code, StringComparison.OrdinalIgnoreCase), loadProduct, v, ct);
            if (sku.Barcode is { } barcode)
                await ClaimOneAsync(BarcodeId(barcode), product, sku, $"skus[{i}].barcode", s => s.Barcode == barcode, loadProduct, v, ct);
        }
        v.ThrowIfInvalid();
    }

    /// <summary>Frees codes the product no longer uses (best effort: a leftover claim is reclaimable anyway).</summary>
    public async Task ReleaseUnusedAsync(Product before, Product after, CancellationToken ct)
    {
        var kept = after.Skus.SelectMany(Keys(after.ShopId)).ToHashSet();
        foreach (var id in before.Skus.SelectMany(Keys(before.ShopId)).Where(k => !kept.Contains(k)))
        {
            try { await Lookups.DeleteItemAsync<CatalogLookup>(id, new PartitionKey(id), cancellationToken: ct); }
            catch (CosmosException e) when (e.IsNotFound()) { }
        }
    }

    private static Func<Sku, IEnumerable<string>> Keys(string shopId)
        => s => s.Barcode is null ? [SkuCodeId(shopId, s.Code)] : [SkuCodeId(shopId, s.Code), BarcodeId(s.Barcode)];

    private async Task ClaimOneAsync(string id, Product product, Sku sku, string field, Func<Sku, bool> owns, Func<string, Task<Product?>> loadProduct, Validator v, CancellationToken ct)
    {
        var claim = new CatalogLookup(id, product.Id, sku.Id, product.ShopId);
        if (await Lookups.TryCreateAsync(claim, id, ct)) return;

        var existing = await Lookups.ReadOrNullAsync<CatalogLookup>(id, id, ct);
        if (existing is null) { await Lookups.UpsertItemAsync(claim, new PartitionKey(id), cancellationToken: ct); return; }
        if (existing.Value.ProductId == product.Id)
        {
            if (existing.Value.SkuId != sku.Id) await Replace(claim, existing.ETag, ct);
            return;
        }
        var owner = await loadProduct(existing.Value.ProductId);
        if (owner is not null && owner.Skus.Any(owns))
        {
            v.Add(field, $"is already used by product '{owner.Id}'.");
            return;
        }
        await Replace(claim, existing.ETag, ct); // stale claim from a write that never completed
    }

    private async Task Replace(CatalogLookup claim, string etag, CancellationToken ct)
    {
        try
        {
            await Lookups.ReplaceItemAsync(claim, claim.Id, new PartitionKey(claim.Id), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new ConflictException("code_contended", $"'{claim.Id}' is being claimed concurrently; retry.");
        }
    }
}
