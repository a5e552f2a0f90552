using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Coupons;

/// <summary>
/// Admin writes of coupon templates (coupon-templates container, partition /id). Claims keep incrementing the
/// <c>issued</c> counter on the same document, so a content update checks the content version, then replaces on the
/// document's ETag and retries when only the counter moved in between (re-checking the total against it each time).
/// </summary>
public sealed class CouponTemplateAdminService(CosmosDb db, ShopStore shops, CouponTemplateDirectory directory, TimeProvider time)
{
    private const int MaxAttempts = 10;

    private Container Templates => db.Container(CosmosSchema.CouponTemplates);

    /// <summary>The owner's templates, newest first. A cross-partition query: admin path only.</summary>
    public async Task<IReadOnlyList<CouponTemplate>> ListAsync(string ownerId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.ownerId = @owner").WithParameter("@owner", ownerId);
        var items = await Templates.QueryAsync<CouponTemplate>(query, null, ct: ct);
        return items.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Versioned<CouponTemplate>> GetAsync(string id, CancellationToken ct)
        => await Templates.ReadOrNullAsync<CouponTemplate>(id, id, ct) ?? throw new NotFoundException("Coupon template", id);

    /// <param name="id">A fixed id for seeded data; otherwise a new one.</param>
    public async Task<CouponTemplate> CreateAsync(CouponTemplateDraft draft, CancellationToken ct, string? id = null)
    {
        var template = CouponTemplateRules.Create(id ?? Ids.New("ctp"), draft, time.GetUtcNow());
        if (template.ShopId is { } shopId && await shops.FindAsync(shopId, ct) is null)
            throw ValidationException.For("shopId", $"'{shopId}' is not a known shop.");
        if (!await Templates.TryCreateAsync(template, template.Id, ct))
            throw new ConflictException("coupon_template_exists", $"Coupon template '{template.Id}' already exists.");
        directory.Invalidate();
        return template;
    }

    public Task<CouponTemplate> UpdateAsync(string id, CouponTemplateDraft draft, long expectedVersion, CancellationToken ct)
        => ChangeAsync(id, expectedVersion, t => CouponTemplateRules.Update(t, draft, time.GetUtcNow()), ct);

    /// <summary>Pauses (no more claims; claimed coupons stay usable) or resumes. A no-op when already in that status.</summary>
    public Task<CouponTemplate> SetStatusAsync(string id, MarketingStatus status, long? expectedVersion, CancellationToken ct)
        => ChangeAsync(id, expectedVersion, t => t.Status == status ? t
            : t with { Status = status, Version = t.Version + 1, UpdatedAt = MarketingRules.Utc(time.GetUtcNow()) }, ct);

    private async Task<CouponTemplate> ChangeAsync(string id, long? expectedVersion, Func<CouponTemplate, CouponTemplate> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(id, ct);
            if (expectedVersion is { } v && current.Value.Version != v) throw new PreconditionFailedException();
            var updated = change(current.Value);
            if (ReferenceEquals(updated, current.Value)) return updated;
            try
            {
                await Templates.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
                directory.Invalidate();
                return updated;
            }
            catch (CosmosException e) when (e.IsPreconditionFailed())
            {
                // Usually a claim moved the issued counter: merge again onto the fresh document.
                if (attempt >= MaxAttempts) throw new ConflictException("coupon_template_busy", "The template is being claimed heavily; retry the update.");
            }
        }
    }
}

/// <summary>
/// The claimable templates for the storefront. Listing templates is a cross-partition query (one template per
/// partition), so it runs at most once per <see cref="CacheFor"/> per app instance, never per shopper request.
/// Remaining quantities in the list are as of that read; the claim itself always checks the live counter.
/// </summary>
public sealed class CouponTemplateDirectory(CosmosDb db, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<int, (DateTimeOffset At, IReadOnlyList<CouponTemplate> Items)> _cache = new();

    /// <summary>Active templates whose claim window has not ended, ordered by claim end then id.</summary>
    public async Task<IReadOnlyList<CouponTemplate>> OpenTemplatesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(0, out var c) && now - c.At < CacheFor) return c.Items;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.status = @status AND c.claimEndsAtTs > @now")
            .WithParameter("@status", "active").WithParameter("@now", now.ToUnixTimeSeconds());
        var items = (await db.Container(CosmosSchema.CouponTemplates).QueryAsync<CouponTemplate>(query, null, ct: ct))
            .OrderBy(t => t.ClaimEndsAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        _cache[0] = (now, items);
        return items;
    }

    public void Invalidate() => _cache.Clear();
}
