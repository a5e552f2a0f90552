using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Domain.Presales;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Presales;

public sealed record PresaleResults(string PresaleId, int Deposits, int BalancesPaid, int Forfeited, long DepositFen, long BalanceFen);

/// <summary>Operators' presales: create, edit before the deposit window opens, pause, end; and how each did.</summary>
public sealed class PresaleAdminService(CosmosDb db, TimeProvider time)
{
    private Container Presales => db.Container(CosmosSchema.Presales);

    public async Task<Versioned<Presale>> GetAsync(string id, CancellationToken ct)
        => await Presales.ReadOrNullAsync<Presale>(id, id, ct) ?? throw new NotFoundException("Presale", id);

    public async Task<IReadOnlyList<Presale>> ListAsync(string shopId, CancellationToken ct)
        => await Presales.QueryAsync<Presale>(new QueryDefinition("SELECT * FROM c WHERE c.shopId = @s").WithParameter("@s", shopId), null, ct: ct);

    public async Task<Presale> CreateAsync(PresaleDraft draft, CancellationToken ct)
    {
        var presale = PresaleRules.Build(Ids.New("pre"), draft, await LowestPriceAsync(draft, ct), time.GetUtcNow(), null);
        await Presales.CreateItemAsync(presale, new PartitionKey(presale.Id), cancellationToken: ct);
        return presale;
    }

    public async Task<Presale> UpdateAsync(string id, PresaleDraft draft, long expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        if (draft.ShopId is not null && draft.ShopId != current.Value.ShopId) throw ValidationException.For("shopId", "cannot change.");
        var updated = PresaleRules.Build(id, draft with { ShopId = current.Value.ShopId }, await LowestPriceAsync(draft, ct), time.GetUtcNow(), current.Value);
        await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    public async Task<Presale> SetStatusAsync(string id, PresaleStatus status, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Status == PresaleStatus.Ended) throw new ConflictException("presale_ended", "The presale has ended.");
        var updated = current.Value with { Status = status, Version = current.Value.Version + 1 };
        await ReplaceAsync(updated, current.ETag, ct);
        return updated;
    }

    public async Task<PresaleResults> ResultsAsync(Presale presale, CancellationToken ct)
    {
        var orders = await db.Container(CosmosSchema.Members).QueryAsync<Order>(new QueryDefinition(
            "SELECT * FROM c WHERE c.type = 'order' AND c.activity.kind = 'presale' AND c.activity.activityId = @p").WithParameter("@p", presale.Id), null, ct: ct);
        var deposited = orders.Where(o => o.PaidAt is not null).ToList();
        return new PresaleResults(presale.Id, deposited.Count, deposited.Count(o => o.Presale?.BalanceFen is not null),
            deposited.Count(o => o.Status == OrderStatus.Closed && o.Presale?.BalanceFen is null),
            deposited.Sum(o => o.Presale?.DepositFen ?? 0), deposited.Sum(o => o.Presale?.BalanceFen ?? 0));
    }

    private async Task<long?> LowestPriceAsync(PresaleDraft d, CancellationToken ct)
    {
        if (d.ProductId is null) return null;
        var product = (await db.Container(CosmosSchema.Products).ReadOrNullAsync<Product>(d.ProductId, d.ProductId, ct))?.Value;
        if (product is null || product.ShopId != d.ShopId) return null;
        var skus = d.SkuIds is { Count: > 0 } ids ? product.Skus.Where(s => ids.Contains(s.Id)).ToList() : product.Skus.ToList();
        if (skus.Count == 0 || (d.SkuIds is { Count: > 0 } && skus.Count != d.SkuIds.Distinct().Count())) return null;
        return skus.Min(s => s.ListPriceFen);
    }

    private async Task ReplaceAsync(Presale presale, string etag, CancellationToken ct)
    {
        try { await Presales.ReplaceItemAsync(presale, presale.Id, new PartitionKey(presale.Id), new ItemRequestOptions { IfMatchEtag = etag }, ct); }
        catch (CosmosException e) when (e.IsPreconditionFailed()) { throw new PreconditionFailedException(); }
    }
}
