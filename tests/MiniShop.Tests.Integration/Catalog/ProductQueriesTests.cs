using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Tests.Integration.Catalog;

public class ProductQueriesTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> PublishAsync(int count, string shopId, string category, string tag, long basePrice)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var p = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(shopId, category, basePrice + (i % 4) * 100, title: $"{tag} item {i}", tags: [tag]), "op", Ct);
            await services.Get<ProductAdminService>().PublishAsync(p.Id, null, Ct);
            ids.Add(p.Id);
        }
        return ids;
    }

    private async Task<List<ProductCard>> AllPagesAsync(ProductListQuery query)
    {
        var all = new List<ProductCard>();
        string? cursor = null;
        do
        {
            var page = await services.Get<ProductQueries>().ListAsync(query with { Cursor = cursor }, Ct);
            Assert.True(page.Items.Count <= query.Take);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    [Theory]
    [InlineData(ProductSort.Price)]
    [InlineData(ProductSort.PriceDesc)]
    [InlineData(ProductSort.Newest)]
    [InlineData(ProductSort.Sales)]
    public async Task Paging_returns_every_match_once_in_order(ProductSort sort)
    {
        var tag = $"page{sort}";
        var ids = await PublishAsync(11, "shop-1", "tshirts", tag, 5000);

        var all = await AllPagesAsync(new ProductListQuery(null, tag, null, null, sort, null, 3));

        Assert.Equal(ids.Order(), all.Select(c => c.Id).Order());
        var keys = all.Select(c => sort switch { ProductSort.Price or ProductSort.PriceDesc => c.MinPriceFen, ProductSort.Sales => c.Sales, _ => c.PublishedAt }).ToList();
        var expected = sort == ProductSort.Price ? keys.Order() : keys.OrderDescending();
        Assert.Equal(expected, keys);
    }

    [Fact]
    public async Task A_parent_category_includes_its_subtree_and_search_matches_text()
    {
        var tag = "subtree";
        var tees = await PublishAsync(2, "shop-2", "tshirts", tag, 3000);
        var teas = await PublishAsync(1, "shop-2", "tea", tag, 3000);

        var apparel = await AllPagesAsync(new ProductListQuery("apparel", tag, null, null, ProductSort.Newest, null, 10));
        Assert.Equal(tees.Order(), apparel.Select(c => c.Id).Order());
        var found = await AllPagesAsync(new ProductListQuery(null, null, "SUBTREE ITEM 0", "shop-2", ProductSort.Newest, null, 10));
        Assert.Equal(2, found.Count); // one tee and one tea are each "item 0"
        Assert.Contains(teas[0], found.Select(c => c.Id));
    }

    [Fact]
    public async Task A_cursor_from_another_filter_or_a_forged_one_is_a_400()
    {
        await PublishAsync(3, "shop-1", "tshirts", "cursor", 1000);
        var page = await services.Get<ProductQueries>().ListAsync(new ProductListQuery(null, "cursor", null, null, ProductSort.Price, null, 1), Ct);

        var reused = await Assert.ThrowsAsync<ValidationException>(() => services.Get<ProductQueries>().ListAsync(new ProductListQuery(null, "other", null, null, ProductSort.Price, page.NextCursor, 1), Ct));
        Assert.Contains("cursor", reused.Errors.Keys);
        await Assert.ThrowsAsync<ValidationException>(() => services.Get<ProductQueries>().ListAsync(new ProductListQuery(null, null, null, null, ProductSort.Price, "garbage!", 1), Ct));
    }

    [Fact]
    public async Task Unpublished_products_are_not_found_by_shoppers()
    {
        var draft = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(), "op", Ct);
        await Assert.ThrowsAsync<NotFoundException>(() => services.Get<ProductQueries>().GetPublishedAsync(draft.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => services.Get<ProductQueries>().GetPublishedAsync("prd-missing", Ct));
    }
}
