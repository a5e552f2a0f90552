using System.Text.RegularExpressions;
using MiniShop.Domain.Common;

namespace MiniShop.Domain.Catalog;

/// <summary>
/// Turns a draft into a valid product or reports every wrong field at once. Rules: the SKU matrix is complete
/// and unique, prices are positive, tier prices fall with quantity, member prices never exceed the list price.
/// </summary>
public static partial class ProductRules
{
    public const int MaxSpecs = 4;
    public const int MaxSkus = 600;
    public const int MaxMedia = 30;
    public const int MaxTags = 10;
    public const int MaxDescriptionLength = 50_000;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex SkuCodePattern();

    [GeneratedRegex("^[0-9A-Za-z]{6,32}$")]
    private static partial Regex BarcodePattern();

    public static Product Create(string id, ProductDraft draft, CatalogReferences refs, Func<string> newSkuId, DateTimeOffset now)
        => Build(id, draft, refs, existing: null, newSkuId, now);

    /// <summary>
    /// Replaces content but keeps identity, status, sales and the stock of SKUs that already exist:
    /// stock changes go through stock adjustments so every unit stays accounted for.
    /// </summary>
    public static Product Update(Product existing, ProductDraft draft, CatalogReferences refs, Func<string> newSkuId, DateTimeOffset now)
    {
        if (draft.ShopId is not null && draft.ShopId != existing.ShopId)
            throw ValidationException.For("shopId", "cannot change; a product stays in its shop.");
        return Build(existing.Id, draft with { ShopId = existing.ShopId }, refs, existing, newSkuId, now);
    }

    private static Product Build(string id, ProductDraft d, CatalogReferences refs, Product? existing, Func<string> newSkuId, DateTimeOffset now)
    {
        var v = new Validator();
        v.Required(d.ShopId, "shopId", 64);
        v.Required(d.Title, "title", 100);
        v.Optional(d.Subtitle, "subtitle", 200);
        v.Optional(d.DescriptionHtml, "descriptionHtml", MaxDescriptionLength);

        var media = ValidateMedia(d.Media, v);
        var categories = ValidateCategories(d.CategoryIds, refs, v);
        var tags = ValidateTags(d.Tags, v);
        var attributes = ValidateAttributes(d.Attributes, v);
        var specs = ValidateSpecs(d.Specs, v);
        var skus = v.IsValid || specs is not null ? ValidateSkus(d.Skus, specs ?? [], refs, existing, newSkuId, v) : [];

        v.ThrowIfInvalid();
        return new Product(
            id, d.ShopId!, d.Title!.Trim(), d.Subtitle?.Trim(), d.DescriptionHtml, media, categories, tags, specs!, attributes, skus,
            existing?.Status ?? ProductStatus.Draft, (existing?.Version ?? 0) + 1, existing?.Sales ?? 0,
            existing?.CreatedAt ?? now, now, existing?.PublishedAt);
    }

