using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>What an activity came to: groups opened, formed, failed and still open; orders and units sold and refunded.</summary>
public sealed record GroupBuyResults(
    string ActivityId, string Status, long GroupsOpened, long GroupsOpen, long GroupsSucceeded, long GroupsFailed,
    long OrdersSucceeded, long UnitsSucceeded, long OrdersRefunded, long UnitsRefunded);

/// <summary>
/// Operators' side of group buying. An activity is written with its stats document in one batch; content edits are
/// allowed only before the start, checked against the content version (the HTTP ETag) and replaced on the document's ETag.
/// </summary>
public sealed class GroupBuyAdminService(CosmosDb db, GroupBuyStore store, IOptions<GroupBuyOptions> options, TimeProvider time)
{
    private Container Container => store.Container;

    /// <summary>A shop's activities, newest first. A cross-partition query (one partition per activity): admin path only.</summary>
    public async Task<IReadOnlyList<GroupBuyActivity>> ListAsync(string shopId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.shopId = @shop")
            .WithParameter("@type", GroupBuyDocTypes.Activity).WithParameter("@shop", shopId);
        var items = await Container.QueryAsync<GroupBuyActivity>(query, null, ct: ct);
        return items.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Versioned<GroupBuyActivity>> GetAsync(string id, CancellationToken ct)
        => await store.FindActivityAsync(id, ct) ?? throw new NotFoundException("Group buy", id);

    public async Task<GroupBuyActivity> CreateAsync(GroupBuyDraft draft, CancellationToken ct)
    {
        var activity = GroupBuyRules.Create(GroupBuyIds.NewActivityId(), draft, await ProductFactsAsync(draft.ProductId, ct),
            options.Value.MinGroupDurationSeconds, time.GetUtcNow());
        using var response = await Container.CreateTransactionalBatch(new PartitionKey(activity.Id))
            .CreateItem(activity)
            .CreateItem(new GroupBuyStats(activity.Id))
            .ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Group buy batch failed: {response.StatusCode} {response.ErrorMessage}");
        return activity;
    }

    public async Task<GroupBuyActivity> UpdateAsync(string id, GroupBuyDraft draft, long expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var updated = GroupBuyRules.Update(current.Value, draft, await ProductFactsAsync(draft.ProductId, ct), options.Value.MinGroupDurationSeconds, time.GetUtcNow());
        await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    /// <summary>Pause, resume or end; open groups run on to their deadline either way. The same status again is a no-op.</summary>
    public async Task<GroupBuyActivity> SetStatusAsync(string id, GroupBuyStatus status, long? expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (expectedVersion is { } v && current.Value.Version != v) throw new PreconditionFailedException();
        var updated = GroupBuyRules.SetStatus(current.Value, status, time.GetUtcNow());
        if (!ReferenceEquals(updated, current.Value)) await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    public async Task<GroupBuyResults> ResultsAsync(GroupBuyActivity activity, CancellationToken ct)
    {
        var s = await store.StatsAsync(activity.Id, ct);
        return new GroupBuyResults(activity.Id, GroupBuyStore.Camel(activity.Status), s.GroupsOpened, s.GroupsOpened - s.GroupsSucceeded - s.GroupsFailed,
            s.GroupsSucceeded, s.GroupsFailed, s.OrdersSucceeded, s.UnitsSucceeded, s.OrdersRefunded, s.UnitsRefunded);
    }

    private async Task ReplaceAsync(GroupBuyActivity activity, string etag, CancellationToken ct)
    {
        try
        {
            await Container.ReplaceItemAsync(activity, activity.Id, new PartitionKey(activity.Id), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
    }

    private async Task<GroupBuyProductFacts?> ProductFactsAsync(string? productId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(productId) || productId.Length > 64) return null;
        var product = (await db.Container(CosmosSchema.Products).ReadOrNullAsync<Product>(productId, productId, ct))?.Value;
        return product?.Type == "product" ? new GroupBuyProductFacts(product.ShopId, product.Skus.ToDictionary(s => s.Id, s => s.ListPriceFen)) : null;
    }
}
