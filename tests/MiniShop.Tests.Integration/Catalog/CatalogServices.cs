using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Tests.Integration.Catalog;

/// <summary>A fresh database with one shop, a small category tree and two member levels.</summary>
public sealed class CatalogServices : IAsyncLifetime
{
    private readonly Services _services = new();

    public T Get<T>() where T : notnull => _services.Get<T>();

    public async ValueTask InitializeAsync()
    {
        await _services.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        await Get<ShopStore>().CreateAsync("shop-1", new ShopDraft("Shop One", null, null, ShopStatus.Active), ct);
        await Get<ShopStore>().CreateAsync("shop-2", new ShopDraft("Shop Two", null, null, ShopStatus.Active), ct);
        var categories = Get<CategoryStore>();
        await categories.CreateAsync(new CategoryDraft("apparel", null, "Apparel", 1, null), ct);
        await categories.CreateAsync(new CategoryDraft("tops", "apparel", "Tops", 1, null), ct);
        await categories.CreateAsync(new CategoryDraft("tshirts", "tops", "T-shirts", 1, null), ct);
        await categories.CreateAsync(new CategoryDraft("tea", null, "Tea", 2, null), ct);
        await Get<MemberLevelDirectory>().UpsertAsync(new MemberLevel("L1", "Basic", 0, 0, 1), ct);
        await Get<MemberLevelDirectory>().UpsertAsync(new MemberLevel("L2", "Silver", 1, 1000, 1), ct);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static int _codes;

    /// <summary>A valid 2 x 2 product with unique codes and barcodes.</summary>
    public static ProductDraft Draft(string shopId = "shop-1", string category = "tshirts", long price = 9900, long stock = 10, string title = "T-shirt", List<string>? tags = null)
    {
        var n = Interlocked.Increment(ref _codes);
        SkuDraft Sku(string size, string colour, int i) => new(null, [size, colour], $"C{n}-{i}", $"69{n:000000}{i:00000}", price + i * 100,
            new Dictionary<string, long> { ["L2"] = price - 500 }, [], stock, true, 200);
        return new ProductDraft(shopId, title, "subtitle", null, [new MediaDraft(MediaKind.Image, "https://img.example.com/a.jpg", null)],
            [category], tags ?? ["new"], [new SpecDimensionDraft("Size", ["S", "M"]), new SpecDimensionDraft("Colour", ["White", "Black"])], [],
            [Sku("S", "White", 0), Sku("S", "Black", 1), Sku("M", "White", 2), Sku("M", "Black", 3)]);
    }
}
