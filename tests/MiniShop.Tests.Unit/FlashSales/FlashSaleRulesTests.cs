using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Tests.Unit.Catalog;

namespace MiniShop.Tests.Unit.FlashSales;

public class FlashSaleRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);

    private static readonly Product Product = WithFourthSkuDisabled(ProductRules.Create("prd-1", ProductDrafts.Valid(), ProductDrafts.Refs, ProductDrafts.NewSkuId, Now));

    private static Product WithFourthSkuDisabled(Product p) => p with { Skus = p.Skus.Select((s, i) => i == 3 ? s with { Enabled = false } : s).ToList() };

    private static Dictionary<string, Product> Products => new() { [Product.Id] = Product };

    private static FlashSaleItemDraft Item(int sku = 0, long price = 5900, long stock = 5, int limit = 1)
        => new(Product.Id, Product.Skus[sku].Id, price, stock, limit, null);

    private static FlashSaleDraft Draft(params FlashSaleItemDraft[] items) => new("shop-1", "双11 秒杀", Now.AddMinutes(10), Now.AddHours(1), [.. items]);

    private static FlashSaleSession Create(FlashSaleDraft draft, IReadOnlyList<FlashSaleOverlap>? overlaps = null)
        => FlashSaleRules.Create("fls_1", draft, Products, overlaps ?? [], 8, "op", Now);

    private static IReadOnlyDictionary<string, string[]> Errors(FlashSaleDraft draft, IReadOnlyList<FlashSaleOverlap>? overlaps = null)
        => Assert.Throws<ValidationException>(() => Create(draft, overlaps)).Errors;

    [Fact]
    public void A_valid_draft_becomes_a_scheduled_session_with_numbered_items_and_a_product_snapshot()
    {
        var session = Create(Draft(Item(0, stock: 3), Item(1, stock: 9, limit: 2) with { CouponsAllowed = true }));

        Assert.Equal((FlashSaleStatus.Scheduled, 1L, 3), (session.Status, session.Version, session.NextItemNumber));
        Assert.Equal(["i1", "i2"], session.Items.Select(i => i.Id));
        Assert.Equal((3, 8), (session.Items[0].ShardCount, session.Items[1].ShardCount)); // never an empty shard
        Assert.Equal((9900L, 5900L, true), (session.Items[1].ListPriceFen, session.Items[1].FlashPriceFen, session.Items[1].CouponsAllowed));
        Assert.False(session.Items[0].CouponsAllowed);
        Assert.Equal(FlashSalePhase.Upcoming, session.PhaseAt(Now));
        Assert.Equal(FlashSalePhase.Running, session.PhaseAt(Now.AddMinutes(10)));
        Assert.Equal(FlashSalePhase.Ended, session.PhaseAt(Now.AddHours(1)));
        Assert.Equal(FlashSalePhase.Paused, (session with { Status = FlashSaleStatus.Paused }).PhaseAt(Now.AddMinutes(20)));
    }

    [Fact]
    public void Every_wrong_field_is_reported_at_once()
    {
        var errors = Errors(new FlashSaleDraft(null, " ", Now.AddHours(-1), Now.AddHours(-2), null));

        Assert.Equal(["endsAt", "items", "name", "shopId", "startsAt"], errors.Keys.Order());
    }

    [Fact]
    public void The_window_must_end_after_it_starts_and_last_at_most_a_month()
    {
        Assert.Contains("endsAt", Errors(Draft(Item()) with { EndsAt = Now.AddMinutes(10) }).Keys);
        Assert.Contains("endsAt", Errors(Draft(Item()) with { EndsAt = Now.AddDays(40) }).Keys);
        Assert.NotNull(Create(Draft(Item()) with { StartsAt = Now.AddSeconds(-30) })); // "now", sent a moment late
    }

    [Fact]
    public void Prices_stock_and_limits_are_checked_per_item()
    {
        var errors = Errors(Draft(Item(price: 9900), Item(1, price: 0), Item(2, stock: 11), new FlashSaleItemDraft(Product.Id, Product.Skus[0].Id, 100, 0, 0, null)));

        Assert.Contains("below the list price", errors["items[0].flashPriceFen"][0]);
        Assert.Contains("items[1].flashPriceFen", errors.Keys);
        Assert.Contains("only 10 unit(s)", errors["items[2].stock"][0]);
        Assert.Contains("items[3].stock", errors.Keys);
        Assert.Contains("items[3].perMemberLimit", errors.Keys);
        Assert.Contains("more than once", errors["items[3].skuId"][0]);
    }

    [Fact]
    public void The_sku_must_exist_be_enabled_and_belong_to_the_shop()
    {
        var errors = Errors(Draft(Item(3), new FlashSaleItemDraft(Product.Id, "sku-nope", 100, 1, 1, null), new FlashSaleItemDraft("prd-nope", "x", 100, 1, 1, null)));
        Assert.Contains("disabled", errors["items[0].skuId"][0]);
        Assert.Contains("not a SKU", errors["items[1].skuId"][0]);
        Assert.Contains("items[2].productId", errors.Keys);

        Assert.Contains("items[0].productId", Errors(Draft(Item()) with { ShopId = "shop-2" }).Keys);
    }

    [Fact]
    public void An_overlapping_session_of_the_same_sku_is_a_field_error()
    {
        var overlap = new FlashSaleOverlap(Product.Skus[1].Id, "fls_other", Now, Now.AddHours(2));

        var errors = Errors(Draft(Item(0), Item(1)), [overlap]);

        Assert.Equal(["items[1].skuId"], errors.Keys);
        Assert.Contains("fls_other", errors["items[1].skuId"][0]);
        Assert.True(FlashSaleRules.Overlaps(Now, Now.AddHours(1), Now.AddMinutes(59), Now.AddHours(2)));
        Assert.False(FlashSaleRules.Overlaps(Now, Now.AddHours(1), Now.AddHours(1), Now.AddHours(2))); // back to back is fine
    }

    [Fact]
    public void An_edit_keeps_item_ids_by_sku_may_reuse_the_sessions_own_stock_and_is_refused_once_started()
    {
        var session = Create(Draft(Item(0, stock: 10), Item(1, stock: 10))) with { StockAllocated = true };

        // SKU 0 kept (its 10 units count as available: 10 + 10), SKU 1 dropped, SKU 2 added.
        var updated = FlashSaleRules.Update(session, Draft(Item(2, stock: 4), Item(0, stock: 20)), Products, [], 8, Now.AddMinutes(1));

        Assert.Equal(["i3", "i1"], updated.Items.Select(i => i.Id));
        Assert.Equal((2L, 4, "op"), (updated.Version, updated.NextItemNumber, updated.CreatedBy));
        Assert.Contains("items[0].stock", Assert.Throws<ValidationException>(() =>
            FlashSaleRules.Update(session, Draft(Item(0, stock: 21)), Products, [], 8, Now)).Errors.Keys);
        Assert.Equal("flash_sale_started", Assert.Throws<ConflictException>(() =>
            FlashSaleRules.Update(session, Draft(Item(0)), Products, [], 8, Now.AddMinutes(10))).Code);
        Assert.Contains("shopId", Assert.Throws<ValidationException>(() =>
            FlashSaleRules.Update(session, Draft(Item(0)) with { ShopId = "shop-2" }, Products, [], 8, Now)).Errors.Keys);
    }
}

