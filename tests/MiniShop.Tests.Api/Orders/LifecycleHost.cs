using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.Infrastructure.Payments.Sandbox;
using MiniShop.LocalHost;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Api.Orders;

/// <summary>
/// The app with the WeChat Pay sandbox on and every lifecycle timeout in seconds (the orchestrations' timers use the wall
/// clock), seeded with the demo shop. Orchestrations run for real in the in-process Durable host.
/// </summary>
public sealed class LifecycleHost() : SeededAppHost("life")
{
    public const int PaymentTimeoutSeconds = 8;

    public const string WmsPartner = "wms-test";
    public const string WmsSecret = "wms-test-secret-for-hmac";

    public SandboxWeChatPayServer Sandbox => Services.GetRequiredService<SandboxWeChatPayServer>();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["WeChatPay:Sandbox:Enabled"] = "true";
        settings["Orders:PaymentTimeoutSeconds"] = PaymentTimeoutSeconds.ToString();
        settings["Orders:PaymentReconcileLeadSeconds"] = "3";
        settings["Orders:AutoConfirmSeconds"] = "3";
        settings["Orders:ReviewWindowSeconds"] = "2";
        settings["Orders:RefundDecisionSeconds"] = "3";
        settings["Orders:RefundPollSeconds"] = "2";
        settings["Orders:ShipmentPollSeconds"] = "2";
        settings["Partners:wms-test:Secret"] = WmsSecret;
        settings["GroupBuys:MinGroupDurationSeconds"] = "1";
        settings["GroupBuys:SettleMarginSeconds"] = "2";
    }

    /// <summary>Places an order for one unit of each SKU and returns the checkout result.</summary>
    public async Task<JsonElement> PlaceAsync(Shopper shopper, params (string ProductId, int SkuIndex, int Quantity)[] lines)
    {
        var items = new List<(string, string, int)>();
        foreach (var (productId, index, quantity) in lines)
        {
            var product = await Json.ReadAsync(await Api.Client().GetAsync($"catalog/products/{productId}"), 200);
            items.Add((productId, product.GetProperty("skus")[index].GetProperty("id").GetString()!, quantity));
        }
        var body = Shopper.Items(items.ToArray());
        var preview = await shopper.PreviewAsync(new { items = body, addressId = shopper.AddressId });
        var placed = await shopper.PlaceAsync(new { items = body, addressId = shopper.AddressId, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64() },
            Guid.NewGuid().ToString("N"));
        return await Json.ReadAsync(placed, 201);
    }

    /// <summary>Prepays and pays through the sandbox, which notifies the webhook; returns the webhook's status.</summary>
    public async Task<int> PayAsync(Shopper shopper, string paymentOrderId)
    {
        await Json.ReadAsync(await shopper.Client.PostAsync($"payments/{paymentOrderId}/prepay", null), 200);
        var paid = await Json.ReadAsync(await shopper.Client.PostAsync($"sandbox/wechatpay/payments/{paymentOrderId}/pay", null), 200);
        return paid.GetProperty("webhookStatus").GetInt32();
    }

    public async Task<HttpResponseMessage> PostNotificationAsync(string path, MiniShop.Infrastructure.WeChat.Pay.Sandbox.WeChatPaySignedMessage message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(message.Body, new MediaTypeHeaderValue("application/json")) };
        foreach (var (name, value) in message.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Api.Client().SendAsync(request);
    }

    /// <summary>A webhook request signed as the test WMS partner (X-Partner-Id, X-Timestamp, X-Nonce, X-Signature).</summary>
    public static HttpRequestMessage PartnerRequest(string path, object body, string secret = WmsSecret)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json.Options);
        var timestamp = MiniShop.Infrastructure.Sync.PartnerSignature.Timestamp(DateTimeOffset.UtcNow);
        var nonce = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Partner-Id", WmsPartner);
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Nonce", nonce);
        request.Headers.Add("X-Signature", MiniShop.Infrastructure.Sync.PartnerSignature.SignInbound(secret, timestamp, nonce, bytes));
        return request;
    }

    /// <summary>Polls until the condition holds (orchestration timers run on the wall clock), failing after the timeout.</summary>
    public static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> until, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement last;
        do
        {
            last = await read();
            if (until(last)) return last;
            await Task.Delay(250);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Condition not met within {seconds}s; last: {last}");
        return last;
    }
}
