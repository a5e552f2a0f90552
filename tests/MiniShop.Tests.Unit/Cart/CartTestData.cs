using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;

namespace MiniShop.Tests.Unit.Cart;

internal static class CartTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>10,000 fen list price, 9,000 for L2, 9,500 each from 3; 5 in stock.</summary>
    public static Sku NewSku(string id = "sku-1", long stock = 5, bool enabled = true, int? maxPerOrder = null, long list = 10_000)
        => new(id, ["M", "White"], id.ToUpperInvariant(), null, list, new Dictionary<string, long> { ["L2"] = list - 1_000 },
            [new TierPrice(3, list - 500)], new SkuStock(stock), enabled, 200, maxPerOrder);

    public static Product NewProduct(string id = "prd-1", string shopId = "shop-1", ProductStatus status = ProductStatus.Published, params Sku[] skus)
        => new(id, shopId, $"Product {id}", null, null, [new MediaItem(MediaKind.Image, $"https://img.example.com/{id}.jpg")], ["c"], [],
            [new SpecDimension("Size", ["M"]), new SpecDimension("Colour", ["White"])], [], skus.Length == 0 ? [NewSku()] : skus, status, 1, 0, T0, T0, T0);

    public static CartItem NewLine(string lineId, string productId = "prd-1", string skuId = "sku-1", string shopId = "shop-1", int quantity = 1,
        bool selected = true, long addedPriceFen = 10_000, int minutes = 0)
        => new(lineId, productId, skuId, shopId, quantity, selected, addedPriceFen, T0.AddMinutes(minutes), "Snapshot title", ["M", "White"]);

    public static ShoppingCart NewCart(params CartItem[] lines) => new("mbr_1", lines, 3, T0);

    private static int _ids;

    public static string NewLineId() => $"line_{Interlocked.Increment(ref _ids)}";
}
