using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Api.FlashSales;

/// <summary>
/// The app with the WeChat Pay sandbox on and flash-sale payment deadlines of a few seconds (the reconciliation asks
/// WeChat Pay shortly before), so unpaid flash orders time out for real in the in-process Durable host.
/// </summary>
public sealed class FlashSaleHost() : SeededAppHost("flash")
{
    public const int PaymentTimeoutSeconds = 6;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["WeChatPay:Sandbox:Enabled"] = "true";
        settings["FlashSales:PaymentTimeoutSeconds"] = PaymentTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Orders:PaymentReconcileLeadSeconds"] = "2";
    }

    /// <summary>Prepays and pays through the sandbox, which notifies the webhook.</summary>
    public static async Task PayAsync(Shopper shopper, string paymentOrderId)
    {
        await Json.ReadAsync(await shopper.Client.PostAsync($"payments/{paymentOrderId}/prepay", null), 200);
        var paid = await Json.ReadAsync(await shopper.Client.PostAsync($"sandbox/wechatpay/payments/{paymentOrderId}/pay", null), 200);
        Assert.InRange(paid.GetProperty("webhookStatus").GetInt32(), 200, 299);
    }

    public static string OrderId(JsonElement placed) => placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
}
