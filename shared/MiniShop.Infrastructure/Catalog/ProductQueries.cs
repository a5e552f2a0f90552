using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

public enum ProductSort { Newest, Price, PriceDesc, Sales }

public sealed record ProductListQuery(string? Category, string? Tag, string? Q, string? ShopId, ProductSort Sort, string? Cursor, int Take);

public sealed record ProductListPage(IReadOnlyList<ProductCard> Items, string? NextCursor);

/// <summary>
/// The shopper's read side. Listing is one single-partition query on the cards ordered by a composite index, paged with a
/// keyset cursor (sort value + id), so page N costs the same as page 1 and works on any Cosmos endpoint.
/// </summary>
public sealed class ProductQueries(CosmosDb db)
{
    public const int MaxTake = 50;

    private sealed record CursorState(ProductSort S, long V, string I, string F);

    /// <summary>A published product by id: one point read. Unpublished or unknown products are 404 to shoppers.</summary>
    public async Task<Product> GetPublishedAsync(string id, CancellationToken ct)
    {
        var product = await db.Container(CosmosSchema.Products).ReadOrNullAsync<Product>(id, id, ct);
        return product?.Value is { Status: ProductStatus.Published } p ? p : throw new NotFoundException("Product", id);
    }

    public async Task<ProductListPage> ListAsync(ProductListQuery q, CancellationToken ct)
    {
        var v = new Validator();
        v.Check(q.Take is > 0 and <= MaxTake, "take", $"must be between 1 and {MaxTake}.");
        v.Optional(q.Q, "q", 50).Optional(q.Category, "category", 64).Optional(q.Tag, "tag", 20).Optional(q.ShopId, "shopId", 64);
        v.ThrowIfInvalid();

        var filterKey = $"{q.Category}|{q.Tag}|{q.Q?.Trim().ToLowerInvariant()}|{q.ShopId}|{q.Sort}";
        var cursor = q.Cursor is null ? null : DecodeCursor(q.Cursor, filterKey);
        var (field, descending) = q.Sort switch
        {
            ProductSort.Price => ("minPriceFen", false),
            ProductSort.PriceDesc => ("minPriceFen", true),
            ProductSort.Sales => ("sales", true),
            _ => ("publishedAt", true),
        };

        var sql = new StringBuilder("SELECT * FROM c WHERE c.channel = @channel");
        var query = new Dictionary<string, object>();
        if (q.Category is not null) { sql.Append(" AND ARRAY_CONTAINS(c.categoryIds, @category)"); query["@category"] = q.Category; }
        if (q.Tag is not null) { sql.Append(" AND ARRAY_CONTAINS(c.tags, @tag)"); query["@tag"] = q.Tag; }
        if (!string.IsNullOrWhiteSpace(q.Q)) { sql.Append(" AND CONTAINS(c.searchText, @q)"); query["@q"] = q.Q.Trim().ToLowerInvariant(); }
        if (q.ShopId is not null) { sql.Append(" AND c.shopId = @shop"); query["@shop"] = q.ShopId; }
        if (cursor is not null)
        {
            var op = descending ? "<" : ">";
            sql.Append($" AND (c.{field} {op} @cv OR (c.{field} = @cv AND c.id {op} @ci))");
            query["@cv"] = cursor.V;
            query["@ci"] = cursor.I;
        }
        var dir = descending ? "DESC" : "ASC";
        sql.Append($" ORDER BY c.{field} {dir}, c.id {dir} OFFSET 0 LIMIT {q.Take + 1}");

        var definition = new QueryDefinition(sql.ToString()).WithParameter("@channel", ProductCard.MiniProgramChannel);
        foreach (var (name, value) in query) definition = definition.WithParameter(name, value);
        var rows = await db.Container(CosmosSchema.ProductCards).QueryAsync<ProductCard>(definition, ProductCard.MiniProgramChannel, ct: ct);

        var items = rows.Take(q.Take).ToList();
        string? next = null;
        if (rows.Count > q.Take)
        {
            var last = items[^1];
            var value = q.Sort switch { ProductSort.Price or ProductSort.PriceDesc => last.MinPriceFen, ProductSort.Sales => last.Sales, _ => last.PublishedAt };
            next = EncodeCursor(new CursorState(q.Sort, value, last.Id, filterKey));
        }
        return new ProductListPage(items, next);
    }

    private static string EncodeCursor(CursorState state) => Ids.Base64Url(JsonSerializer.SerializeToUtf8Bytes(state));

    private static CursorState DecodeCursor(string cursor, string filterKey)
    {
        CursorState? state = null;
        try { state = JsonSerializer.Deserialize<CursorState>(Ids.FromBase64Url(cursor)); }
        catch (Exception e) when (e is FormatException or JsonException) { }
        if (state is null || state.I is null) throw ValidationException.For("cursor", "is not a cursor this API returned.");
        if (state.F != filterKey) throw ValidationException.For("cursor", "belongs to a different filter or sort; start again without a cursor.");
        return state;
    }
}