    private static List<MediaItem> ValidateMedia(List<MediaDraft>? media, Validator v)
    {
        var result = new List<MediaItem>();
        if (media is null) return result;
        v.Check(media.Count <= MaxMedia, "media", $"at most {MaxMedia} items.");
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i];
            var path = $"media[{i}]";
            if (m is null) { v.Add(path, "is required."); continue; }
            if (m.Kind is null) v.Add($"{path}.kind", "is required (image, video, model3D, ar).");
            v.Url(m.Url, $"{path}.url", required: true);
            if (m.Kind is not null and not MediaKind.Image) v.Url(m.PosterUrl, $"{path}.posterUrl", required: true);
            else v.Url(m.PosterUrl, $"{path}.posterUrl");
            if (m.Kind is { } kind && m.Url is not null) result.Add(new MediaItem(kind, m.Url, m.PosterUrl));
        }
        return result;
    }

    private static List<string> ValidateCategories(List<string>? ids, CatalogReferences refs, Validator v)
    {
        if (ids is null || ids.Count == 0) { v.Add("categoryIds", "at least one category is required."); return []; }
        for (var i = 0; i < ids.Count; i++)
            v.Check(ids[i] is not null && refs.CategoryIds.Contains(ids[i]), $"categoryIds[{i}]", "is not a known category.");
        return ids.Where(x => x is not null).Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<string> ValidateTags(List<string>? tags, Validator v)
    {
        if (tags is null) return [];
        v.Check(tags.Count <= MaxTags, "tags", $"at most {MaxTags} tags.");
        for (var i = 0; i < tags.Count; i++)
            v.Check(!string.IsNullOrWhiteSpace(tags[i]) && tags[i].Trim().Length <= 20, $"tags[{i}]", "must be 1-20 characters.");
        return tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<ProductAttribute> ValidateAttributes(List<ProductAttribute>? attributes, Validator v)
    {
        if (attributes is null) return [];
        for (var i = 0; i < attributes.Count; i++)
        {
            v.Required(attributes[i]?.Name, $"attributes[{i}].name", 30);
            v.Required(attributes[i]?.Value, $"attributes[{i}].value", 200);
        }
        return attributes.Where(a => a is not null).ToList();
    }

    private static List<SpecDimension>? ValidateSpecs(List<SpecDimensionDraft>? specs, Validator v)
    {
        specs ??= [];
        if (specs.Count > MaxSpecs) { v.Add("specs", $"at most {MaxSpecs} spec dimensions."); return null; }
        var ok = true;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SpecDimension>();
        for (var i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            var path = $"specs[{i}]";
            if (string.IsNullOrWhiteSpace(s?.Name)) { v.Add($"{path}.name", "is required."); ok = false; continue; }
            if (!names.Add(s.Name.Trim())) { v.Add($"{path}.name", $"'{s.Name}' appears twice."); ok = false; }
            if (s.Values is null || s.Values.Count == 0) { v.Add($"{path}.values", "at least one value is required."); ok = false; continue; }
            var values = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < s.Values.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(s.Values[j])) { v.Add($"{path}.values[{j}]", "must not be empty."); ok = false; }
                else if (!values.Add(s.Values[j].Trim())) { v.Add($"{path}.values[{j}]", $"'{s.Values[j]}' appears twice."); ok = false; }
            }
            result.Add(new SpecDimension(s.Name.Trim(), s.Values.Select(x => x?.Trim() ?? "").ToList()));
        }
        return ok ? result : null;
    }

    private static List<Sku> ValidateSkus(List<SkuDraft>? skus, List<SpecDimension> specs, CatalogReferences refs, Product? existing, Func<string> newSkuId, Validator v)
    {
        var expected = specs.Aggregate(1L, (n, s) => n * s.Values.Count);
        if (expected > MaxSkus) { v.Add("specs", $"the matrix has {expected} combinations; at most {MaxSkus}."); return []; }
        if (skus is null || skus.Count == 0) { v.Add("skus", $"the matrix needs {expected} SKU(s), one per spec combination."); return []; }

        var combos = new HashSet<string>(StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var barcodes = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Sku>();
        for (var i = 0; i < skus.Count; i++)
        {
            var s = skus[i];
            var path = $"skus[{i}]";
            if (s is null) { v.Add(path, "is required."); continue; }

            var values = s.SpecValues ?? [];
            if (values.Count != specs.Count)
                v.Add($"{path}.specValues", $"needs exactly {specs.Count} value(s), one per spec dimension.");
            else
            {
                for (var j = 0; j < values.Count; j++)
                    v.Check(specs[j].Values.Contains(values[j]?.Trim() ?? "", StringComparer.Ordinal), $"{path}.specValues[{j}]",
                        $"'{values[j]}' is not a value of {specs[j].Name}.");
                if (!combos.Add(string.Join('\u001f', values))) v.Add($"{path}.specValues", "this combination appears twice.");
            }

            if (string.IsNullOrWhiteSpace(s.Code) || !SkuCodePattern().IsMatch(s.Code)) v.Add($"{path}.code", "is required: 1-40 letters, digits, '-' or '_'.");
            else if (!codes.Add(s.Code)) v.Add($"{path}.code", $"'{s.Code}' appears twice.");
            if (s.Barcode is not null)
            {
                if (!BarcodePattern().IsMatch(s.Barcode)) v.Add($"{path}.barcode", "must be 6-32 letters or digits.");
                else if (!barcodes.Add(s.Barcode)) v.Add($"{path}.barcode", $"'{s.Barcode}' appears twice.");
            }

            var list = s.ListPriceFen ?? 0;
            v.Check(s.ListPriceFen is > 0 and <= 100_000_000_00, $"{path}.listPriceFen", "must be a positive amount in fen.");
            ValidateMemberPrices(s, list, refs, path, v);
            var tiers = ValidateTiers(s, list, path, v);
            v.Check(s.Stock is null or >= 0, $"{path}.stock", "must not be negative.");
            v.Check(s.WeightGrams is null or >= 0, $"{path}.weightGrams", "must not be negative.");
            v.Check(s.MaxPerOrder is null or (>= 1 and <= Sku.QuantityCeiling), $"{path}.maxPerOrder", $"must be between 1 and {Sku.QuantityCeiling}.");

            var previous = s.Id is null ? null : existing?.FindSku(s.Id);
            if (s.Id is not null && previous is null) v.Add($"{path}.id", $"'{s.Id}' is not a SKU of this product; leave it out for a new SKU.");
            if (s.Id is not null && !ids.Add(s.Id)) v.Add($"{path}.id", $"'{s.Id}' appears twice.");

            var stock = previous?.Stock ?? new SkuStock(s.Stock ?? 0);
            result.Add(new Sku(previous?.Id ?? newSkuId(), values.Select(x => x?.Trim() ?? "").ToList(), s.Code ?? "", s.Barcode, list,
                new Dictionary<string, long>(s.MemberPricesFen ?? [], StringComparer.Ordinal), tiers, stock, s.Enabled ?? true, s.WeightGrams ?? 0, s.MaxPerOrder));
        }

        if (skus.Count != expected)
            v.Add("skus", $"the matrix needs {expected} SKU(s), one per spec combination; got {skus.Count}.");
        return result;
    }

    private static void ValidateMemberPrices(SkuDraft s, long list, CatalogReferences refs, string path, Validator v)
    {
        foreach (var (level, price) in s.MemberPricesFen ?? [])
        {
            var field = $"{path}.memberPricesFen.{level}";
            if (!refs.MemberLevelIds.Contains(level)) v.Add(field, $"'{level}' is not a member level.");
            else if (price <= 0) v.Add(field, "must be a positive amount in fen.");
            else if (list > 0 && price > list) v.Add(field, "must not be above the list price.");
        }
    }

    private static List<TierPrice> ValidateTiers(SkuDraft s, long list, string path, Validator v)
    {
        var tiers = s.TierPrices ?? [];
        var result = new List<TierPrice>();
        int? lastQuantity = null;
        long? lastPrice = null;
        for (var k = 0; k < tiers.Count; k++)
        {
            var t = tiers[k];
            var field = $"{path}.tierPrices[{k}]";
            if (t?.MinQuantity is not { } q || q < 2) { v.Add($"{field}.minQuantity", "must be 2 or more."); continue; }
            if (t.PriceFen is not { } p || p <= 0) { v.Add($"{field}.priceFen", "must be a positive amount in fen."); continue; }
            if (lastQuantity is { } lq && q <= lq) v.Add($"{field}.minQuantity", "tiers must be in increasing quantity order.");
            if (lastPrice is { } lp && p > lp) v.Add($"{field}.priceFen", "must not rise with quantity.");
            if (list > 0 && p > list) v.Add($"{field}.priceFen", "must not be above the list price.");
            lastQuantity = q;
            lastPrice = p;
            result.Add(new TierPrice(q, p));
        }
        return result;
    }
}
