using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>ERP stock snapshots and deltas against the local server: reserved kept, movements written, idempotent, never below zero.</summary>
public sealed class ErpStockSyncTests(SyncServices s) : IClassFixture<SyncServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly PartnerIdentity Erp = new(SyncServices.PartnerId, new HashSet<string>());

    private ErpStockSync Sync => s.Get<ErpStockSync>();

    private async Task<List<StockMovement>> MovementsAsync(string productId, string skuId)
        => (await s.Get<CosmosDb>().Container(CosmosSchema.Products)
            .QueryAsync<StockMovement>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'stock-movement' AND c.skuId = @sku").WithParameter("@sku", skuId), productId, ct: Ct));

    private async Task AssertMovementsSumToStockAsync(string productId, string skuId)
    {
        var sku = (await s.ProductAsync(productId)).FindSku(skuId)!;
        var movements = await MovementsAsync(productId, skuId);
        Assert.Equal(sku.Stock.Available, movements.Sum(m => m.AvailableDelta));
        Assert.Equal(sku.Stock.Reserved, movements.Sum(m => m.ReservedDelta));
    }

    [Fact]
    public async Task A_snapshot_sets_available_keeps_reserved_and_records_the_difference_as_a_movement()
    {
        var product = await s.NewProductAsync(10);
        var sku = product.Skus[0];
        await s.Get<StockReservations>().ReserveAsync("ord_snap", [new StockRequest(product.Id, sku.Id, 3)], Ct);

        var result = await Sync.ApplyAsync(Erp, new ErpStockUpdate([new ErpStockSnapshot("shop-1", sku.Code.ToLowerInvariant(), 25)], null), Ct);
        var repeat = await Sync.ApplyAsync(Erp, new ErpStockUpdate([new ErpStockSnapshot("shop-1", sku.Code, 25)], null), Ct);

        var item = Assert.Single(result.Results);
        Assert.Equal(("snapshot", "applied", 25L), (item.Kind, item.Status, item.Available!.Value));
        Assert.Equal("unchanged", Assert.Single(repeat.Results).Status);
        var after = (await s.ProductAsync(product.Id)).FindSku(sku.Id)!;
        Assert.Equal(new SkuStock(25, 3, 0), after.Stock);
        var movement = Assert.Single(await MovementsAsync(product.Id, sku.Id), m => m.Id == item.MovementId);
        Assert.Equal(25 - 7, movement.AvailableDelta);
        Assert.Equal(0, movement.ReservedDelta);
        Assert.Equal($"partner:{SyncServices.PartnerId}", movement.Actor);
        await AssertMovementsSumToStockAsync(product.Id, sku.Id);
    }

    [Fact]
    public async Task Snapshots_racing_reservations_re_check_the_old_value_and_never_lose_a_reservation()
    {
        var product = await s.NewProductAsync(100);
        var sku = product.Skus[1];
        var reservations = Enumerable.Range(0, 20).Select(i =>
            s.Get<StockReservations>().ReserveAsync($"ord_race_{i}", [new StockRequest(product.Id, sku.Id, 1)], Ct));
        var snapshots = Enumerable.Range(0, 5).Select(_ => Sync.ApplyAsync(Erp, new ErpStockUpdate([new ErpStockSnapshot("shop-1", sku.Code, 50)], null), Ct));

        await Task.WhenAll(reservations.Concat<Task>(snapshots));

        var after = (await s.ProductAsync(product.Id)).FindSku(sku.Id)!;
        Assert.Equal(20, after.Stock.Reserved);
        await AssertMovementsSumToStockAsync(product.Id, sku.Id);
    }

    [Fact]
    public async Task Deltas_are_idempotent_by_reference_and_never_take_stock_below_zero()
    {
        var product = await s.NewProductAsync(5);
        var sku = product.Skus[2];
        var other = product.Skus[3];
        var update = new ErpStockUpdate(null,
        [
            new ErpStockDelta("shop-1", sku.Code, 10, "GR-1001"),
            new ErpStockDelta("shop-1", other.Code, 4, "GR-1001"), // same receipt, another SKU: its own movement
        ]);

        var first = await Sync.ApplyAsync(Erp, update, Ct);
        var again = await Sync.ApplyAsync(Erp, update, Ct);
        var tooMuch = await Sync.ApplyAsync(Erp, new ErpStockUpdate(null, [new ErpStockDelta("shop-1", sku.Code, -16, "ADJ-1")]), Ct);
        var exact = await Sync.ApplyAsync(Erp, new ErpStockUpdate(null, [new ErpStockDelta("shop-1", sku.Code, -15, "ADJ-2")]), Ct);

        Assert.Equal(["applied", "applied"], first.Results.Select(r => r.Status));
        Assert.Equal(15, first.Results[0].Available);
        Assert.Equal(["duplicate", "duplicate"], again.Results.Select(r => r.Status));
        Assert.Equal("insufficient_stock", Assert.Single(tooMuch.Results).Status);
        Assert.Equal(("applied", 0L), (Assert.Single(exact.Results).Status, exact.Results[0].Available!.Value));
        var fresh = await s.ProductAsync(product.Id);
        Assert.Equal(0, fresh.FindSku(sku.Id)!.Stock.Available);
        Assert.Equal(9, fresh.FindSku(other.Id)!.Stock.Available);
        await AssertMovementsSumToStockAsync(product.Id, sku.Id);
        await AssertMovementsSumToStockAsync(product.Id, other.Id);
    }

    [Fact]
    public async Task Each_item_reports_its_own_outcome()
    {
        var product = await s.NewProductAsync(5);
        var shop2 = await s.NewProductAsync(5, "shop-2");
        var limited = new PartnerIdentity("erp-shop2", new HashSet<string> { "shop-2" });

        var result = await Sync.ApplyAsync(limited, new ErpStockUpdate(
            [
                new ErpStockSnapshot("shop-2", shop2.Skus[0].Code, 7),
                new ErpStockSnapshot("shop-1", product.Skus[0].Code, 7),
                new ErpStockSnapshot("shop-2", "NO-SUCH-CODE", 7),
                new ErpStockSnapshot("shop-2", shop2.Skus[1].Code, -1),
            ],
            [new ErpStockDelta("shop-2", shop2.Skus[1].Code, 3, "bad ref!"), new ErpStockDelta("shop-2", shop2.Skus[1].Code, 0, "R0")]), Ct);

        Assert.Equal(["applied", "forbidden", "not_found", "invalid", "invalid", "invalid"], result.Results.Select(r => r.Status));
        Assert.Equal([0, 1, 2, 3, 0, 1], result.Results.Select(r => r.Index));
        Assert.Equal(5, (await s.ProductAsync(product.Id)).Skus[0].Stock.Available);
        Assert.Equal(7, (await s.ProductAsync(shop2.Id)).Skus[0].Stock.Available);
        await Assert.ThrowsAsync<ValidationException>(() => Sync.ApplyAsync(Erp, new ErpStockUpdate([], []), Ct));
    }
}
