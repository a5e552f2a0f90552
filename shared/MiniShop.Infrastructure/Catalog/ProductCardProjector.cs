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
        await ProjectAsync(product, await categories.ListAsync(ct), ct);
    }

    /// <summary>A published product's card, filed under the given tree; any other product has none.</summary>
    private async Task ProjectAsync(Product product, IReadOnlyList<Category> tree, CancellationToken ct)
    {
        if (product.Status == ProductStatus.Published) await Cards.UpsertItemAsync(ProductCard.From(product, tree), Channel, cancellationToken: ct);
        else await RemoveAsync(product.Id, ct);
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
            if (await products.ReadOrNullAsync<Product>(id, id, ct) is { Value: var p }) await ProjectAsync(p, all, ct);
            else await RemoveAsync(id, ct);
        }
        return ids.Count;
    }

    /// <summary>Rebuilds every card from the products (an operator's repair tool; reads across partitions).</summary>
    public async Task<int> RebuildAsync(CancellationToken ct)
    {
        var products = await db.Container(CosmosSchema.Products).QueryAsync<Product>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'product'"), null, ct: ct);
        var all = await categories.ListAsync(ct);
        foreach (var p in products) await ProjectAsync(p, all, ct);
        return products.Count(p => p.Status == ProductStatus.Published);
    }
}
