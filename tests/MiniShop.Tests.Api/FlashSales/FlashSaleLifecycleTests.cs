using System.Text.Json;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Api.Orders;
using static MiniShop.Tests.Api.FlashSales.FlashSaleKit;

namespace MiniShop.Tests.Api.FlashSales;

/// <summary>Flash orders through their real payment lifecycle: the short deadline, payment, and the session ending on its own.</summary>
public class FlashSaleLifecycleTests(FlashSaleHost host) : IClassFixture<FlashSaleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<JsonElement> OrderAsync(Shopper shopper, string orderId)
        => LifecycleHost.EventuallyAsync(async () => await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200), _ => true, 5);

    private static Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> until) => LifecycleHost.EventuallyAsync(read, until, 40);

    [Fact]
    public async Task An_unpaid_flash_order_times_out_and_its_units_and_the_limit_go_back_to_the_sale()
    {
        var kit = await CreateAsync(host.Api, stock: 5);
        var session = await kit.SessionAsync(kit.Item(stock: 2, limit: 1));
        var shopper = await Shopper.CreateAsync(host.Api, "flash-unpaid");

        var placed = await Json.ReadAsync(await BuyAsync(shopper, session), 201);
        var due = placed.GetProperty("paymentDueAt").GetDateTimeOffset();
        Assert.InRange(due - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(FlashSaleHost.PaymentTimeoutSeconds));
        Assert.Equal(1, (await ShardsAsync(host.Services, Id(session))).Sum(s => s.Held));
        Assert.Equal("limit_reached", (await Json.ProblemAsync(await BuyAsync(shopper, session), 409)).GetProperty("code").GetString());

        var cancelled = await EventuallyAsync(() => OrderAsync(shopper, FlashSaleHost.OrderId(placed)), o => o.GetProperty("status").GetString() == "cancelled");
        Assert.Contains(cancelled.GetProperty("timeline").EnumerateArray(), e => e.TryGetProperty("reason", out var reason) && reason.GetString() == "not paid in time");
        // The lifecycle closes the order first, then gives its units and the limit back (a follow-up step): wait for it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var shards = await ShardsAsync(host.Services, Id(session));
        while (shards.Sum(s => s.Held) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            shards = await ShardsAsync(host.Services, Id(session));
        }
        Assert.Equal((2L, 0L), (shards.Sum(s => s.Remaining), shards.Sum(s => s.Held)));
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 5);

        await Json.ReadAsync(await BuyAsync(shopper, session), 201); // the limit was given back with the units
    }

    [Fact]
    public async Task A_paid_flash_order_sells_its_units_and_the_results_count_it()
    {
        var kit = await CreateAsync(host.Api, stock: 5);
        var session = await kit.SessionAsync(kit.Item(stock: 3, limit: 1));
        var shopper = await Shopper.CreateAsync(host.Api, "flash-paid");

        var placed = await Json.ReadAsync(await BuyAsync(shopper, session), 201);
        await FlashSaleHost.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!);

        await EventuallyAsync(() => OrderAsync(shopper, FlashSaleHost.OrderId(placed)), o => o.GetProperty("status").GetString() == "awaitingShipment");
        var results = await EventuallyAsync(async () => await Json.ReadAsync(await kit.Admin.GetAsync($"admin/flash-sales/{Id(session)}/results", Ct), 200),
            r => r.GetProperty("soldUnits").GetInt32() == 1);
        Assert.Equal((1, 1, 0, 9900), (results.GetProperty("orders").GetInt32(), results.GetProperty("paidOrders").GetInt32(), results.GetProperty("unpaidOrders").GetInt32(),
            results.GetProperty("salesFen").GetInt32()));
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 5);
    }

    [Fact]
    public async Task When_the_session_ends_the_rest_goes_back_to_the_product_and_so_do_unpaid_orders_closing_later()
    {
        var kit = await CreateAsync(host.Api, stock: 10);
        var payer = await Shopper.CreateAsync(host.Api, "flash-end-payer");
        var dawdler = await Shopper.CreateAsync(host.Api, "flash-end-dawdler");
        var now = DateTimeOffset.UtcNow;
        var session = await kit.SessionAsync(now, now.AddSeconds(4), kit.Item(stock: 5, limit: 1)); // ends before the orders' payment deadline

        var paid = await Json.ReadAsync(await BuyAsync(payer, session), 201);
        var unpaid = await Json.ReadAsync(await BuyAsync(dawdler, session), 201);
        await FlashSaleHost.PayAsync(payer, paid.GetProperty("paymentOrderId").GetString()!);

        // The lifecycle ends the session: the 3 unsold units go back at once, the unpaid order's unit when it is cancelled.
        var ended = await EventuallyAsync(async () => await Json.ReadAsync(await kit.Admin.GetAsync($"admin/flash-sales/{Id(session)}", Ct), 200),
            s => s.GetProperty("stockReturned").GetBoolean());
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        await EventuallyAsync(() => OrderAsync(dawdler, FlashSaleHost.OrderId(unpaid)), o => o.GetProperty("status").GetString() == "cancelled");
        await EventuallyAsync(async () => await Json.ReadAsync(await kit.Admin.GetAsync($"admin/products/{kit.ProductId}", Ct), 200),
            p => p.GetProperty("skus")[0].GetProperty("stock").GetProperty("available").GetInt32() == 9);
        var results = await EventuallyAsync(async () => await Json.ReadAsync(await kit.Admin.GetAsync($"admin/flash-sales/{Id(session)}/results", Ct), 200),
            r => r.GetProperty("soldUnits").GetInt32() == 1);
        var item = results.GetProperty("items")[0];
        Assert.Equal((0, 0, 1, 4), (item.GetProperty("remainingUnits").GetInt32(), item.GetProperty("unpaidUnits").GetInt32(), item.GetProperty("soldUnits").GetInt32(),
            item.GetProperty("returnedUnits").GetInt32()));
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 10);
        Assert.DoesNotContain((await Json.ReadAsync(await host.Api.Client().GetAsync("flash-sales/current", Ct), 200)).GetProperty("running").EnumerateArray(),
            s => Id(s) == Id(session));
    }
}
