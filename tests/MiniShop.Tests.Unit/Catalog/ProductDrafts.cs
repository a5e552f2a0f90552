using MiniShop.Domain.Catalog;

namespace MiniShop.Tests.Unit.Catalog;

/// <summary>A valid 2 x 2 product draft to vary in tests.</summary>
internal static class ProductDrafts
{
    public static readonly CatalogReferences Refs = new(new HashSet<string> { "tops", "tshirts" }, new HashSet<string> { "L1", "L2" });

    public static ProductDraft Valid() => new(
        "shop-1", "T恤", "纯棉", "<p>desc</p>",
        [new MediaDraft(MediaKind.Image, "https://img.example.com/1.jpg", null)],
        ["tshirts"], ["新品"],
        [new SpecDimensionDraft("尺码", ["S", "M"]), new SpecDimensionDraft("颜色", ["白", "黑"])],
        [new ProductAttribute("产地", "广东")],
        [
            Sku(["S", "白"], "T-S-W", "6900000000011"),
            Sku(["S", "黑"], "T-S-B", "6900000000012"),
            Sku(["M", "白"], "T-M-W", "6900000000013"),
            Sku(["M", "黑"], "T-M-B", "6900000000014"),
        ]);

    public static SkuDraft Sku(List<string> values, string code, string? barcode, long price = 9900, long stock = 10)
        => new(null, values, code, barcode, price, new Dictionary<string, long> { ["L2"] = price - 1000 }, [new TierPriceDraft(3, price - 500)], stock, true, 200);

    private static int _n;

    public static string NewSkuId() => $"sku-{Interlocked.Increment(ref _n)}";
}
