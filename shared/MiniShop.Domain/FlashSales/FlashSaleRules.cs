using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;

namespace MiniShop.Domain.FlashSales;

public sealed record FlashSaleItemDraft(string? ProductId, string? SkuId, long? FlashPriceFen, long? Stock, int? PerMemberLimit, bool? CouponsAllowed);

/// <summary>What an operator sends to create a session or replace it before it starts.</summary>
public sealed record FlashSaleDraft(string? ShopId, string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, List<FlashSaleItemDraft>? Items);

/// <summary>A session of the same SKU whose window overlaps, found by the caller (the SKU calendars).</summary>
public sealed record FlashSaleOverlap(string SkuId, string SessionId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>Validates drafts (every wrong field at once, keyed by JSON path) and builds sessions.</summary>
public static class FlashSaleRules
{
    public const int MaxItems = 50;
    public const long MaxStock = 1_000_000;
    public const int MaxPerMemberLimit = 99;
    public const int MaxDurationDays = 31;

    /// <summary>A start this far in the past is still accepted ("starts now" sent a moment late).</summary>
    public static readonly TimeSpan StartTolerance = TimeSpan.FromMinutes(1);

    public static bool Overlaps(DateTimeOffset aStart, DateTimeOffset aEnd, DateTimeOffset bStart, DateTimeOffset bEnd) => aStart < bEnd && bStart < aEnd;

    /// <param name="products">The products the draft names (missing ones are reported).</param>
    /// <param name="overlaps">Other sessions of the draft's SKUs whose window overlaps the draft's.</param>
    public static FlashSaleSession Create(string id, FlashSaleDraft draft, IReadOnlyDictionary<string, Product> products,
        IReadOnlyList<FlashSaleOverlap> overlaps, int shardCount, string actor, DateTimeOffset now)
        => Build(id, draft, null, products, overlaps, shardCount, actor, now);

    /// <summary>
    /// Replaces the content of a session that has not started. Items are matched by SKU: a kept SKU keeps its item id and
    /// shards; its stock may go up (taken from the product) or down (given back). The shop cannot change.
    /// </summary>
    public static FlashSaleSession Update(FlashSaleSession existing, FlashSaleDraft draft, IReadOnlyDictionary<string, Product> products,
        IReadOnlyList<FlashSaleOverlap> overlaps, int shardCount, DateTimeOffset now)
    {
        if (existing.Status == FlashSaleStatus.Ended || now >= existing.StartsAt)
            throw new ConflictException("flash_sale_started", "A flash sale can only be edited before it starts.");
        if (draft.ShopId is not null && draft.ShopId != existing.ShopId)
            throw ValidationException.For("shopId", "cannot change; create a new session for another shop.");
        return Build(existing.Id, draft with { ShopId = existing.ShopId }, existing, products, overlaps, shardCount, existing.CreatedBy, now);
    }

    private static FlashSaleSession Build(string id, FlashSaleDraft d, FlashSaleSession? existing, IReadOnlyDictionary<string, Product> products,
        IReadOnlyList<FlashSaleOverlap> overlaps, int shardCount, string actor, DateTimeOffset now)
    {
        var v = new Validator();
        v.Required(d.ShopId, "shopId", 64);
        v.Required(d.Name, "name", MarketingRules.MaxNameLength);
        var starts = MarketingRules.Instant(d.StartsAt, "startsAt", v);
        var ends = MarketingRules.Instant(d.EndsAt, "endsAt", v);
        if (starts is { } s)
            v.Check(s >= now - StartTolerance, "startsAt", "must not be in the past.");
        if (starts is { } s2 && ends is { } e)
        {
            v.Check(e > s2, "endsAt", "must be after startsAt.");
            v.Check(e - s2 <= TimeSpan.FromDays(MaxDurationDays), "endsAt", $"a session lasts at most {MaxDurationDays} days.");
        }

        var items = new List<FlashSaleItem>();
        var next = existing?.NextItemNumber ?? 1;
        if (d.Items is not { Count: > 0 and <= MaxItems })
            v.Add("items", $"between 1 and {MaxItems} items.");
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < d.Items.Count; i++)
            {
                var item = Item(d.Items[i], $"items[{i}]", d.ShopId, existing, products, overlaps, seen, shardCount, ref next, v);
                if (item is not null) items.Add(item);
            }
        }
        v.ThrowIfInvalid();

        var at = MarketingRules.Utc(now);
        return new FlashSaleSession(id, d.ShopId!, d.Name!.Trim(), starts!.Value, ends!.Value, existing?.Status ?? FlashSaleStatus.Scheduled, items, next,
            (existing?.Version ?? 0) + 1, existing?.CreatedBy ?? actor, existing?.CreatedAt ?? at, at,
            StockAllocated: existing?.StockAllocated ?? false);
    }

    private static FlashSaleItem? Item(FlashSaleItemDraft? d, string field, string? shopId, FlashSaleSession? existing,
        IReadOnlyDictionary<string, Product> products, IReadOnlyList<FlashSaleOverlap> overlaps, HashSet<string> seen, int shardCount, ref int next, Validator v)
    {
        if (d is null) { v.Add(field, "is required."); return null; }
        v.Required(d.ProductId, $"{field}.productId", 64);
        v.Required(d.SkuId, $"{field}.skuId", 64);
        v.Check(d.Stock is >= 1 and <= MaxStock, $"{field}.stock", $"must be between 1 and {MaxStock}.");
        v.Check(d.PerMemberLimit is >= 1 and <= MaxPerMemberLimit, $"{field}.perMemberLimit", $"must be between 1 and {MaxPerMemberLimit}.");
        v.Check(d.FlashPriceFen is >= 1, $"{field}.flashPriceFen", "must be at least 1 fen.");
        if (d.SkuId is not null && !seen.Add(d.SkuId)) v.Add($"{field}.skuId", "appears more than once in this session.");
        if (d.ProductId is null || d.SkuId is null) return null;

        if (!products.TryGetValue(d.ProductId, out var product) || (shopId is not null && product.ShopId != shopId))
        {
            v.Add($"{field}.productId", $"is not a product of shop '{shopId}'.");
            return null;
        }
        var sku = product.FindSku(d.SkuId);
        if (sku is null) { v.Add($"{field}.skuId", "is not a SKU of this product."); return null; }
        if (!sku.Enabled) v.Add($"{field}.skuId", "is disabled.");
        if (d.FlashPriceFen is >= 1 and var price && price >= sku.ListPriceFen)
            v.Add($"{field}.flashPriceFen", $"must be below the list price ({Money.Yuan(sku.ListPriceFen)}).");

        var kept = existing?.ItemForSku(sku.Id);
        var available = sku.Stock.Available + (kept?.Stock ?? 0); // an edit may reuse what the session already holds
        if (d.Stock is >= 1 and var stock && stock > available)
            v.Add($"{field}.stock", $"only {available} unit(s) of this SKU are available.");
        foreach (var o in overlaps.Where(o => o.SkuId == sku.Id && o.SessionId != existing?.Id))
            v.Add($"{field}.skuId", $"is already in flash sale '{o.SessionId}' from {o.StartsAt:u} to {o.EndsAt:u}; sessions of one SKU must not overlap.");
        if (!v.IsValid) return null; // the draft is refused anyway; only build items while everything so far is valid

        var id = kept?.Id ?? $"i{next++}";
        var shards = kept?.ShardCount ?? FlashShards.CountFor(d.Stock!.Value, shardCount);
        return new FlashSaleItem(id, product.Id, sku.Id, product.Title, sku.SpecValues, product.CoverUrl, sku.ListPriceFen, d.FlashPriceFen!.Value,
            d.Stock!.Value, d.PerMemberLimit!.Value, d.CouponsAllowed ?? false, shards);
    }
}
