namespace MiniShop.Domain.Catalog;

/// <summary>Display prices of a SKU for a shopper. Checkout prices come from the promotion engine, which starts from the same rules.</summary>
public static class SkuPricing
{
    /// <summary>The member's level price when the SKU has one for that level.</summary>
    public static long? MemberPrice(Sku sku, string? levelId)
        => levelId is not null && sku.MemberPricesFen.TryGetValue(levelId, out var p) ? p : null;

    /// <summary>The lowest of list, member and reached tier price for a quantity.</summary>
    public static long UnitPrice(Sku sku, string? levelId, int quantity)
    {
        var price = sku.ListPriceFen;
        if (MemberPrice(sku, levelId) is { } member) price = Math.Min(price, member);
        foreach (var tier in sku.TierPrices)
            if (quantity >= tier.MinQuantity) price = Math.Min(price, tier.PriceFen);
        return price;
    }
}
