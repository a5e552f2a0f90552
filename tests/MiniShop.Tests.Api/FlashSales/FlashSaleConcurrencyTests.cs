using System.Diagnostics;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using static MiniShop.Tests.Api.FlashSales.FlashSaleKit;

namespace MiniShop.Tests.Api.FlashSales;

public class FlashSaleConcurrencyTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_thousand_concurrent_buyers_for_a_hundred_units_make_exactly_a_hundred_orders()
    {
        var kit = await CreateAsync(host, stock: 150);
        var setup = Stopwatch.StartNew();
        var shoppers = await ShoppersAsync(host, $"rush1k-{Guid.NewGuid():N}"[..14] + "-", 1000);
        var setupTime = setup.Elapsed;
        var session = await kit.SessionAsync(kit.Item(price: 9900, stock: 100, limit: 1));

        var clock = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(shoppers.Select(async s =>
        {
            var started = clock.Elapsed;
            using var response = await BuyAsync(s, session, expectedPayableFen: 9900); // what the confirm page showed: flash price, free shipping
            var status = (int)response.StatusCode;
            var code = status == 201 ? "created" : (await Json.ProblemAsync(response, status)).GetProperty("code").GetString()!;
            return (Status: status, Code: code, Took: clock.Elapsed - started);
        }));
        var buying = clock.Elapsed;

        Assert.Equal(100, outcomes.Count(o => o.Status == 201));
        Assert.All(outcomes.Where(o => o.Status != 201), o => Assert.True(o is (409, "sold_out", _), $"unexpected {o.Status} {o.Code}"));
        var orders = await host.Services.GetRequiredService<CosmosDb>().Container(CosmosSchema.Members).QueryAsync<int>(
            new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'order' AND c.shopId = @shop").WithParameter("@shop", kit.ShopId), null, ct: Ct);
        Assert.Equal(100, orders.Sum());
        var shards = await ShardsAsync(host.Services, Id(session));
        Assert.Equal((0L, 100L, 0L), (shards.Sum(s => s.Remaining), shards.Sum(s => s.Held), shards.Sum(s => s.Sold)));
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 150);

        static double P(IEnumerable<TimeSpan> times, double p)
        {
            var sorted = times.Select(t => t.TotalMilliseconds).Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
        var winners = outcomes.Where(o => o.Status == 201).Select(o => o.Took).ToList();
        var losers = outcomes.Where(o => o.Status != 201).Select(o => o.Took).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"1000 buyers / 100 units: setup {setupTime.TotalSeconds:0.0} s, buying {buying.TotalSeconds:0.0} s; winners p50 {P(winners, 0.5):0} ms p99 {P(winners, 0.99):0} ms; " +
            $"sold-out answers p50 {P(losers, 0.5):0} ms p99 {P(losers, 0.99):0} ms");
        Assert.True(buying < TimeSpan.FromSeconds(60), $"buying took {buying.TotalSeconds:0.0} s");

        // Once it is known sold out, more buyers are answered from memory (no limit write, no shard probe).
        var again = Stopwatch.StartNew();
        var late = await Task.WhenAll(shoppers.Take(300).Select(async s =>
        {
            var started = again.Elapsed;
            using var response = await BuyAsync(s, session, expectedPayableFen: 9900);
            return ((int)response.StatusCode, again.Elapsed - started);
        }));
        Assert.All(late, l => Assert.Equal(409, l.Item1));
        var reads = Stopwatch.StartNew();
        var views = await Task.WhenAll(shoppers.Take(300).Select(async s =>
        {
            var started = reads.Elapsed;
            using var response = await s.Client.GetAsync($"flash-sales/{Id(session)}", Ct);
            return reads.Elapsed - started;
        }));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"300 more buyers after the sell-out: {again.Elapsed.TotalMilliseconds:0} ms in all, p50 {P(late.Select(l => l.Item2), 0.5):0} ms p99 {P(late.Select(l => l.Item2), 0.99):0} ms; " +
            $"for comparison 300 concurrent GET /flash-sales/{{id}} (served from memory): p50 {P(views, 0.5):0} ms p99 {P(views, 0.99):0} ms");
        Assert.Equal(0, (await ShardsAsync(host.Services, Id(session))).Sum(s => s.Remaining));
    }

    [Fact]
    public async Task Concurrent_purchases_of_one_member_never_pass_the_limit_and_the_stock_stays_whole()
    {
        var kit = await CreateAsync(host, stock: 20);
        var session = await kit.SessionAsync(kit.Item(stock: 10, limit: 3));
        var shopper = await Checkout.Shopper.CreateAsync(host, $"limit-{Guid.NewGuid():N}"[..16]);

        // Five at once (the throttle's burst), two units each: at most one fits the limit of three.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var r = await BuyAsync(shopper, session, quantity: 2);
            return r.StatusCode == System.Net.HttpStatusCode.Created ? "created" : (await Json.ProblemAsync(r, (int)r.StatusCode)).GetProperty("code").GetString();
        }));

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        Assert.Equal(4, outcomes.Count(o => o == "limit_reached"));
        Assert.Equal(2, (await ShardsAsync(host.Services, Id(session))).Sum(s => s.Held));
        await Task.Delay(1100, Ct); // a token back in the member's bucket (FlashSales:MemberRefillPerSecond = 1)
        await Json.ReadAsync(await BuyAsync(shopper, session, quantity: 1), 201); // the third unit still fits
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 20);
    }
}
