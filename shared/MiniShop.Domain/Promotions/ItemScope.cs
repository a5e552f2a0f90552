namespace MiniShop.Domain.Promotions;

public enum ScopeKind
{
    All,
    Shops,
    Categories,
    Spus,
    Skus,
}

/// <summary>Which cart lines a promotion or coupon covers (on top of its owner: a shop item never covers another shop).</summary>
public sealed record ItemScope(ScopeKind Kind, IReadOnlyList<string> Ids)
{
    public static ItemScope All { get; } = new(ScopeKind.All, []);

    public static ItemScope ForShops(params string[] shopIds) => new(ScopeKind.Shops, shopIds);

    public static ItemScope ForCategories(params string[] categoryIds) => new(ScopeKind.Categories, categoryIds);

    public static ItemScope ForSpus(params string[] spuIds) => new(ScopeKind.Spus, spuIds);

    public static ItemScope ForSkus(params string[] skuIds) => new(ScopeKind.Skus, skuIds);

    public bool Covers(CartLine line) => Kind switch
    {
        ScopeKind.All => true,
        ScopeKind.Shops => Contains(line.ShopId),
        ScopeKind.Categories => line.CategoryIds.Any(Contains),
        ScopeKind.Spus => Contains(line.SpuId),
        ScopeKind.Skus => Contains(line.SkuId),
        _ => false,
    };

    private bool Contains(string id)
    {
        foreach (var candidate in Ids)
        {
            if (string.Equals(candidate, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Validity window: valid when <c>ValidFrom &lt;= now &lt; ValidUntil</c>.</summary>
public sealed record ValidityWindow(DateTimeOffset ValidFrom, DateTimeOffset ValidUntil)
{
    public static ValidityWindow Always { get; } = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    public bool Contains(DateTimeOffset now) => ValidFrom <= now && now < ValidUntil;
}
