using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Tests.Integration.Catalog;

namespace MiniShop.Tests.Integration.FlashSales;

/// <summary>The shard pool against the local Cosmos server: concurrency, multi-shard takes, the end of a session, the stock invariant.</summary>
public class FlashStockTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FlashStock Stock => services.Get<FlashStock>();

    private FlashSaleAdminService Admin => services.Get<FlashSaleAdminService>();

    private async Task<(Product Product, FlashSaleSession Session)> NewSaleAsync(long productStock, long flashStock, int limit = 5)
    {
        var product = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: productStock), "op", Ct);
        var now = DateTimeOffset.UtcNow;
        var session = await Admin.CreateAsync(new FlashSaleDraft("shop-1", "Flash", now, now.AddHours(1),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 100, flashStock, limit, false)]), "op", Ct);
        return (product, session);
    }

    private static ActivityRef Ref(FlashSaleSession s) => new(ActivityRef.FlashSale, s.Id);

    private static IReadOnlyList<StockRequest> Lines(FlashSaleItem item, long q) => [new StockRequest(item.ProductId, item.SkuId, q)];

    /// <summary>
    /// Invariant: the product's available + reserved + sold plus the sale's remaining + held + sold is what the product
    /// was given (opening stock), and the product's movements sum to the product's own stock.
    /// </summary>
    private async Task AssertInvariantAsync(Product p, FlashSaleSession s, long opening)
    {
        var product = (await services.Get<ProductAdminService>().GetAsync(p.Id, Ct)).Value;
        var sku = product.Skus[0];
        var shards = await Stock.ReadShardsAsync(s.Id, s.Items[0], Ct);
        Assert.All(shards, x => Assert.True(x.Remaining >= 0 && x.Held >= 0 && x.Sold >= 0, $"negative shard {x}"));
        Assert.All(shards, x => Assert.Equal(x.Allocated, x.Remaining + x.Held + x.Sold + x.ReturnedAtEnd + x.ReturnedLater));
        Assert.Equal(opening, sku.Stock.Available + sku.Stock.Reserved + sku.Stock.Sold + shards.Sum(x => x.Remaining + x.Held + x.Sold));
        var movements = await services.Get<CosmosDb>().Container(CosmosSchema.Products)
            .QueryAsync<StockMovement>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'stock-movement' AND c.skuId = @sku").WithParameter("@sku", sku.Id), p.Id, ct: Ct);
        Assert.Equal(sku.Stock.Available, movements.Sum(m => m.AvailableDelta));
        Assert.Equal(sku.Stock.Reserved + sku.Stock.Sold, movements.Sum(m => m.ReservedDelta + m.SoldDelta));
    }

    [Fact]
    public async Task Creating_a_session_moves_the_flash_stock_out_of_the_product_into_shards()
    {
        var (product, session) = await NewSaleAsync(150, 100);

        var item = Assert.Single(session.Items);
        Assert.Equal(8, item.ShardCount);
        var shards = await Stock.ReadShardsAsync(session.Id, item, Ct);
        Assert.Equal([13L, 13, 13, 13, 12, 12, 12, 12], shards.Select(s => s.Remaining));
        Assert.Equal(50, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
        await AssertInvariantAsync(product, session, 150);
    }

    [Fact]
    public async Task Not_enough_product_stock_is_a_field_error_and_nothing_moves()
    {
        var product = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: 10), "op", Ct);
        var now = DateTimeOffset.UtcNow;

        var e = await Assert.ThrowsAsync<ValidationException>(() => Admin.CreateAsync(new FlashSaleDraft("shop-1", "Flash", now, now.AddHours(1),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 100, 11, 1, false)]), "op", Ct));

        Assert.Contains("only 10", e.Errors["items[0].stock"][0]);
        Assert.Equal(10, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
    }

    [Fact]
    public async Task Overlapping_sessions_of_one_sku_are_refused_even_when_created_at_once()
    {
        var product = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: 100), "op", Ct);
        var now = DateTimeOffset.UtcNow;
        FlashSaleDraft Draft(int startMinutes) => new("shop-1", "Flash", now.AddMinutes(startMinutes), now.AddMinutes(startMinutes + 30),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 100, 10, 1, false)]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            try { await Admin.CreateAsync(Draft(10 + i), "op", Ct); return "created"; }
            catch (ValidationException e) when (e.Errors.ContainsKey("items[0].skuId")) { return "overlap"; }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        await Admin.CreateAsync(Draft(60), "op", Ct); // after the first one: fine
        Assert.Equal(80, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
    }

    [Fact]
    public async Task Two_hundred_concurrent_takes_for_fifty_units_never_drive_a_shard_below_zero()
    {
        var (product, session) = await NewSaleAsync(60, 50);
        var item = session.Items[0];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                await Stock.TakeAsync(session, item, $"ord-take-{i}", $"mbr-{i}", 1, mayHoldAlready: false, Ct);
                return true;
            }
            catch (ConflictException e) when (e.Code == "sold_out") { return false; }
        }));

        Assert.Equal(50, outcomes.Count(o => o));
        var shards = await Stock.ReadShardsAsync(session.Id, item, Ct);
        Assert.All(shards, s => Assert.Equal(0, s.Remaining));
        Assert.Equal(50, shards.Sum(s => s.Held));
        Assert.Equal(50, (await Stock.HoldsOfSessionAsync(session.Id, Ct)).Sum(h => h.Value.Quantity));
        await AssertInvariantAsync(product, session, 60);
    }

    [Fact]
    public async Task A_multi_unit_purchase_takes_from_several_shards_when_no_single_shard_has_enough()
    {
        var (product, session) = await NewSaleAsync(8, 8); // 8 shards of one unit
        var item = session.Items[0];

        await Stock.TakeAsync(session, item, "ord-multi", "mbr-multi", 3, mayHoldAlready: false, Ct);
        var holds = await Stock.FindHoldsAsync(session.Id, item, "ord-multi", Ct);
        Assert.Equal(3, holds.Count);
        Assert.Equal(3, holds.Sum(h => h.Value.Quantity));

        var e = await Assert.ThrowsAsync<ConflictException>(() => Stock.TakeAsync(session, item, "ord-too-many", "mbr-2", 6, false, Ct));
        Assert.Equal("sold_out", e.Code);
        Assert.Equal(5L, e.Extensions["remaining"]);
        Assert.Equal(5, (await Stock.ReadShardsAsync(session.Id, item, Ct)).Sum(s => s.Remaining)); // the failed take gave its parts back

        await Stock.ReleaseAsync("ord-multi", Ref(session), Lines(item, 3), Ct);
        Assert.Equal(8, (await Stock.ReadShardsAsync(session.Id, item, Ct)).Sum(s => s.Remaining));
        await AssertInvariantAsync(product, session, 8);
    }

    [Fact]
    public async Task A_purchase_taken_over_after_a_crash_takes_only_what_is_missing()
    {
        var (product, session) = await NewSaleAsync(20, 16);
        var item = session.Items[0];
        await Stock.TakeAsync(session, item, "ord-crashed", "mbr-c", 1, false, Ct); // the first attempt got one unit of two, then died

        await Stock.TakeAsync(session, item, "ord-crashed", "mbr-c", 2, mayHoldAlready: true, Ct);
        await Stock.TakeAsync(session, item, "ord-crashed", "mbr-c", 2, mayHoldAlready: true, Ct);

        var holds = await Stock.FindHoldsAsync(session.Id, item, "ord-crashed", Ct);
        Assert.Equal((2, 2L), (holds.Count, holds.Sum(h => h.Value.Quantity)));
        Assert.Equal(14, (await Stock.ReadShardsAsync(session.Id, item, Ct)).Sum(s => s.Remaining));
        await AssertInvariantAsync(product, session, 20);
    }

    [Fact]
    public async Task A_purchase_that_died_before_placing_its_order_gives_its_units_back_while_the_session_runs()
    {
        var (product, session) = await NewSaleAsync(20, 10);
        var item = session.Items[0];
        await Stock.TakeAsync(session, item, "ord-orphan-old", "mbr-orphan-1", 1, false, Ct);
        await Stock.TakeAsync(session, item, "ord-orphan-new", "mbr-orphan-2", 1, false, Ct);
        // The first purchase crashed ten minutes ago (older than the purchase lease); the second may still place its order.
        var old = Assert.Single(await Stock.FindHoldsAsync(session.Id, item, "ord-orphan-old", Ct));
        await services.Get<CosmosDb>().Container(CosmosSchema.FlashSales).PatchItemAsync<JsonElement>(old.Value.Id, new PartitionKey(old.Value.Key),
            [PatchOperation.Set("/heldAt", DateTimeOffset.UtcNow.AddMinutes(-10))], cancellationToken: Ct);

        Assert.True(await Admin.ReleaseOrphansOfRunningAsync(Ct) >= 1);
        Assert.Empty(await Stock.FindHoldsAsync(session.Id, item, "ord-orphan-old", Ct));
        Assert.Single(await Stock.FindHoldsAsync(session.Id, item, "ord-orphan-new", Ct));
        var shards = await Stock.ReadShardsAsync(session.Id, item, Ct);
        Assert.Equal((9L, 1L), (shards.Sum(x => x.Remaining), shards.Sum(x => x.Held)));
        await AssertInvariantAsync(product, session, 20);

        await Admin.ReleaseOrphansOfRunningAsync(Ct); // again: the young hold stays, nothing moves twice
        Assert.Single(await Stock.FindHoldsAsync(session.Id, item, "ord-orphan-new", Ct));
        await AssertInvariantAsync(product, session, 20);
    }

    [Fact]
    public async Task Hold_commit_and_release_are_idempotent_per_order()
    {
        var (product, session) = await NewSaleAsync(20, 10);
        var item = session.Items[0];
        await Stock.TakeAsync(session, item, "ord-a", "mbr-a", 2, false, Ct);
        await Stock.TakeAsync(session, item, "ord-b", "mbr-b", 1, false, Ct);
        await Stock.TakeAsync(session, item, "ord-a", "mbr-a", 2, mayHoldAlready: true, Ct); // a retry takes nothing more

        await Stock.HoldAsync("ord-a", Ref(session), Lines(item, 2), Ct);
        await Assert.ThrowsAsync<ConflictException>(() => Stock.HoldAsync("ord-none", Ref(session), Lines(item, 1), Ct));
        await Stock.CommitAsync("ord-a", Ref(session), Lines(item, 2), Ct);
        await Stock.CommitAsync("ord-a", Ref(session), Lines(item, 2), Ct);
        await Stock.ReleaseAsync("ord-a", Ref(session), Lines(item, 2), Ct); // sold: nothing to release
        await Stock.ReleaseAsync("ord-b", Ref(session), Lines(item, 1), Ct);
        await Stock.ReleaseAsync("ord-b", Ref(session), Lines(item, 1), Ct);

        var shards = await Stock.ReadShardsAsync(session.Id, item, Ct);
        Assert.Equal((8L, 0L, 2L), (shards.Sum(s => s.Remaining), shards.Sum(s => s.Held), shards.Sum(s => s.Sold)));
        await AssertInvariantAsync(product, session, 20);
    }

    [Fact]
    public async Task The_end_returns_what_is_left_once_and_later_releases_go_to_the_product()
    {
        var (product, session) = await NewSaleAsync(150, 100);
        var item = session.Items[0];
        for (var i = 0; i < 10; i++) await Stock.TakeAsync(session, item, $"ord-end-{i}", $"mbr-end-{i}", 1, false, Ct);
        for (var i = 0; i < 4; i++) await Stock.CommitAsync($"ord-end-{i}", Ref(session), Lines(item, 1), Ct);
        for (var i = 4; i < 6; i++) await Stock.ReleaseAsync($"ord-end-{i}", Ref(session), Lines(item, 1), Ct);
        await AssertInvariantAsync(product, session, 150); // remaining 92, held 4, sold 4

        var ended = await Admin.EndAsync(session.Id, null, "op", Ct);
        await Admin.FinalizeAsync(session.Id, Ct);
        await services.Get<FlashStock>().CloseItemAsync(ended, item, Ct); // a third run changes nothing either

        Assert.True(ended.StockReturned);
        Assert.Equal(FlashSaleStatus.Ended, ended.Status);
        Assert.Equal(50 + 92, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
        var shards = await Stock.ReadShardsAsync(session.Id, item, Ct);
        Assert.All(shards, s => Assert.Equal(FlashShardStatus.Closed, s.Status));
        await AssertInvariantAsync(product, ended, 150);
        var late = await Assert.ThrowsAsync<ConflictException>(() => Stock.TakeAsync(ended, item, "ord-late", "mbr-late", 1, false, Ct));
        Assert.Equal("flash_sale_not_running", late.Code);

        // Unpaid orders closing after the end: their units go to the product, once.
        await Stock.ReleaseAsync("ord-end-6", Ref(session), Lines(item, 1), Ct);
        await Stock.ReleaseAsync("ord-end-6", Ref(session), Lines(item, 1), Ct);
        await Stock.CommitAsync("ord-end-7", Ref(session), Lines(item, 1), Ct);
        Assert.Equal(143, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
        await AssertInvariantAsync(product, ended, 150);

        var results = await Admin.ResultsAsync(session.Id, Ct);
        var r = Assert.Single(results.Items);
        Assert.Equal((100L, 0L, 2L, 5L, 93L), (r.Stock, r.RemainingUnits, r.UnpaidUnits, r.SoldUnits, r.ReturnedUnits));
        Assert.Equal((7, 5, 2), (r.Orders, r.PaidOrders, r.UnpaidOrders));
    }

    [Fact]
    public async Task An_edit_before_the_start_moves_stock_both_ways()
    {
        var product = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: 100), "op", Ct);
        var other = await services.Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(stock: 30), "op", Ct);
        var now = DateTimeOffset.UtcNow;
        var session = await Admin.CreateAsync(new FlashSaleDraft("shop-1", "Later", now.AddHours(1), now.AddHours(2),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 100, 40, 2, false), new FlashSaleItemDraft(product.Id, product.Skus[1].Id, 100, 10, 2, false)]), "op", Ct);

        var updated = await Admin.UpdateAsync(session.Id, new FlashSaleDraft(null, "Later, bigger", now.AddHours(1), now.AddHours(3),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 90, 70, 3, true), new FlashSaleItemDraft(other.Id, other.Skus[0].Id, 100, 5, 1, false)]), session.Version, "op", Ct);

        Assert.Equal(2, updated.Version);
        Assert.True(updated.StockAllocated);
        Assert.Equal(["i1", "i3"], updated.Items.Select(i => i.Id));
        var skus = (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus;
        Assert.Equal((30L, 100L), (skus[0].Stock.Available, skus[1].Stock.Available)); // 40 -> 70 taken; the removed SKU's 10 back
        Assert.Equal(70, (await Stock.ReadShardsAsync(session.Id, updated.Items[0], Ct)).Sum(s => s.Remaining));
        Assert.Equal(25, (await services.Get<ProductAdminService>().GetAsync(other.Id, Ct)).Value.Skus[0].Stock.Available);
        Assert.All(await Stock.ReadShardsAsync(session.Id, updated.Items[0], Ct), s => Assert.Equal(updated.EndsAtTs, s.EndsAtTs));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Admin.UpdateAsync(session.Id, new FlashSaleDraft(null, "x", now.AddHours(1), now.AddHours(3),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 90, 10, 3, true)]), session.Version, "op", Ct));

        var smaller = await Admin.UpdateAsync(session.Id, new FlashSaleDraft(null, "Later", now.AddHours(1), now.AddHours(3),
            [new FlashSaleItemDraft(product.Id, product.Skus[0].Id, 90, 20, 3, true)]), updated.Version, "op", Ct);
        Assert.Equal(80, (await services.Get<ProductAdminService>().GetAsync(product.Id, Ct)).Value.Skus[0].Stock.Available);
        Assert.Equal(30, (await services.Get<ProductAdminService>().GetAsync(other.Id, Ct)).Value.Skus[0].Stock.Available);
        await AssertInvariantAsync(product, smaller, 100);
    }

    [Fact]
    public async Task The_member_limit_holds_under_concurrency_and_given_back_units_can_be_bought_again()
    {
        var (_, session) = await NewSaleAsync(20, 10, limit: 2);
        var item = session.Items[0];
        var limits = services.Get<FlashLimits>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            try { return (await limits.ClaimAsync("mbr-limit", session, item, $"ord-limit-{i}", 1, Ct)).Outcome.ToString(); }
            catch (ConflictException e) { return e.Code; }
        }));

        Assert.Equal(2, outcomes.Count(o => o == nameof(LimitClaimOutcome.Counted)));
        Assert.Equal(8, outcomes.Count(o => o == "limit_reached"));
        var counted = Enumerable.Range(0, 10).First(i => outcomes[i] == nameof(LimitClaimOutcome.Counted));
        Assert.Equal(LimitClaimOutcome.InProgress, (await limits.ClaimAsync("mbr-limit", session, item, $"ord-limit-{counted}", 1, Ct)).Outcome);

        await limits.GiveBackAsync("mbr-limit", session.Id, item.Id, $"ord-limit-{counted}", Ct);
        await limits.GiveBackAsync("mbr-limit", session.Id, item.Id, $"ord-limit-{counted}", Ct);
        Assert.Equal(1, (await limits.FindAsync("mbr-limit", session.Id, item.Id, Ct))!.Bought);
        Assert.Equal(LimitClaimOutcome.Counted, (await limits.ClaimAsync("mbr-limit", session, item, "ord-limit-again", 1, Ct)).Outcome);
        var e = await Assert.ThrowsAsync<ConflictException>(() => limits.ClaimAsync("mbr-limit", session, item, "ord-limit-third", 1, Ct));
        Assert.Equal("limit_reached", e.Code);
    }

    [Fact]
    public async Task The_shopper_view_is_one_query_per_cache_period_however_many_readers()
    {
        var (_, session) = await NewSaleAsync(30, 20);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var catalog = new FlashSaleCatalog(services.Get<CosmosDb>(), Options.Create(new FlashSaleOptions { CacheMilliseconds = 1000 }), clock);

        var views = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => catalog.CurrentAsync(Ct)));
        Assert.Equal(1, catalog.SnapshotsBuilt);
        var mine = Assert.Single(views[0].Running, s => s.Id == session.Id);
        Assert.Equal(20, mine.Items[0].Remaining);

        await Stock.TakeAsync(session, session.Items[0], "ord-view", "mbr-view", 2, false, Ct);
        Assert.Equal(20, (await catalog.CurrentAsync(Ct)).Running.Single(s => s.Id == session.Id).Items[0].Remaining); // still the same snapshot
        clock.Advance(TimeSpan.FromMilliseconds(1100));
        Assert.Equal(18, (await catalog.CurrentAsync(Ct)).Running.Single(s => s.Id == session.Id).Items[0].Remaining);
        Assert.Equal(2, catalog.SnapshotsBuilt);
    }
}
