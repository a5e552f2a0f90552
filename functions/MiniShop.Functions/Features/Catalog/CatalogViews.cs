using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Functions.Features.Catalog;

public sealed record SkuView(
    string Id, IReadOnlyList<string> SpecValues, string Code, string? Barcode, long ListPriceFen, long? MemberPriceFen,
    long PriceFen, IReadOnlyList<TierPrice> TierPrices, long Stock, bool Available, int WeightGrams);

public sealed record PriceRangeView(long MinFen, long MaxFen);

/// <summary>The product page. Prices are the caller's: the member-level price shows when signed in with a level.</summary>
public sealed record ProductView(
    string Id, string ShopId, string Title, string? Subtitle, string? DescriptionHtml, IReadOnlyList<MediaItem> Media,
    IReadOnlyList<string> CategoryIds, IReadOnlyList<string> Tags, IReadOnlyList<SpecDimension> Specs,
    IReadOnlyList<ProductAttribute> Attributes, IReadOnlyList<SkuView> Skus, PriceRangeView Price, long Sales, string? MemberLevelId)
{
    public static ProductView From(Product p, string? levelId)
    {
        var skus = p.Skus.Select(s => new SkuView(s.Id, s.SpecValues, s.Code, s.Barcode, s.ListPriceFen, SkuPricing.MemberPrice(s, levelId),
            SkuPricing.UnitPrice(s, levelId, 1), s.TierPrices, s.Enabled ? s.Stock.Available : 0, s.Enabled && s.Stock.Available > 0, s.WeightGrams)).ToList();
        var sellable = skus.Where(s => p.FindSku(s.Id)!.Enabled).DefaultIfEmpty(skus[0]).ToList();
        return new ProductView(p.Id, p.ShopId, p.Title, p.Subtitle, p.DescriptionHtml, p.Media, p.CategoryIds, p.Tags, p.Specs, p.Attributes,
            skus, new PriceRangeView(sellable.Min(s => s.PriceFen), sellable.Max(s => s.PriceFen)), ProductCard.SalesOf(p), levelId);
    }
}

public sealed record ProductCardView(
    string Id, string ShopId, string Title, string? Subtitle, string? CoverUrl, IReadOnlyList<string> Tags,
    long MinPriceFen, long MaxPriceFen, long? MemberPriceFen, long Sales, bool InStock)
{
    public static ProductCardView From(ProductCard c, string? levelId)
        => new(c.Id, c.ShopId, c.Title, c.Subtitle, c.CoverUrl, c.Tags, c.MinPriceFen, c.MaxPriceFen,
            levelId is not null && c.MemberMinPricesFen.TryGetValue(levelId, out var p) ? p : null, c.Sales, c.InStock);
}

public sealed record ProductListView(IReadOnlyList<ProductCardView> Items, string? NextCursor);

public sealed record BarcodeMatchView(string ProductId, string SkuId, ProductView Product);

public sealed record ShopView(string Id, string Name, string? Description, string? LogoUrl);

public sealed record MemberLevelView(string Id, string Name, int Rank, long MinGrowth);

public sealed record AdminProductListView(IReadOnlyList<Product> Items, string? NextCursor);

public sealed record RebuildResultView(int PublishedCards);
