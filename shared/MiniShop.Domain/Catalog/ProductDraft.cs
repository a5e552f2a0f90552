namespace MiniShop.Domain.Catalog;

// What an operator sends to create or replace a product. Everything is nullable so a missing field
// is reported by name as a validation error instead of failing JSON binding.

public sealed record MediaDraft(MediaKind? Kind, string? Url, string? PosterUrl);

public sealed record SpecDimensionDraft(string? Name, List<string>? Values);

public sealed record TierPriceDraft(int? MinQuantity, long? PriceFen);

public sealed record SkuDraft(
    string? Id,
    List<string>? SpecValues,
    string? Code,
    string? Barcode,
    long? ListPriceFen,
    Dictionary<string, long>? MemberPricesFen,
    List<TierPriceDraft>? TierPrices,
    long? Stock,
    bool? Enabled,
    int? WeightGrams,
    int? MaxPerOrder = null);

public sealed record ProductDraft(
    string? ShopId,
    string? Title,
    string? Subtitle,
    string? DescriptionHtml,
    List<MediaDraft>? Media,
    List<string>? CategoryIds,
    List<string>? Tags,
    List<SpecDimensionDraft>? Specs,
    List<ProductAttribute>? Attributes,
    List<SkuDraft>? Skus);

/// <summary>What validation needs to know about the rest of the catalog.</summary>
public sealed record CatalogReferences(IReadOnlySet<string> CategoryIds, IReadOnlySet<string> MemberLevelIds);
