using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>Keeps the storefront listing in step with published products. Upserts are idempotent, so a retry repairs a miss.</summary>
public sealed class ProductCardProjector(CosmosDb db, CategoryStore categories)
{
    private Container Cards => db.Container(CosmosSchema.ProductCards);

    private static PartitionKey Channel => new(ProductCard.MiniProgramChannel);

    public async Task ProjectAsync(Product product, CancellationToken ct)
    {
        if (product.Status != ProductStatus.Published) { await RemoveAsync(product.Id, ct); return; }
        var card = ProductCard.From(product, await categories.ListAsync(ct));
        await Cards.UpsertItemAsync(card, Channel, cancellationToken: ct);
    }

    public async Task RemoveAsync(string productId, CancellationToken ct)
    {
        try { await Cards.DeleteItemAsync<ProductCard>(productId, Channel, cancellationToken: ct); }
        catch (CosmosException e) when (e.IsNotFound()) { }
    }

    /// <summary>
    /// After a category moved: the cards filed under it (with its old ancestors) are projected again from their products,
    /// so the listing finds them under the new ancestors. One single-partition query and a point read per product.
    /// Returns how many cards were refiled.
    /// </summary>
    public async Task<int> RefileAsync(string categoryId, CancellationToken ct)
    {
        var ids = await Cards.QueryAsync<string>(new QueryDefinition("SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.categoryIds, @id)").WithParameter("@id", categoryId),
            ProductCard.MiniProgramChannel, ct: ct);
        var all = await categories.ListAsync(ct);
        var products = db.Container(CosmosSchema.Products);
        foreach (var id in ids)
        {
            if (await products.ReadOrNullAsync<Product>(id, id, ct) is not { Value: var p }) { await RemoveAsync(id, ct); continue; }
            if (p.Status == ProductStatus.Published) await Cards.UpsertItemAsync(ProductCard.From(p, all), Channel, cancellationToken: ct);
            else await RemoveAsync(id, ct);
        }
        return ids.Count;
    }

    /// <summary>Rebuilds every card from the products (an operator's repair tool; reads across partitions).</summary>
    public async Task<int> RebuildAsync(CancellationToken ct)
    {
        var products = await db.Container(CosmosSchema.Products).QueryAsync<Product>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'product'"), null, ct: ct);
        var all = await categories.ListAsync(ct);
        foreach (var p in products)
        {
            if (p.Status == ProductStatus.Published) await Cards.UpsertItemAsync(ProductCard.From(p, all), Channel, cancellationToken: ct);
            else await RemoveAsync(p.Id, ct);
        }
        return products.Count(p => p.Status == ProductStatus.Published);
    }
}
