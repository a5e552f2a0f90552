using System.Net;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Cart;

/// <summary>
/// The member's cart document. Every change reads it, applies <see cref="CartRules"/> and replaces it with the ETag it
/// read (creates it the first time); a writer that lost the race reads again and re-applies its change, so concurrent
/// adds from several devices all land.
/// </summary>
public sealed class CartStore(CosmosDb db, TimeProvider time)
{
    private Container Members => db.Container(CosmosSchema.Members);
    private Container Products => db.Container(CosmosSchema.Products);

    /// <summary>The member's cart (empty when there is none yet): the stored lines, not priced.</summary>
    public async Task<ShoppingCart> GetAsync(string memberId, CancellationToken ct)
        => ToCart(memberId, (await ReadAsync(memberId, ct))?.Value);

    /// <summary>Adds a published product's enabled SKU, or more of it to its existing line.</summary>
    public async Task<ShoppingCart> AddAsync(string memberId, string? levelId, AddCartItemRequest? request, CancellationToken ct)
    {
        var (productId, skuId, quantity) = CartRules.ValidateAdd(request);
        var product = CartRules.IsPlausibleId(productId) ? await ReadProductAsync(productId, ct) : null;
        var sku = CartRules.RequireBuyable(product, productId, skuId);
        return await ChangeAsync(memberId, lines => CartRules.Add(lines, product!, sku, quantity, levelId, time.GetUtcNow(), () => Ids.New("line")).Lines, ct);
    }

    /// <summary>Changes a line's quantity (within the SKU's limit; the reference price follows) and/or its selection.</summary>
    public async Task<ShoppingCart> UpdateLineAsync(string memberId, string? levelId, string lineId, UpdateCartItemRequest? request, CancellationToken ct)
    {
        CartRules.ValidateUpdate(request);
        Sku? sku = null;
        if (request!.Quantity is not null)
        {
            var line = (await GetAsync(memberId, ct)).FindLine(lineId) ?? throw new NotFoundException("Cart line", lineId);
            sku = (await ReadProductAsync(line.ProductId, ct))?.FindSku(line.SkuId);
        }
        return await ChangeAsync(memberId, lines => CartRules.Update(lines, lineId, request, sku, levelId), ct);
    }

    /// <summary>Selects or unselects every line, or every line of one shop.</summary>
    public async Task<ShoppingCart> SelectAsync(string memberId, SelectCartItemsRequest? request, CancellationToken ct)
    {
        var (selected, shopId) = CartRules.ValidateSelect(request);
        return await ChangeAsync(memberId, lines => CartRules.Select(lines, selected, shopId), ct);
    }

    /// <summary>Removes these lines; ids not in the cart are ignored, so a retry is harmless.</summary>
    public async Task<ShoppingCart> RemoveLinesAsync(string memberId, IEnumerable<string> lineIds, CancellationToken ct)
    {
        var remove = lineIds.ToHashSet(StringComparer.Ordinal);
        return await ChangeAsync(memberId, lines => lines.Where(l => !remove.Contains(l.LineId)).ToList(), ct);
    }

    /// <summary>Removes the selected lines.</summary>
    public Task<ShoppingCart> RemoveSelectedAsync(string memberId, CancellationToken ct)
        => ChangeAsync(memberId, lines => lines.Where(l => !l.Selected).ToList(), ct);

    /// <summary>
    /// Read, change, write with the ETag; retried on a lost race. <paramref name="change"/> may run more than once and
    /// may throw (nothing is written then); returning the same lines writes nothing.
    /// </summary>
    private async Task<ShoppingCart> ChangeAsync(string memberId, Func<IReadOnlyList<CartItem>, IReadOnlyList<CartItem>> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < OptimisticRetry.MaxAttempts; attempt++)
        {
            var current = await ReadAsync(memberId, ct);
            var lines = current?.Value.Lines ?? [];
            var changed = change(lines);
            if (ReferenceEquals(changed, lines) || changed.SequenceEqual(lines)) return ToCart(memberId, current?.Value);

            var next = new CartDocument(memberId, changed, (current?.Value.Version ?? 0) + 1, time.GetUtcNow());
            try
            {
                if (current is null)
                    await Members.CreateItemAsync(next, new PartitionKey(memberId), cancellationToken: ct);
                else
                    await Members.ReplaceItemAsync(next, CartDocument.DocumentId, new PartitionKey(memberId), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
                return ToCart(memberId, next);
            }
            catch (CosmosException e) when (OptimisticRetry.IsLostRace(e) || e.StatusCode == HttpStatusCode.NotFound)
            {
                await OptimisticRetry.PauseAsync(attempt, ct);
            }
        }
        throw new ConflictException("cart_busy", "The cart is being changed by another request; try again.");
    }

    private Task<Versioned<CartDocument>?> ReadAsync(string memberId, CancellationToken ct)
        => Members.ReadOrNullAsync<CartDocument>(CartDocument.DocumentId, memberId, ct);

    private async Task<Product?> ReadProductAsync(string productId, CancellationToken ct)
        => (await Products.ReadOrNullAsync<Product>(productId, productId, ct))?.Value;

    private static ShoppingCart ToCart(string memberId, CartDocument? doc)
        => doc is null ? ShoppingCart.Empty(memberId) : new ShoppingCart(memberId, doc.Lines, doc.Version, doc.UpdatedAt);
}
