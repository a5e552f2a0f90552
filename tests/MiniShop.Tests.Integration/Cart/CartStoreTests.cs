using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cart;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Tests.Integration.Catalog;

namespace MiniShop.Tests.Integration.Cart;

public class CartStoreTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CartStore Carts => services.Get<CartStore>();

    private static string NewMember() => Ids.New("mbr");

    private async Task<Product> PublishedAsync(string shopId = "shop-1", long stock = 50, int? maxPerOrder = null)
    {
        var draft = CatalogServices.Draft(shopId, stock: stock);
        if (maxPerOrder is not null) draft = draft with { Skus = draft.Skus!.Select(s => s with { MaxPerOrder = maxPerOrder }).ToList() };
        var admin = services.Get<ProductAdminService>();
        var product = await admin.CreateAsync(draft, "test", Ct);
        return await admin.PublishAsync(product.Id, null, Ct);
    }

    [Fact]
    public async Task Concurrent_adds_from_ten_tasks_all_land()
    {
        var member = NewMember();
        var products = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishedAsync()));
        var skus = products.SelectMany(p => p.Skus.Select(s => (p.Id, s.Id))).Take(10).ToList();

        await Task.WhenAll(skus.Select(s => Carts.AddAsync(member, null, new AddCartItemRequest(s.Item1, s.Item2, 2), Ct)));

        var cart = await Carts.GetAsync(member, Ct);
        Assert.Equal(10, cart.Lines.Count);
        Assert.All(cart.Lines, l => Assert.Equal(2, l.Quantity));
        Assert.Equal(10, cart.Version);
        Assert.Equal(10, cart.Lines.Select(l => l.LineId).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_adds_of_one_sku_merge_into_one_line_without_losing_any()
    {
        var member = NewMember();
        var product = await PublishedAsync();
        var sku = product.Skus[0].Id;

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Carts.AddAsync(member, null, new AddCartItemRequest(product.Id, sku, 1), Ct)));

        Assert.Equal(10, Assert.Single((await Carts.GetAsync(member, Ct)).Lines).Quantity);
    }

    [Fact]
    public async Task The_limit_holds_under_concurrency()
    {
        var member = NewMember();
        var product = await PublishedAsync(maxPerOrder: 5);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try { await Carts.AddAsync(member, null, new AddCartItemRequest(product.Id, product.Skus[0].Id, 1), Ct); return true; }
            catch (BusinessRuleException e) when (e.Code == "purchase_limit") { return false; }
        }));

        Assert.Equal(5, outcomes.Count(o => o));
        Assert.Equal(5, Assert.Single((await Carts.GetAsync(member, Ct)).Lines).Quantity);
    }

    [Fact]
    public async Task Remove_lines_is_idempotent_and_leaves_the_rest()
    {
        var member = NewMember();
        var product = await PublishedAsync();
        foreach (var sku in product.Skus.Take(3))
            await Carts.AddAsync(member, null, new AddCartItemRequest(product.Id, sku.Id, 1), Ct);
        var lines = (await Carts.GetAsync(member, Ct)).Lines;

        var removed = await Carts.RemoveLinesAsync(member, [lines[0].LineId, lines[1].LineId], Ct);
        var again = await Carts.RemoveLinesAsync(member, [lines[0].LineId, "line_unknown"], Ct);

        Assert.Equal(lines[2].LineId, Assert.Single(again.Lines).LineId);
        Assert.Equal(removed.Version, again.Version); // the repeated removal wrote nothing
        Assert.Equal(again.Version, (await Carts.GetAsync(member, Ct)).Version);
        await Carts.RemoveLinesAsync(NewMember(), ["anything"], Ct); // a member without a cart
    }

    [Fact]
    public async Task The_summary_reads_the_products_and_prices_for_the_level()
    {
        var member = NewMember();
        var product = await PublishedAsync("shop-2");
        await Carts.AddAsync(member, "L2", new AddCartItemRequest(product.Id, product.Skus[1].Id, 2), Ct);

        var summary = await services.Get<CartQueries>().SummaryAsync(member, "L2", Ct);

        var shop = Assert.Single(summary.Shops);
        Assert.Equal(("shop-2", "Shop Two"), (shop.ShopId, shop.ShopName));
        var line = Assert.Single(shop.Lines);
        Assert.Equal(9_400, line.UnitPriceFen); // the L2 price of the draft (price - 500)
        Assert.False(line.PriceChanged);
        Assert.Equal(CartLineAvailability.Available, line.Availability);
        Assert.Equal(18_800, summary.SelectedTotalFen);
    }

    [Fact]
    public async Task Unknown_and_unbuyable_products_are_refused()
    {
        var member = NewMember();
        var draft = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(), "test", Ct);

        Assert.Contains("productId", (await Assert.ThrowsAsync<ValidationException>(() => Carts.AddAsync(member, null, new AddCartItemRequest("prd_nope", "sku_x", 1), Ct))).Errors.Keys);
        Assert.Contains("productId", (await Assert.ThrowsAsync<ValidationException>(() => Carts.AddAsync(member, null, new AddCartItemRequest("bad/id", "sku_x", 1), Ct))).Errors.Keys);
        Assert.Contains("productId", (await Assert.ThrowsAsync<ValidationException>(() => Carts.AddAsync(member, null, new AddCartItemRequest(draft.Id, draft.Skus[0].Id, 1), Ct))).Errors.Keys);
        Assert.Empty((await Carts.GetAsync(member, Ct)).Lines);
    }
}
