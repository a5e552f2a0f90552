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
    public async Task Updates_need_the_current_version_and_cannot_move_a_node()
    {
        var c = await Store.CreateAsync(new CategoryDraft("caps", "apparel", "Caps", 9, null), Ct);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, "apparel", "Hats", 9, null), 99, Ct));
        Assert.Contains("parentId", (await Assert.ThrowsAsync<ValidationException>(() => Store.UpdateAsync(c.Id, new CategoryDraft(null, "tea", "Hats", 9, null), c.Version, Ct))).Errors.Keys);

        var renamed = await Store.UpdateAsync(c.Id, new CategoryDraft(null, "apparel", "Hats", 1, null), c.Version, Ct);
        Assert.Equal(("Hats", 2L), (renamed.Name, renamed.Version));
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
