using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

/// <summary>Whole order lives through the real orchestrations, the sandbox WeChat Pay and the webhooks, timeouts in seconds.</summary>
public class OrderLifecycleTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> OrderAsync(Shopper s, string id) => await Json.ReadAsync(await s.Client.GetAsync($"orders/{id}", Ct), 200);

    private async Task<long> AvailableAsync(string productId, int skuIndex)
        => (await Json.ReadAsync(await host.Api.Client().GetAsync($"catalog/products/{productId}", Ct), 200)).GetProperty("skus")[skuIndex].GetProperty("stock").GetInt64();

    private static string Status(JsonElement order) => order.GetProperty("status").GetString()!;

    [Fact]
    public async Task A_paid_order_ships_is_auto_confirmed_and_completes()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "life-happy");
        var before = await AvailableAsync("prd-demo-cap", 0);
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 0, 2));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;

        Assert.Equal(204, await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!));
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) == "awaitingShipment");
        var payment = await Json.ReadAsync(await shopper.Client.GetAsync($"payments/{placed.GetProperty("paymentOrderId").GetString()}", Ct), 200);
        Assert.Equal("paid", payment.GetProperty("status").GetString());
        Assert.Equal(before - 2, await AvailableAsync("prd-demo-cap", 0));

        var admin = await host.Api.AdminTokenAsync();
        await Json.ReadAsync(await host.Api.Client(admin).PostAsJsonAsync($"admin/orders/{orderId}/ship", new { carrier = "SF", trackingNumber = "SF1234567890" }, Ct), 200);

        var done = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) == "completed");
        var actions = done.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["created", "paid", "shipped", "delivered", "completed"], actions);
        Assert.Equal("system", done.GetProperty("timeline")[3].GetProperty("actor").GetString()); // auto-confirmed
    }

    [Fact]
    public async Task The_shopper_confirms_receipt_and_the_order_completes_after_the_review_window()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "life-confirm");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 1, 1));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await Json.ProblemAsync(await shopper.Client.PostAsync($"orders/{orderId}/confirm-receipt", null, Ct), 409); // not shipped yet
        Assert.Equal(204, await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!));
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) == "awaitingShipment");
        var admin = await host.Api.AdminTokenAsync();
        await Json.ReadAsync(await host.Api.Client(admin).PostAsJsonAsync($"admin/orders/{orderId}/ship", new { carrier = "YTO", trackingNumber = "YT0001" }, Ct), 200);

        var delivered = await Json.ReadAsync(await shopper.Client.PostAsync($"orders/{orderId}/confirm-receipt", null, Ct), 200);
        Assert.Equal("delivered", Status(delivered));
        var done = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) == "completed");
        Assert.NotEqual("system", done.GetProperty("timeline")[3].GetProperty("actor").GetString()); // confirmed by the shopper
    }

    [Fact]
    public async Task An_unpaid_order_is_cancelled_at_the_deadline_and_its_stock_returns()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "life-unpaid");
        var before = await AvailableAsync("prd-demo-jeans", 1);
        var placed = await host.PlaceAsync(shopper, ("prd-demo-jeans", 1, 3));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        Assert.Equal(before - 3, await AvailableAsync("prd-demo-jeans", 1));

        var cancelled = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) == "cancelled", LifecycleHost.PaymentTimeoutSeconds + 20);
        Assert.Equal("system", cancelled.GetProperty("timeline")[1].GetProperty("actor").GetString());
        await LifecycleHost.EventuallyAsync(async () => JsonDocument.Parse((await AvailableAsync("prd-demo-jeans", 1)).ToString()).RootElement, a => a.GetInt64() == before);
        await Json.ProblemAsync(await shopper.Client.PostAsync($"payments/{placed.GetProperty("paymentOrderId").GetString()}/prepay", null, Ct), 409);
    }

    [Fact]
    public async Task A_lost_notification_does_not_cancel_a_paid_order()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "life-lost");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-shirt", 0, 1));
        var paymentId = placed.GetProperty("paymentOrderId").GetString()!;
        await Json.ReadAsync(await shopper.Client.PostAsync($"payments/{paymentId}/prepay", null, Ct), 200);
        Assert.NotNull(host.Sandbox.Pay(paymentId)); // paid at WeChat, but the notification never arrives

        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        var order = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Status(o) != "pendingPayment", LifecycleHost.PaymentTimeoutSeconds + 20);
        Assert.Equal("awaitingShipment", Status(order));
        Assert.Contains("reconciliation", order.GetProperty("timeline")[1].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task The_shopper_cancels_an_unpaid_order_and_a_late_payment_is_refunded()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "life-cancel");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-tee", 7, 1));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        var paymentId = placed.GetProperty("paymentOrderId").GetString()!;
        await Json.ReadAsync(await shopper.Client.PostAsync($"payments/{paymentId}/prepay", null, Ct), 200);

        Assert.Equal("cancelled", Status(await Json.ReadAsync(await shopper.Client.PostAsync($"orders/{orderId}/cancel", null, Ct), 200)));

        // WeChat says it was paid anyway (the shopper paid in the last second): we refund it.
        var amount = placed.GetProperty("payableFen").GetInt64();
        var late = host.Sandbox.Platform.CreateTransactionNotification(new MiniShop.Infrastructure.WeChat.Pay.Models.WeChatPayTransaction
        {
            AppId = "wx-test-app", MchId = "1900000109", OutTradeNo = paymentId, TransactionId = "4200late", TradeState = "SUCCESS",
            SuccessTime = DateTimeOffset.UtcNow, Amount = new MiniShop.Infrastructure.WeChat.Pay.Models.TransactionAmount { Total = amount },
        });
        Assert.Equal(204, (int)(await host.PostNotificationAsync("webhooks/wechatpay/transactions", late)).StatusCode);
        Assert.Equal("cancelled", Status(await OrderAsync(shopper, orderId)));
    }
}
