namespace MiniShop.Domain.Catalog;

public enum ProductStatus { Draft, Published, Unpublished }

public enum MediaKind { Image, Video, Model3D, Ar }

/// <summary>A picture, video, 3D model or AR asset. Everything but an image needs a poster to show before it loads.</summary>
public sealed record MediaItem(MediaKind Kind, string Url, string? PosterUrl = null);

/// <summary>A spec dimension such as 尺码 with its values S, M, L; SKUs are the full cross product of all dimensions.</summary>
public sealed record SpecDimension(string Name, IReadOnlyList<string> Values);

public sealed record ProductAttribute(string Name, string Value);

/// <summary>From <see cref="MinQuantity"/> items on, each costs <see cref="PriceFen"/>.</summary>
public sealed record TierPrice(int MinQuantity, long PriceFen);

/// <summary>
/// Stock of one SKU. Invariant: Available + Reserved + Sold = Received - Adjusted-out, kept by conditional patches,
/// so the sum never drifts whatever the concurrency.
/// </summary>
public sealed record SkuStock(long Available, long Reserved = 0, long Sold = 0);

public sealed record Sku(
    string Id,
    IReadOnlyList<string> SpecValues,
    string Code,
    string? Barcode,
    long ListPriceFen,
    IReadOnlyDictionary<string, long> MemberPricesFen,
    IReadOnlyList<TierPrice> TierPrices,
    SkuStock Stock,
    bool Enabled = true,
    int WeightGrams = 0,
    int? MaxPerOrder = null)
{
    /// <summary>Quantity bounds of one order line: at least 1, at most the SKU's limit (or a sane ceiling).</summary>
    public const int QuantityCeiling = 999;

    public int MaxQuantity => Math.Min(MaxPerOrder ?? QuantityCeiling, QuantityCeiling);
}

/// <summary>An SPU with its SKU matrix. Stored as one document so the product page is one point read.</summary>
public sealed record Product(
    string Id,
    string ShopId,
    string Title,
    string? Subtitle,
    string? DescriptionHtml,
    IReadOnlyList<MediaItem> Media,
    IReadOnlyList<string> CategoryIds,
    IReadOnlyList<string> Tags,
    IReadOnlyList<SpecDimension> Specs,
    IReadOnlyList<ProductAttribute> Attributes,
    IReadOnlyList<Sku> Skus,
    ProductStatus Status,
    long Version,
    long Sales,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt)
{
    /// <summary>Partition key of the products container: every document about a product shares its partition.</summary>
    public string ProductId => Id;

    public string Type => "product";

    public Sku? FindSku(string skuId) => Skus.FirstOrDefault(s => s.Id == skuId);

    public bool IsBuyable => Status == ProductStatus.Published;

    public string? CoverUrl => Media.FirstOrDefault(m => m.Kind == MediaKind.Image)?.Url ?? Media.FirstOrDefault()?.PosterUrl;
}
