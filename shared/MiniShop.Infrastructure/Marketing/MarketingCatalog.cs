using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Marketing;

/// <summary>
/// What checkout and the storefront read from the marketing configuration: running promotions per owner (each shop
/// and the platform: one single-partition query per owner), shipping templates (point reads), the points policy and
/// stacking exclusions (one point read). Results are cached in memory for <see cref="CacheFor"/>; writes made through
/// this process invalidate at once, other instances catch up within the cache time.
/// </summary>
public sealed class MarketingCatalog(CosmosDb db, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Cached<IReadOnlyList<PromotionDefinition>>> _promotions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached<ShippingTemplateDefinition?>> _shipping = new(StringComparer.Ordinal);
    private Cached<MarketingSettings>? _settings;

    private Container Marketing => db.Container(CosmosSchema.Marketing);

    /// <summary>Promotions of these shops and of the platform that are active and within their window at <paramref name="now"/>, as engine input.</summary>
    public async Task<IReadOnlyList<Promotion>> ActivePromotionsAsync(IReadOnlyCollection<string> shopIds, DateTimeOffset now, CancellationToken ct)
        => (await ActiveDefinitionsAsync(shopIds, now, ct)).Select(p => p.ToEngine()).ToList();

    /// <summary>The same promotions with their names and descriptions, for display. Shops first (in the given order), then the platform.</summary>
    public async Task<IReadOnlyList<PromotionDefinition>> ActiveDefinitionsAsync(IReadOnlyCollection<string> shopIds, DateTimeOffset now, CancellationToken ct)
    {
        var owners = shopIds.Where(s => !string.IsNullOrEmpty(s) && !MarketingOwners.IsPlatform(s)).Distinct(StringComparer.Ordinal)
            .Append(MarketingOwners.Platform).ToList();
        var lists = await Task.WhenAll(owners.Select(o => OwnerPromotionsAsync(o, ct)));
        return lists.SelectMany(l => l.Where(p => p.IsRunningAt(now)).OrderBy(p => p.StartsAt).ThenBy(p => p.Id, StringComparer.Ordinal)).ToList();
    }

    /// <summary>The shipping templates of those shops that have one (a shop without a template ships free).</summary>
    public async Task<IReadOnlyList<ShippingTemplate>> ShippingTemplatesAsync(IReadOnlyCollection<string> shopIds, CancellationToken ct)
    {
        var shops = shopIds.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList();
        var templates = await Task.WhenAll(shops.Select(s => ShippingTemplateAsync(s, ct)));
        return templates.Where(t => t is not null).Select(t => t!.ToEngine()).ToList();
    }

    public async Task<ShippingTemplateDefinition?> ShippingTemplateAsync(string shopId, CancellationToken ct)
    {
        if (_shipping.TryGetValue(shopId, out var c) && c.IsFresh(time)) return c.Value;
        var read = await Marketing.ReadOrNullAsync<ShippingTemplateDefinition>(ShippingTemplateDefinition.DocumentId, shopId, ct);
        _shipping[shopId] = new(read?.Value, time.GetUtcNow());
        return read?.Value;
    }

    /// <summary>The platform's points policy; 100 points = ¥1, at most 50 %, whole yuan, until an admin sets one.</summary>
    public async Task<PointsPolicy> PointsPolicyAsync(CancellationToken ct) => (await SettingsAsync(ct)).Points;

    public async Task<StackingPolicy> StackingPolicyAsync(CancellationToken ct) => (await SettingsAsync(ct)).ToStackingPolicy();

    public async Task<MarketingSettings> SettingsAsync(CancellationToken ct)
    {
        if (_settings is { } c && c.IsFresh(time)) return c.Value;
        var read = await Marketing.ReadOrNullAsync<MarketingSettings>(MarketingSettings.DocumentId, MarketingOwners.Platform, ct);
        var settings = read?.Value ?? MarketingSettings.Default;
        _settings = new(settings, time.GetUtcNow());
        return settings;
    }

    public void InvalidatePromotions(string ownerId) => _promotions.TryRemove(ownerId, out _);

    public void InvalidateShipping(string shopId) => _shipping.TryRemove(shopId, out _);

    public void InvalidateSettings() => _settings = null;

    /// <summary>Active promotions of one owner that had not ended when read; the window is checked again per call.</summary>
    private async Task<IReadOnlyList<PromotionDefinition>> OwnerPromotionsAsync(string ownerId, CancellationToken ct)
    {
        if (_promotions.TryGetValue(ownerId, out var c) && c.IsFresh(time)) return c.Value;
        var readAt = time.GetUtcNow();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = @status AND c.endsAtTs > @now")
            .WithParameter("@type", MarketingDocTypes.Promotion)
            .WithParameter("@status", "active")
            .WithParameter("@now", readAt.ToUnixTimeSeconds());
        IReadOnlyList<PromotionDefinition> list = await Marketing.QueryAsync<PromotionDefinition>(query, ownerId, ct: ct);
        _promotions[ownerId] = new(list, readAt);
        return list;
    }

    private sealed record Cached<T>(T Value, DateTimeOffset At)
    {
        public bool IsFresh(TimeProvider time) => time.GetUtcNow() - At < CacheFor;
    }
}
