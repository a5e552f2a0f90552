using MiniShop.Domain.Catalog;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>
/// The storefront's view of a published product: what a list shows and filters on. All cards of a channel share
/// one partition, so browsing is a single-partition query ordered by a composite index.
/// </summary>
public sealed record ProductCard(
    string Id,
    string Channel,
    string ShopId,
    string Title,
    string? Subtitle,
    string? CoverUrl,
    IReadOnlyList<string> CategoryIds,
    IReadOnlyList<string> Tags,
    long MinPriceFen,
    long MaxPriceFen,
    IReadOnlyDictionary<string, long> MemberMinPricesFen,
    long Sales,
    long PublishedAt,
    string SearchText,
    bool InStock,
    long ProductVersion)
{
    public const string MiniProgramChannel = "mp";

    public static ProductCard From(Product p, IReadOnlyList<Category> categories)
    {
        var byId = categories.ToDictionary(c => c.Id);
        var filed = p.CategoryIds.SelectMany(id => byId.TryGetValue(id, out var c) ? c.SelfAndAncestors : [id]).Distinct().ToList();
        var enabled = p.Skus.Where(s => s.Enabled).ToList();
        var priced = enabled.Count > 0 ? enabled : p.Skus.ToList();
        var levels = priced.SelectMany(s => s.MemberPricesFen.Keys).Distinct();
        return new ProductCard(
            p.Id, MiniProgramChannel, p.ShopId, p.Title, p.Subtitle, p.CoverUrl, filed, p.Tags,
            priced.Min(s => s.ListPriceFen), priced.Max(s => s.ListPriceFen),
            levels.ToDictionary(l => l, l => priced.Min(s => SkuPricing.MemberPrice(s, l) ?? s.ListPriceFen)),
            SalesOf(p), (p.PublishedAt ?? p.UpdatedAt).ToUnixTimeMilliseconds(),
            SearchTextOf(p), InStockOf(p), p.Version);
    }

    /// <summary>Units sold (less those returned) on top of the product's opening figure: what "sort by sales" orders by.</summary>
    public static long SalesOf(Product p) => p.Sales + p.Skus.Sum(s => s.Stock.Sold);

    /// <summary>Whether any enabled SKU has units to sell.</summary>
    public static bool InStockOf(Product p) => p.Skus.Any(s => s.Enabled && s.Stock.Available > 0);

    /// <summary>Lower-cased title, subtitle and tags: what the search box matches with CONTAINS.</summary>
    public static string SearchTextOf(Product p)
        => string.Join(' ', new[] { p.Title, p.Subtitle }.Concat(p.Tags).Where(s => !string.IsNullOrEmpty(s))).ToLowerInvariant();
}
