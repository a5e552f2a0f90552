using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

public class RefundLifecycleTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Shopper Shopper, string OrderId, JsonElement Order)> PaidAsync(string name, params (string, int, int)[] lines)
    {
        var shopper = await Shopper.CreateAsync(host.Api, name);
        var placed = await host.PlaceAsync(shopper, lines);
        await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!);
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        var order = await LifecycleHost.EventuallyAsync(async () => await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200),
            o => o.GetProperty("status").GetString() == "awaitingShipment");
        return (shopper, orderId, order);
    }

    private async Task<JsonElement> RefundAsync(Shopper s, string orderId, string refundId)
        => (await Json.ReadAsync(await s.Client.GetAsync($"orders/{orderId}/refunds", Ct), 200)).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == refundId);

    [Fact]
    public async Task Partial_then_full_refunds_return_exactly_what_was_paid_and_close_the_order()
    {
        var (shopper, orderId, order) = await PaidAsync("refund-full", ("prd-demo-tee", 9, 3));
        var line = order.GetProperty("lines")[0];
        var lineId = line.GetProperty("lineId").GetString();
        var admin = await host.Api.AdminTokenAsync();

        var first = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { lines = new[] { new { lineId, quantity = 1 } }, reason = "尺码不合适" }, Ct), 201);
        await Json.ProblemAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { lines = new[] { new { lineId, quantity = 3 } }, reason = "more" }, Ct), 400, "lines[0].quantity");
        await Json.ReadAsync(await host.Api.Client(admin).PostAsync($"admin/refunds/{first.GetProperty("id").GetString()}/approve", null, Ct), 200);
        await LifecycleHost.EventuallyAsync(() => RefundAsync(shopper, orderId, first.GetProperty("id").GetString()!), r => r.GetProperty("status").GetString() == "succeeded");

        var rest = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "不要了" }, Ct), 201);
        await Json.ReadAsync(await host.Api.Client(admin).PostAsync($"admin/refunds/{rest.GetProperty("id").GetString()}/approve", null, Ct), 200);
        await LifecycleHost.EventuallyAsync(() => RefundAsync(shopper, orderId, rest.GetProperty("id").GetString()!), r => r.GetProperty("status").GetString() == "succeeded");

        var closed = await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200);
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal(order.GetProperty("amounts").GetProperty("payableFen").GetInt64(),
            first.GetProperty("amountFen").GetInt64() + rest.GetProperty("amountFen").GetInt64());
    }

    [Fact]
    public async Task A_refund_without_a_decision_is_approved_automatically_and_a_rejection_stands()
    {
        var (shopper, orderId, _) = await PaidAsync("refund-auto", ("prd-demo-longjing", 0, 2));
        var auto = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new
        {
            lines = new[] { new { lineId = "l1", quantity = 1 } }, reason = "包装破损",
        }, Ct), 201);
        var settled = await LifecycleHost.EventuallyAsync(() => RefundAsync(shopper, orderId, auto.GetProperty("id").GetString()!), r => r.GetProperty("status").GetString() == "succeeded");
        Assert.Contains(settled.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("actor").GetString() == "system" && e.GetProperty("action").GetString() == "approved");

        var merchant = await host.Api.AdminTokenAsync(DemoShopSeeder.MerchantUser);
        var rejected = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "不想要" }, Ct), 201);
        var id = rejected.GetProperty("id").GetString();
        await Json.ProblemAsync(await host.Api.Client(merchant).PostAsJsonAsync($"admin/refunds/{id}/reject", new { reason = "not ours" }, Ct), 403); // tea shop
        var admin = await host.Api.AdminTokenAsync();
        await Json.ProblemAsync(await host.Api.Client(admin).PostAsJsonAsync($"admin/refunds/{id}/reject", new { }, Ct), 400, "reason");
        await Json.ReadAsync(await host.Api.Client(admin).PostAsJsonAsync($"admin/refunds/{id}/reject", new { reason = "已超过售后期限" }, Ct), 200);
        await Task.Delay(4000, Ct); // past the decision deadline: the rejection stands
        Assert.Equal("rejected", (await RefundAsync(shopper, orderId, id!)).GetProperty("status").GetString());
        Assert.Equal("awaitingShipment", (await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Orders_are_private_and_admin_actions_are_scoped_to_the_shop()
    {
        var (shopper, orderId, _) = await PaidAsync("refund-scope", ("prd-demo-dahongpao", 0, 1));
        var stranger = await Shopper.CreateAsync(host.Api, "refund-stranger");
        await Json.ProblemAsync(await stranger.Client.GetAsync($"orders/{orderId}", Ct), 404);
        await Json.ProblemAsync(await stranger.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "mine?" }, Ct), 404);

        var list = await Json.ReadAsync(await shopper.Client.GetAsync("orders", Ct), 200);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetString() == orderId);
        Assert.DoesNotContain(orderId, (await Json.ReadAsync(await stranger.Client.GetAsync("orders", Ct), 200)).ToString());

        var merchant = await host.Api.AdminTokenAsync(DemoShopSeeder.MerchantUser); // shop-demo only; this order is shop-tea
        await Json.ProblemAsync(await host.Api.Client(merchant).PostAsJsonAsync($"admin/orders/{orderId}/ship", new { carrier = "SF", trackingNumber = "1" }, Ct), 403);
        await Json.ProblemAsync(await host.Api.Client(merchant).GetAsync("admin/orders?shopId=shop-tea", Ct), 403);
        var admin = await host.Api.AdminTokenAsync();
        var shopOrders = await Json.ReadAsync(await host.Api.Client(admin).GetAsync("admin/orders?shopId=shop-tea&status=awaitingShipment", Ct), 200);
        Assert.Contains(shopOrders.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetString() == orderId);
    }
}
