namespace MiniShop.Domain.Catalog;

/// <summary>A node of the category tree. <see cref="Path"/> lists the ancestors from the root, so a subtree is one filter.</summary>
public sealed record Category(
    string Id,
    string? ParentId,
    string Name,
    int Sort,
    string? IconUrl,
    IReadOnlyList<string> Path,
    long Version,
    DateTimeOffset UpdatedAt)
{
    public string Kind => CatalogMetaKinds.Category;

    public int Depth => Path.Count;

    /// <summary>This category and its ancestors: what a product in it is filed under.</summary>
    public IEnumerable<string> SelfAndAncestors => Path.Append(Id);
}

public static class CatalogMetaKinds
{
    public const string Category = "category";
    public const string MemberLevel = "member-level";
}

/// <summary>A category with its children, ordered by sort then name.</summary>
public sealed record CategoryNode(string Id, string Name, int Sort, string? IconUrl, IReadOnlyList<CategoryNode> Children);

public static class CategoryTree
{
    public static IReadOnlyList<CategoryNode> Build(IEnumerable<Category> categories)
    {
        var byParent = categories.ToLookup(c => c.ParentId ?? "");
        IReadOnlyList<CategoryNode> Children(string parentId)
            => byParent[parentId].OrderBy(c => c.Sort).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new CategoryNode(c.Id, c.Name, c.Sort, c.IconUrl, Children(c.Id))).ToList();
        return Children("");
    }
}
