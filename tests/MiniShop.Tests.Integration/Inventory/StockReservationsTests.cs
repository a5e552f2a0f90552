using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Tests.Integration.Catalog;

namespace MiniShop.Tests.Integration.Inventory;

public class StockReservationsTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StockReservations Stock => services.Get<StockReservations>();

    private async Task<Product> NewProductAsync(long stock) => await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: stock), "op", Ct);

    private async Task<Sku> SkuAsync(Product p, int i) => (await services.Get<ProductAdminService>().GetAsync(p.Id, Ct)).Value.Skus[i];

    /// <summary>available + reserved + sold equals what the movements put in, for every SKU.</summary>
    private async Task AssertInvariantAsync(Product p, long opening)
    {
        var product = (await services.Get<ProductAdminService>().GetAsync(p.Id, Ct)).Value;
        var movements = await services.Get<CosmosDb>().Container(CosmosSchema.Products)
            .QueryAsync<StockMovement>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'stock-movement'"), p.Id, ct: Ct);
        foreach (var sku in product.Skus)
        {
            Assert.Equal(opening, sku.Stock.Available + sku.Stock.Reserved + sku.Stock.Sold);
            var mine = movements.Where(m => m.SkuId == sku.Id).ToList();
            Assert.Equal(sku.Stock.Available, mine.Sum(m => m.AvailableDelta));
            Assert.Equal(sku.Stock.Reserved, mine.Sum(m => m.ReservedDelta));
            Assert.Equal(sku.Stock.Sold, mine.Sum(m => m.SoldDelta));
        }
    }

    [Fact]
    public async Task Two_hundred_concurrent_orders_for_fifty_units_reserve_exactly_fifty()
    {
        var product = await NewProductAsync(50);
        var sku = product.Skus[0];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                await Stock.ReserveAsync($"ord-{i}", [new StockRequest(product.Id, sku.Id, 1)], Ct);
                return true;
            }
            catch (ConflictException e) when (e.Code == "insufficient_stock") { return false; }
        }));

        Assert.Equal(50, outcomes.Count(o => o));
        var after = await SkuAsync(product, 0);
        Assert.Equal(new SkuStock(0, 50, 0), after.Stock);
        await AssertInvariantAsync(product, 50);
    }

    [Fact]
    public async Task A_multi_sku_order_reserves_all_or_nothing()
    {
        var a = await NewProductAsync(5);
        var b = await NewProductAsync(1);

        var e = await Assert.ThrowsAsync<ConflictException>(() => Stock.ReserveAsync("ord-x",
            [new StockRequest(a.Id, a.Skus[0].Id, 2), new StockRequest(a.Skus.Count > 1 ? a.Id : a.Id, a.Skus[1].Id, 3), new StockRequest(b.Id, b.Skus[0].Id, 2)], Ct));

        Assert.Equal("insufficient_stock", e.Code);
        Assert.Equal(5, (await SkuAsync(a, 0)).Stock.Available);
        Assert.Equal(5, (await SkuAsync(a, 1)).Stock.Available);
        Assert.Equal(1, (await SkuAsync(b, 0)).Stock.Available);
        await AssertInvariantAsync(a, 5);
        await AssertInvariantAsync(b, 1);
    }

    [Fact]
    public async Task Retries_change_nothing_and_each_unit_is_settled_once()
    {
        var product = await NewProductAsync(10);
        var line = new StockRequest(product.Id, product.Skus[2].Id, 4);

        await Stock.ReserveAsync("ord-r", [line], Ct);
        await Stock.ReserveAsync("ord-r", [line], Ct);
        Assert.Equal(new SkuStock(6, 4, 0), (await SkuAsync(product, 2)).Stock);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Stock.CommitAsync("ord-r", [line], Ct)));
        await Stock.ReleaseAsync("ord-r", [line], "too late", Ct); // sold units are not released
        Assert.Equal(new SkuStock(6, 0, 4), (await SkuAsync(product, 2)).Stock);

        await Stock.ReturnAsync("ord-r", [line], "goods returned", Ct);
        await Stock.ReturnAsync("ord-r", [line], "goods returned", Ct);
        Assert.Equal(new SkuStock(10, 0, 0), (await SkuAsync(product, 2)).Stock);
        await AssertInvariantAsync(product, 10);
    }

    [Fact]
    public async Task Concurrent_releases_give_units_back_once()
    {
        var product = await NewProductAsync(3);
        var line = new StockRequest(product.Id, product.Skus[3].Id, 3);
        await Stock.ReserveAsync("ord-c", [line], Ct);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Stock.ReleaseAsync("ord-c", [line], "cancelled", Ct)));

        Assert.Equal(new SkuStock(3, 0, 0), (await SkuAsync(product, 3)).Stock);
        await AssertInvariantAsync(product, 3);
    }
}
