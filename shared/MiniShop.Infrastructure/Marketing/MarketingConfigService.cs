using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Marketing;

/// <summary>
/// The two singleton documents of the marketing container: each shop's shipping template (id "shipping-template" in
/// the shop's partition) and the platform settings (id "settings" in the "platform" partition).
/// A write needs the current version; a document that does not exist yet has version 0.
/// </summary>
public sealed class MarketingConfigService(CosmosDb db, ShopStore shops, MarketingCatalog catalog, TimeProvider time)
{
    private Container Marketing => db.Container(CosmosSchema.Marketing);

    public async Task<ShippingTemplateDefinition> GetShippingTemplateAsync(string shopId, CancellationToken ct)
    {
        await RequireShopAsync(shopId, ct);
        return (await Marketing.ReadOrNullAsync<ShippingTemplateDefinition>(ShippingTemplateDefinition.DocumentId, shopId, ct))?.Value
               ?? throw new NotFoundException("Shipping template of shop", shopId);
    }

    /// <summary>
    /// Creates or replaces the shop's template. <paramref name="expectedVersion"/>: required (428) when a template
    /// exists and must be its version (412); null or 0 when creating the first one.
    /// </summary>
    public async Task<ShippingTemplateDefinition> PutShippingTemplateAsync(string shopId, ShippingTemplateDraft draft, long? expectedVersion, CancellationToken ct)
    {
        await RequireShopAsync(shopId, ct);
        var current = await Marketing.ReadOrNullAsync<ShippingTemplateDefinition>(ShippingTemplateDefinition.DocumentId, shopId, ct);
        CheckVersion(current?.Value.Version, expectedVersion);
        var updated = ShippingRules.Build(shopId, draft, current?.Value, time.GetUtcNow());
        await WriteAsync(updated, shopId, ShippingTemplateDefinition.DocumentId, current?.ETag, ct);
        catalog.InvalidateShipping(shopId);
        return updated;
    }

    /// <summary>The stored settings, or the defaults (version 0) when none were ever saved.</summary>
    public async Task<MarketingSettings> GetSettingsAsync(CancellationToken ct)
        => (await Marketing.ReadOrNullAsync<MarketingSettings>(MarketingSettings.DocumentId, MarketingOwners.Platform, ct))?.Value ?? MarketingSettings.Default;

    /// <summary>Replaces the settings; <paramref name="expectedVersion"/> is the version read (0 for the defaults).</summary>
    public async Task<MarketingSettings> PutSettingsAsync(MarketingSettingsDraft draft, long expectedVersion, CancellationToken ct)
    {
        var current = await Marketing.ReadOrNullAsync<MarketingSettings>(MarketingSettings.DocumentId, MarketingOwners.Platform, ct);
        CheckVersion(current?.Value.Version, expectedVersion);
        var updated = MarketingSettingsRules.Build(draft, current?.Value ?? MarketingSettings.Default, time.GetUtcNow());
        await WriteAsync(updated, MarketingOwners.Platform, MarketingSettings.DocumentId, current?.ETag, ct);
        catalog.InvalidateSettings();
        return updated;
    }

    private static void CheckVersion(long? stored, long? expected)
    {
        if (stored is { } version)
        {
            if (expected is null) throw new PreconditionRequiredException();
            if (expected != version) throw new PreconditionFailedException();
        }
        else if (expected is not (null or 0)) throw new PreconditionFailedException();
    }

    /// <summary>Creates when there was nothing (a concurrent create wins and this one gets 412), else replaces on the ETag read.</summary>
    private async Task WriteAsync<T>(T doc, string partition, string id, string? etag, CancellationToken ct)
    {
        if (etag is null)
        {
            if (!await Marketing.TryCreateAsync(doc, partition, ct)) throw new PreconditionFailedException();
            return;
        }
        try
        {
            await Marketing.ReplaceItemAsync(doc, id, new PartitionKey(partition), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
    }

    private async Task RequireShopAsync(string shopId, CancellationToken ct)
    {
        if (MarketingOwners.IsPlatform(shopId) || await shops.FindAsync(shopId, ct) is null) throw new NotFoundException("Shop", shopId);
    }
}
