using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

/// <summary>Member levels, read from one small partition and cached briefly: they change a few times a year.</summary>
public sealed class MemberLevelDirectory(CosmosDb db, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (DateTimeOffset At, IReadOnlyList<MemberLevel> Levels)? _cache;

    public async Task<IReadOnlyList<MemberLevel>> AllAsync(CancellationToken ct)
    {
        if (_cache is { } c && time.GetUtcNow() - c.At < CacheFor) return c.Levels;
        var levels = await db.Container(CosmosSchema.CatalogMeta).QueryAsync<MemberLevel>(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind").WithParameter("@kind", CatalogMetaKinds.MemberLevel),
            CatalogMetaKinds.MemberLevel, ct: ct);
        var ordered = levels.OrderBy(l => l.Rank).ToList();
        _cache = (time.GetUtcNow(), ordered);
        return ordered;
    }

    /// <summary>The level a new member starts at: the lowest rank.</summary>
    public async Task<MemberLevel?> DefaultLevelAsync(CancellationToken ct) => (await AllAsync(ct)).FirstOrDefault();

    public void Invalidate() => _cache = null;

    public async Task<MemberLevel> UpsertAsync(MemberLevel level, CancellationToken ct)
    {
        await db.Container(CosmosSchema.CatalogMeta).UpsertItemAsync(level, new PartitionKey(CatalogMetaKinds.MemberLevel), cancellationToken: ct);
        Invalidate();
        return level;
    }
}
