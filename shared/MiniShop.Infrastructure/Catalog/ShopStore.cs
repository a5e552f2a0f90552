using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

public sealed record ShopDraft(string? Name, string? Description, string? LogoUrl, ShopStatus? Status);

public sealed class ShopStore(CosmosDb db, TimeProvider time)
{
    private Container Shops => db.Container(CosmosSchema.Shops);

    public async Task<Shop> GetAsync(string id, CancellationToken ct)
        => (await Shops.ReadOrNullAsync<Shop>(id, id, ct))?.Value ?? throw new NotFoundException("Shop", id);

    public async Task<Shop?> FindAsync(string id, CancellationToken ct) => (await Shops.ReadOrNullAsync<Shop>(id, id, ct))?.Value;

    public async Task<IReadOnlyList<Shop>> ListAsync(CancellationToken ct)
        => await Shops.QueryAsync<Shop>(new QueryDefinition("SELECT * FROM c"), null, ct: ct);

    public async Task<Shop> CreateAsync(string? id, ShopDraft draft, CancellationToken ct)
    {
        Validate(draft);
        var shop = new Shop(id ?? Ids.New("shop"), draft.Name!.Trim(), draft.Description, draft.LogoUrl, draft.Status ?? ShopStatus.Active, 1, time.GetUtcNow());
        if (!await Shops.TryCreateAsync(shop, shop.Id, ct)) throw new ConflictException("shop_exists", $"Shop '{shop.Id}' already exists.");
        return shop;
    }

    public async Task<Shop> UpdateAsync(string id, ShopDraft draft, long expectedVersion, CancellationToken ct)
    {
        Validate(draft);
        var current = await Shops.ReadOrNullAsync<Shop>(id, id, ct) ?? throw new NotFoundException("Shop", id);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var updated = current.Value with
        {
            Name = draft.Name!.Trim(), Description = draft.Description, LogoUrl = draft.LogoUrl,
            Status = draft.Status ?? current.Value.Status, Version = current.Value.Version + 1,
        };
        try
        {
            await Shops.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
        return updated;
    }

    private static void Validate(ShopDraft d)
        => new Validator().Required(d.Name, "name", 60).Optional(d.Description, "description", 2000).Url(d.LogoUrl, "logoUrl").ThrowIfInvalid();
}
