namespace MiniShop.Domain.Catalog;

/// <summary>A member level (e.g. 普通, 银卡, 金卡). SKUs may carry a price per level; growth decides the level.</summary>
public sealed record MemberLevel(string Id, string Name, int Rank, long MinGrowth, long Version)
{
    public string Kind => CatalogMetaKinds.MemberLevel;
}
