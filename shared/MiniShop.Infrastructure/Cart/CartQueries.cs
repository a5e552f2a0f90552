using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Cart;

/// <summary>
/// The cart as the shopper sees it: lines priced for the caller, with availability, grouped by shop with totals.
/// Costs the cart's point read, one ReadMany over its products and one ReadMany over their shops.
/// </summary>
public sealed class CartQueries(CosmosDb db, CartStore carts)
{
    public async Task<CartSummary> SummaryAsync(string memberId, string? levelId, CancellationToken ct)
        => await SummarizeAsync(await carts.GetAsync(memberId, ct), levelId, ct);

    /// <summary>Prices a cart already read (e.g. the one a change returned).</summary>
    public async Task<CartSummary> SummarizeAsync(ShoppingCart cart, string? levelId, CancellationToken ct)
    {
        var products = await ReadManyAsync<Product>(CosmosSchema.Products, cart.Lines.Select(l => l.ProductId), ct);
        var byId = products.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var shopIds = cart.Lines.Select(l => l.ShopId).Concat(products.Select(p => p.ShopId));
        var shops = await ReadManyAsync<Shop>(CosmosSchema.Shops, shopIds, ct);
        return CartSummaries.Build(cart, byId, shops.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal), levelId);
    }

    /// <summary>Documents whose partition key is their id; missing ones are simply absent.</summary>
    private async Task<IReadOnlyList<T>> ReadManyAsync<T>(string container, IEnumerable<string> ids, CancellationToken ct)
    {
        var keys = ids.Distinct(StringComparer.Ordinal).Select(id => (id, new PartitionKey(id))).ToList();
        if (keys.Count == 0) return [];
        var response = await db.Container(container).ReadManyItemsAsync<T>(keys, cancellationToken: ct);
        return response.Resource.ToList();
    }
}
