using MiniShop.Domain.Catalog;

namespace MiniShop.Domain.Cart;

/// <summary>Whether a line can be bought now. Only <see cref="Available"/> lines count towards totals.</summary>
public enum CartLineAvailability
{
    Available,

    /// <summary>Fewer units in stock than the line's quantity (<see cref="CartLineSummary.StockLeft"/> says how many).</summary>
    InsufficientStock,

    /// <summary>The SKU is disabled.</summary>
    Disabled,

    /// <summary>The product is not published any more.</summary>
    Unpublished,

    /// <summary>The product or the SKU no longer exists.</summary>
    Removed,
}

/// <summary>
/// A line as the shopper sees it now: current title, options and cover, the caller's current unit price against the
/// price when added, availability, and whether the quantity is above the SKU's per-order limit.
/// <see cref="Purchasable"/> = available and within the limit; only selected purchasable lines count towards totals.
/// </summary>
public sealed record CartLineSummary(
    string LineId,
    string ProductId,
    string SkuId,
    string ShopId,
    string? Title,
    IReadOnlyList<string> SpecValues,
    string? CoverUrl,
    int Quantity,
    bool Selected,
    long? UnitPriceFen,
    long AddedPriceFen,
    bool PriceChanged,
    long? PriceDeltaFen,
    long? LineTotalFen,
    CartLineAvailability Availability,
    long? StockLeft,
    int MaxQuantity,
    bool ExceedsMaxQuantity,
    bool Purchasable,
    DateTimeOffset AddedAt);

/// <summary>The lines of one shop with the totals of its selected purchasable lines.</summary>
public sealed record CartShopSummary(
    string ShopId,
    string ShopName,
    IReadOnlyList<CartLineSummary> Lines,
    bool AllSelected,
    int SelectedLineCount,
    int SelectedQuantity,
    long SelectedTotalFen);

/// <summary>The cart grouped by shop, with overall totals of the selected purchasable lines.</summary>
public sealed record CartSummary(
    IReadOnlyList<CartShopSummary> Shops,
    int LineCount,
    int UnavailableLineCount,
    bool AllSelected,
    int SelectedLineCount,
    int SelectedQuantity,
    long SelectedTotalFen,
    long Version);

/// <summary>Prices, availability, grouping and totals of a cart from the current products. No I/O.</summary>
public static class CartSummaries
{
    /// <param name="products">The cart's products by id; a missing id means the product is gone.</param>
    /// <param name="shopNames">Shop names by id; a missing shop shows its id.</param>
    public static CartSummary Build(ShoppingCart cart, IReadOnlyDictionary<string, Product> products, IReadOnlyDictionary<string, string> shopNames, string? levelId)
    {
        var lines = cart.Lines.Select(l => Line(l, products.GetValueOrDefault(l.ProductId), levelId)).ToList();
        var shops = lines
            .GroupBy(l => l.ShopId, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderByDescending(l => l.AddedAt).ThenBy(l => l.LineId, StringComparer.Ordinal).ToList();
                var (count, quantity, total) = Totals(ordered);
                return new CartShopSummary(g.Key, shopNames.GetValueOrDefault(g.Key) ?? g.Key, ordered, AllSelected(ordered), count, quantity, total);
            })
            .OrderByDescending(s => s.Lines[0].AddedAt)
            .ThenBy(s => s.ShopId, StringComparer.Ordinal)
            .ToList();
        var (lineCount, selectedQuantity, selectedTotal) = Totals(lines);
        return new CartSummary(shops, lines.Count, lines.Count(l => l.Availability != CartLineAvailability.Available), AllSelected(lines),
            lineCount, selectedQuantity, selectedTotal, cart.Version);
    }

    public static CartLineSummary Line(CartItem line, Product? product, string? levelId)
    {
        var sku = product?.FindSku(line.SkuId);
        if (product is null || sku is null)
            return new CartLineSummary(line.LineId, line.ProductId, line.SkuId, line.ShopId, product?.Title ?? line.Title, line.SpecValues ?? [],
                product?.CoverUrl, line.Quantity, line.Selected, null, line.AddedPriceFen, false, null, null, CartLineAvailability.Removed, null,
                Sku.QuantityCeiling, false, false, line.AddedAt);

        var availability = product.Status != ProductStatus.Published ? CartLineAvailability.Unpublished
            : !sku.Enabled ? CartLineAvailability.Disabled
            : line.Quantity > sku.Stock.Available ? CartLineAvailability.InsufficientStock
            : CartLineAvailability.Available;
        var unit = SkuPricing.UnitPrice(sku, levelId, line.Quantity);
        var exceeds = line.Quantity > sku.MaxQuantity;
        return new CartLineSummary(line.LineId, line.ProductId, line.SkuId, product.ShopId, product.Title, sku.SpecValues, product.CoverUrl,
            line.Quantity, line.Selected, unit, line.AddedPriceFen, unit != line.AddedPriceFen, unit - line.AddedPriceFen, unit * line.Quantity,
            availability, availability == CartLineAvailability.InsufficientStock ? Math.Max(0, sku.Stock.Available) : null,
            sku.MaxQuantity, exceeds, availability == CartLineAvailability.Available && !exceeds, line.AddedAt);
    }

    private static (int Lines, int Quantity, long TotalFen) Totals(IEnumerable<CartLineSummary> lines)
    {
        var counted = lines.Where(l => l.Selected && l.Purchasable).ToList();
        return (counted.Count, counted.Sum(l => l.Quantity), counted.Sum(l => l.LineTotalFen ?? 0));
    }

    /// <summary>The "select all" box: every purchasable line is selected (and there is one).</summary>
    private static bool AllSelected(IReadOnlyCollection<CartLineSummary> lines)
        => lines.Any(l => l.Purchasable) && lines.Where(l => l.Purchasable).All(l => l.Selected);
}
