using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Catalog;

public sealed record CategoryDraft(string? Id, string? ParentId, string? Name, int? Sort, string? IconUrl);

/// <summary>The category tree: every node in one small partition, so the whole tree is one single-partition query.</summary>
public sealed class CategoryStore(CosmosDb db, TimeProvider time)
{
    /// <summary>
    /// Deep enough for any real tree (marketplaces use 3-4 levels); only a guard against runaway data, since every
    /// storefront card carries its categories' whole paths.
    /// </summary>
    public const int MaxDepth = 20;

    /// <summary>A move rewrites the node and its descendants in one transactional batch (at most 100 operations).</summary>
    public const int MaxMovedAtOnce = 100;

    private Container Meta => db.Container(CosmosSchema.CatalogMeta);

    private static PartitionKey Pk => new(CatalogMetaKinds.Category);

    public async Task<IReadOnlyList<Category>> ListAsync(CancellationToken ct)
        => await Meta.QueryAsync<Category>(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind").WithParameter("@kind", CatalogMetaKinds.Category),
            CatalogMetaKinds.Category, ct: ct);

    public async Task<Versioned<Category>> GetAsync(string id, CancellationToken ct)
        => await Meta.ReadOrNullAsync<Category>(id, CatalogMetaKinds.Category, ct) ?? throw new NotFoundException("Category", id);

    public async Task<Category> CreateAsync(CategoryDraft draft, CancellationToken ct)
    {
        var all = await ListAsync(ct);
        var v = Validate(draft, all, selfId: null, checkParentDepth: true);
        if (draft.Id is not null) v.Check(IsSlug(draft.Id), "id", "must be 1-64 letters, digits, '-' or '_'.");
        v.ThrowIfInvalid();

        var parent = draft.ParentId is null ? null : all.First(c => c.Id == draft.ParentId);
        var path = parent is null ? new List<string>() : parent.Path.Append(parent.Id).ToList();
        var category = new Category(draft.Id ?? Ids.New("cat"), draft.ParentId, draft.Name!.Trim(), draft.Sort ?? 0, draft.IconUrl, path, 1, time.GetUtcNow());
        if (!await Meta.TryCreateAsync(category, CatalogMetaKinds.Category, ct))
            throw new ConflictException("category_exists", $"Category '{category.Id}' already exists.");
        return category;
    }

    /// <summary>
    /// Renames, re-sorts, changes the icon, or moves the node (with its sub-tree) under another parent: the node and
    /// every descendant get their new path in one transactional batch. Returns the category and whether it moved (the
    /// caller then re-files the storefront cards under it).
    /// </summary>
    public async Task<(Category Category, bool Moved)> UpdateAsync(string id, CategoryDraft draft, long expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var all = await ListAsync(ct);
        var v = Validate(draft, all, selfId: id, checkParentDepth: false);
        var moved = draft.ParentId != current.Value.ParentId;
        var subtree = all.Where(c => c.Path.Contains(id)).ToList();
        var parent = draft.ParentId is null ? null : all.FirstOrDefault(c => c.Id == draft.ParentId);
        if (moved && (parent is not null || draft.ParentId is null))
        {
            v.Check(draft.ParentId != id && !subtree.Any(c => c.Id == draft.ParentId), "parentId", "cannot be the category itself or one of its sub-categories.");
            var newDepth = parent is null ? 0 : parent.Depth + 1;
            var deepest = subtree.Select(c => c.Depth - current.Value.Depth).DefaultIfEmpty(0).Max();
            v.Check(newDepth + deepest < MaxDepth, "parentId", $"the tree is at most {MaxDepth} levels deep; this sub-tree would go deeper.");
            v.Check(subtree.Count < MaxMovedAtOnce, "parentId", $"a sub-tree of more than {MaxMovedAtOnce - 1} categories cannot be moved at once.");
        }
        v.ThrowIfInvalid();

        var now = time.GetUtcNow();
        var newPath = parent is null ? new List<string>() : parent.Path.Append(parent.Id).ToList();
        var updated = current.Value with
        {
            ParentId = draft.ParentId, Path = moved ? newPath : current.Value.Path,
            Name = draft.Name!.Trim(), Sort = draft.Sort ?? current.Value.Sort, IconUrl = draft.IconUrl,
            Version = current.Value.Version + 1, UpdatedAt = now,
        };
        if (!moved)
        {
            await ReplaceAsync(updated, current.ETag, ct);
            return (updated, false);
        }

        // Each descendant keeps the part of its path below the moved node, behind the node's new path.
        var batch = Meta.CreateTransactionalBatch(Pk).ReplaceItem(id, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = current.ETag });
        foreach (var child in subtree)
        {
            var below = child.Path.SkipWhile(p => p != id).ToList();
            var fresh = await GetAsync(child.Id, ct);
            batch.ReplaceItem(child.Id, fresh.Value with { Path = newPath.Concat(below).ToList(), Version = fresh.Value.Version + 1, UpdatedAt = now },
                new TransactionalBatchItemRequestOptions { IfMatchEtag = fresh.ETag });
        }
        using var response = await batch.ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            if (OptimisticRetry.IsLostRace(OptimisticRetry.FailedStatus(response))) throw new PreconditionFailedException();
            throw new InvalidOperationException($"Category move failed: {response.StatusCode} {response.ErrorMessage}");
        }
        return (updated, true);
    }

    public async Task DeleteAsync(string id, long expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current.Value.Version != expectedVersion) throw new PreconditionFailedException();
        var all = await ListAsync(ct);
        if (all.Any(c => c.ParentId == id))
            throw new ConflictException("category_has_children", "Delete or empty the sub-categories first.");
        var used = await db.Container(CosmosSchema.Products).QueryAsync<int>(
            new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'product' AND ARRAY_CONTAINS(c.categoryIds, @id)").WithParameter("@id", id), null, ct: ct);
        if (used.Sum() > 0) throw new ConflictException("category_in_use", $"{used.Sum()} product(s) are filed under this category.");
        try
        {
            await Meta.DeleteItemAsync<Category>(id, Pk, new ItemRequestOptions { IfMatchEtag = current.ETag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
    }

    private async Task ReplaceAsync(Category category, string etag, CancellationToken ct)
    {
        try
        {
            await Meta.ReplaceItemAsync(category, category.Id, Pk, new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new PreconditionFailedException();
        }
    }

    private static Validator Validate(CategoryDraft d, IReadOnlyList<Category> all, string? selfId, bool checkParentDepth)
    {
        var v = new Validator().Required(d.Name, "name", 30).Url(d.IconUrl, "iconUrl");
        v.Check(d.Sort is null or >= 0 and <= 100_000, "sort", "must be between 0 and 100000.");
        if (d.ParentId is not null)
        {
            var parent = all.FirstOrDefault(c => c.Id == d.ParentId);
            if (parent is null) v.Add("parentId", "is not a known category.");
            else if (checkParentDepth) v.Check(parent.Depth + 1 < MaxDepth, "parentId", $"the tree is at most {MaxDepth} levels deep.");
        }
        if (d.Name is not null)
            v.Check(!all.Any(c => c.ParentId == d.ParentId && c.Id != selfId && string.Equals(c.Name, d.Name.Trim(), StringComparison.OrdinalIgnoreCase)),
                "name", "a sibling category already has this name.");
        return v;
    }

    private static bool IsSlug(string s) => s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