public class FlashShardsTests
{
    [Theory]
    [InlineData(100, 8, new long[] { 13, 13, 13, 13, 12, 12, 12, 12 })]
    [InlineData(8, 8, new long[] { 1, 1, 1, 1, 1, 1, 1, 1 })]
    [InlineData(3, 3, new long[] { 1, 1, 1 })]
    [InlineData(7, 1, new long[] { 7 })]
    public void Stock_splits_evenly_and_adds_up(long units, int shards, long[] expected)
    {
        Assert.Equal(expected, FlashShards.Split(units, shards));
        Assert.Equal(units, FlashShards.Split(units, shards).Sum());
    }

    [Theory]
    [InlineData(1, 8, 1)]
    [InlineData(5, 8, 5)]
    [InlineData(500, 8, 8)]
    [InlineData(500, 100, 64)]
    public void An_item_never_gets_an_empty_shard(long stock, int configured, int expected)
        => Assert.Equal(expected, FlashShards.CountFor(stock, configured));

    [Fact]
    public void The_probe_order_visits_every_shard_once_starting_with_the_orders_own()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var orderId = $"ord{i:x29}";
            var order = FlashShards.ProbeOrder(orderId, 8, random);
            Assert.Equal(FlashShards.FirstShard(orderId, 8), order[0]);
            Assert.Equal(Enumerable.Range(0, 8), order.Order());
        }
    }

    [Fact]
    public void First_shards_spread_orders_evenly()
    {
        var counts = new int[8];
        for (var i = 0; i < 8000; i++)
            counts[FlashShards.FirstShard("ord" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))[..29], 8)]++;

        Assert.All(counts, c => Assert.InRange(c, 850, 1150)); // 1000 expected each
    }

    [Fact]
    public void The_tries_after_the_first_are_random()
    {
        var seen = Enumerable.Range(0, 50).Select(_ => FlashShards.ProbeOrder("ord-x", 8, Random.Shared)[1]).Distinct().Count();
        Assert.True(seen >= 3, $"only {seen} different second shards in 50 tries");
    }

    [Fact]
    public void Parts_take_from_the_fullest_shards_and_only_when_together_they_hold_enough()
    {
        Assert.Equal(new (int, long)[] { (2, 3), (0, 1) }, FlashShards.PlanParts([1, 0, 3, 1], 4));
        Assert.Equal(new (int, long)[] { (0, 1), (3, 1) }, FlashShards.PlanParts([1, 0, 3, 1], 2, new HashSet<int> { 2 }));
        Assert.Empty(FlashShards.PlanParts([1, 0, 3, 1], 6));
        Assert.Empty(FlashShards.PlanParts([0, 0], 1));
    }
}

public class MemberThrottleTests
{
    [Fact]
    public void A_member_gets_the_burst_then_one_request_per_refill_interval_others_are_unaffected()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new MemberThrottle(Options.Create(new FlashSaleOptions { MemberBurst = 3, MemberRefillPerSecond = 2 }), clock);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(throttle.TryTake("mbr-a")));
        var wait = throttle.TryTake("mbr-a");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalMilliseconds, 499, 501);
        Assert.Null(throttle.TryTake("mbr-b"));

        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(throttle.TryTake("mbr-a"));
        Assert.NotNull(throttle.TryTake("mbr-a"));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(throttle.TryTake("mbr-a"))); // refills up to the burst, not beyond
        Assert.NotNull(throttle.TryTake("mbr-a"));
    }
}
