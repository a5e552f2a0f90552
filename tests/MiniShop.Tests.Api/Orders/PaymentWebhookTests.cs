using System.Text.Json;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

public class PaymentWebhookTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WeChatPayTransaction Paid(string paymentId, long amount, string appId = "wx-test-app", string mchId = "1900000109") => new()
    {
        AppId = appId, MchId = mchId, OutTradeNo = paymentId, TransactionId = "4200" + paymentId[^8..], TradeState = "SUCCESS",
        SuccessTime = DateTimeOffset.UtcNow, Amount = new TransactionAmount { Total = amount },
    };

    private async Task<(Shopper Shopper, string PaymentId, string OrderId, long Amount)> PendingAsync(string name)
    {
        var shopper = await Shopper.CreateAsync(host.Api, name);
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 1, 1));
        return (shopper, placed.GetProperty("paymentOrderId").GetString()!, placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!, placed.GetProperty("payableFen").GetInt64());
    }

    private async Task<JsonElement> OrderAsync(Shopper s, string id) => await Json.ReadAsync(await s.Client.GetAsync($"orders/{id}", Ct), 200);

    [Fact]
    public async Task Many_concurrent_copies_of_a_notification_change_the_order_once()
    {
        var (shopper, paymentId, orderId, amount) = await PendingAsync("hook-dup");
        var notification = host.Sandbox.Platform.CreateTransactionNotification(Paid(paymentId, amount));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var r = await host.PostNotificationAsync("webhooks/wechatpay/transactions", notification);
            return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(Ct));
        }));

        Assert.All(answers, a => Assert.True(a.Item1 == 204, $"{a.Item1}: {a.Item2}"));
        var order = await OrderAsync(shopper, orderId);
        Assert.Equal("awaitingShipment", order.GetProperty("status").GetString());
        Assert.Single(order.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("action").GetString() == "paid");
    }

    [Fact]
    public async Task Forged_stale_tampered_unknown_and_mismatched_notifications_change_nothing()
    {
        var (shopper, paymentId, orderId, amount) = await PendingAsync("hook-bad");
        var genuine = host.Sandbox.Platform.CreateTransactionNotification(Paid(paymentId, amount));

        using var impostor = new WeChatPaySandbox(TimeProvider.System, host.Sandbox.Platform.ApiV3Key, host.Sandbox.Platform.PublicKeyId);
        var forged = impostor.CreateTransactionNotification(Paid(paymentId, amount));
        var stale = host.Sandbox.Platform.Sign(genuine.Body, DateTimeOffset.UtcNow.AddMinutes(-6));
        var unknownSerial = genuine with { Headers = new Dictionary<string, string>(genuine.Headers) { ["Wechatpay-Serial"] = "PUB_KEY_ID_UNKNOWN" } };
        var tamperedBody = JsonDocument.Parse(genuine.Body).RootElement;
        var cipher = tamperedBody.GetProperty("resource").GetProperty("ciphertext").GetString()!;
        var flipped = genuine.Body.Replace(cipher, (cipher[0] == 'A' ? "B" : "A") + cipher[1..]);
        var tampered = host.Sandbox.Platform.Sign(flipped);
        var cheaper = host.Sandbox.Platform.CreateTransactionNotification(Paid(paymentId, amount - 1));
        var otherMerchant = host.Sandbox.Platform.CreateTransactionNotification(Paid(paymentId, amount, mchId: "1234567890"));

        foreach (var (bad, status) in new[] { (forged, 401), (stale, 401), (unknownSerial, 401), (tampered, 400), (cheaper, 400), (otherMerchant, 400) })
        {
            using var response = await host.PostNotificationAsync("webhooks/wechatpay/transactions", bad);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("FAIL", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());
        }
        Assert.Equal("pendingPayment", (await OrderAsync(shopper, orderId)).GetProperty("status").GetString());

        Assert.Equal(204, (int)(await host.PostNotificationAsync("webhooks/wechatpay/transactions", genuine)).StatusCode);
        Assert.Equal("awaitingShipment", (await OrderAsync(shopper, orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_shops_pay_with_one_combined_payment()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "hook-combined");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 2, 1), ("prd-demo-dahongpao", 0, 1));
        Assert.Equal(2, placed.GetProperty("orders").GetArrayLength());

        var prepay = await Json.ReadAsync(await shopper.Client.PostAsync($"payments/{placed.GetProperty("paymentOrderId").GetString()}/prepay", null, Ct), 200);
        Assert.StartsWith("prepay_id=wx_sbx_", prepay.GetProperty("package").GetString());
        Assert.Equal("RSA", prepay.GetProperty("signType").GetString());
        Assert.Equal(204, (await Json.ReadAsync(await shopper.Client.PostAsync($"sandbox/wechatpay/payments/{placed.GetProperty("paymentOrderId").GetString()}/pay", null, Ct), 200)).GetProperty("webhookStatus").GetInt32());

        foreach (var o in placed.GetProperty("orders").EnumerateArray())
            Assert.Equal("awaitingShipment", (await OrderAsync(shopper, o.GetProperty("orderId").GetString()!)).GetProperty("status").GetString());
    }
}
