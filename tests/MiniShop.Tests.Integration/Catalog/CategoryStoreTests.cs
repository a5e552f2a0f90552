using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Tests.Integration.Catalog;

public class CategoryStoreTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CategoryStore Store => services.Get<CategoryStore>();

    [Fact]
    public async Task A_child_records_its_ancestors_and_siblings_need_distinct_names()
    {
        var child = await Store.CreateAsync(new CategoryDraft("polo", "tops", "Polo", 3, null), Ct);
        Assert.Equal(["apparel", "tops"], child.Path);

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store.CreateAsync(new CategoryDraft(null, "tops", "polo", 4, null), Ct));
        Assert.Contains("name", error.Errors.Keys);
        Assert.Contains("parentId", (await Assert.ThrowsAsync<ValidationException>(() => Store.CreateAsync(new CategoryDraft(null, "nope", "X", 1, null), Ct))).Errors.Keys);
    }

    [Fact]
    public async Task Updates_need_the_current_version_and_a_move_takes_the_sub_tree_along()
    {
        var c = await Store.CreateAsync(new CategoryDraft("caps", "apparel", "Caps", 9, null), Ct);
        var child = await Store.CreateAsync(new CategoryDraft("caps-kids", "caps", "Kids", 1, null), Ct);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, "apparel", "Hats", 9, null), 99, Ct));

        var (renamed, moved) = await Store.UpdateAsync(c.Id, new CategoryDraft(null, "apparel", "Hats", 1, null), c.Version, Ct);
        Assert.Equal(("Hats", 2L, false), (renamed.Name, renamed.Version, moved));

        // Under its own child, or too deep: refused, nothing changed.
        Assert.Contains("parentId", (await Assert.ThrowsAsync<ValidationException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, "caps-kids", "Hats", 1, null), 2, Ct))).Errors.Keys);
        Assert.Contains("parentId", (await Assert.ThrowsAsync<ValidationException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, "nope", "Hats", 1, null), 2, Ct))).Errors.Keys);
        var deep = await Store.CreateAsync(new CategoryDraft("deep-1", null, "Deep 1", 1, null), Ct);
        for (var n = 2; n < CategoryStore.MaxDepth; n++) await Store.CreateAsync(new CategoryDraft($"deep-{n}", $"deep-{n - 1}", $"Deep {n}", 1, null), Ct);
        var deepest = $"deep-{CategoryStore.MaxDepth - 1}"; // at the last level: caps' child would go one below it
        Assert.Contains("parentId", (await Assert.ThrowsAsync<ValidationException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, deepest, "Hats", 1, null), 2, Ct))).Errors.Keys);

        var (movedNode, didMove) = await Store.UpdateAsync(c.Id, new CategoryDraft(null, "tea", "Hats", 1, null), 2, Ct);
        Assert.True(didMove);
        Assert.Equal("tea", movedNode.ParentId);
        Assert.Equal(["tea"], movedNode.Path);
        var all = await Store.ListAsync(Ct);
        Assert.Equal(["tea", "caps"], all.Single(x => x.Id == child.Id).Path);
        Assert.Equal(deep.Path, all.Single(x => x.Id == "deep-1").Path);
    }

    [Fact]
    public async Task Only_empty_leaf_categories_can_be_deleted()
    {
        var leaf = await Store.CreateAsync(new CategoryDraft("socks", "apparel", "Socks", 5, null), Ct);
        await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(category: "socks"), "op", Ct);
        Assert.Equal("category_in_use", (await Assert.ThrowsAsync<ConflictException>(() => Store.DeleteAsync("socks", leaf.Version, Ct))).Code);
        Assert.Equal("category_has_children", (await Assert.ThrowsAsync<ConflictException>(() => Store.DeleteAsync("apparel", 1, Ct))).Code);

        var empty = await Store.CreateAsync(new CategoryDraft("empty", null, "Empty", 5, null), Ct);
        await Store.DeleteAsync(empty.Id, empty.Version, Ct);
        Assert.DoesNotContain(await Store.ListAsync(Ct), x => x.Id == "empty");
    }
}
