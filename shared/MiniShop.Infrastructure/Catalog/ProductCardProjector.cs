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
