using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Marketing;

/// <summary>
/// Admin writes of promotions, in the owner's partition of the marketing container. Content updates check the
/// content version (the HTTP ETag) and replace with the document's ETag; status changes do the same.
/// </summary>
public sealed class PromotionAdminService(CosmosDb db, ShopStore shops, MarketingCatalog catalog, TimeProvider time)
{
    private Container Marketing => db.Container(CosmosSchema.Marketing);

    public async Task<IReadOnlyList<PromotionDefinition>> ListAsync(string ownerId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", MarketingDocTypes.Promotion);
        var items = await Marketing.QueryAsync<PromotionDefinition>(query, ownerId, ct: ct);
        return items.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Versioned<PromotionDefinition>> GetAsync(string ownerId, string id, CancellationToken ct)
    {
        if (IsReservedId(id)) throw new NotFoundException("Promotion", id);
        return await Marketing.ReadOrNullAsync<PromotionDefinition>(id, ownerId, ct) ?? throw new NotFoundException("Promotion", id);
    }

    /// <param name="id">A fixed id for seeded data; otherwise a new one.</param>
    public async Task<PromotionDefinition> CreateAsync(string ownerId, PromotionDraft draft, CancellationToken ct, string? id = null)
    {
        await RequireOwnerAsync(ownerId, ct);
        var promotion = PromotionRules.Create(id ?? Ids.New("prm"), ownerId, draft, time.GetUtcNow());
        if (!await Marketing.TryCreateAsync(promotion, ownerId, ct))
            throw new ConflictException("promotion_exists", $"Promotion '{promotion.Id}' already exists.");
        catalog.InvalidatePromotions(ownerId);
        return promotion;
    }

    public async Task<PromotionDefinition> UpdateAsync(string ownerId, string id, PromotionDraft draft, long expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(ownerId, id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var updated = PromotionRules.Update(current.Value, draft, time.GetUtcNow());
        await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    /// <summary>Pauses or resumes; a no-op when already in that status. With a version, it must be current (412 otherwise).</summary>
    public async Task<PromotionDefinition> SetStatusAsync(string ownerId, string id, MarketingStatus status, long? expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(ownerId, id, ct);
        if (expectedVersion is { } v && current.Value.Version != v) throw new PreconditionFailedException();
        if (current.Value.Status == status) return current.Value;
        var updated = current.Value with { Status = status, Version = current.Value.Version + 1, UpdatedAt = MarketingRules.Utc(time.GetUtcNow()) };
        await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    private async Task ReplaceAsync(PromotionDefinition p, string etag, CancellationToken ct)
    {
        try
        {
            await Marketing.ReplaceItemAsync(p, p.Id, new PartitionKey(p.OwnerId), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
        finally
        {
            catalog.InvalidatePromotions(p.OwnerId);
        }
    }

    private async Task RequireOwnerAsync(string ownerId, CancellationToken ct)
    {
        if (!MarketingOwners.IsPlatform(ownerId) && await shops.FindAsync(ownerId, ct) is null)
            throw ValidationException.For("ownerId", $"'{ownerId}' is not a known shop (or 'platform').");
    }

    private static bool IsReservedId(string id) => id is ShippingTemplateDefinition.DocumentId or MarketingSettings.DocumentId;
}
