using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

/// <summary>Orders that coupons cover entirely: confirmed without WeChat Pay (which refuses 0 fen), refunded without it too.</summary>
public class NothingToPayTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_coupons_pay_for_entirely_is_confirmed_without_wechat_pay_and_refunds_without_it()
    {
        var admin = host.Api.Client(await host.Api.AdminTokenAsync());
        var template = await Json.ReadAsync(await admin.PostAsJsonAsync("admin/coupon-templates", new
        {
            name = "免单券", shopId = DemoShopSeeder.ShopId,
            benefit = new { kind = "amountOff", amountFen = 100_000 },
            thresholdFen = 0,
            claimStartsAt = DateTimeOffset.UtcNow.AddDays(-1), claimEndsAt = DateTimeOffset.UtcNow.AddDays(10),
            validity = new { kind = "daysFromClaim", days = 7 },
            totalQuantity = 10, perMemberLimit = 1,
        }, Ct), 201);
        // This host's demo shop ships for free, so the coupon is all there is to pay (coupons never cover shipping).
        var shipping = await admin.GetAsync($"admin/shops/{DemoShopSeeder.ShopId}/shipping-template", Ct);
        await Json.ReadAsync(shipping, 200);
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"admin/shops/{DemoShopSeeder.ShopId}/shipping-template")
               {
                   Content = JsonContent.Create(new { basis = "count", defaultRate = new { firstUnits = 1, firstFeeFen = 0, additionalUnits = 1, additionalFeeFen = 0 } }, options: Json.Options),
               })
        {
            put.Headers.IfMatch.Add(shipping.Headers.ETag!);
            await Json.ReadAsync(await admin.SendAsync(put, Ct), 200);
        }
        var shopper = await Shopper.CreateAsync(host.Api, "free-order");
        var coupon = await Json.ReadAsync(await shopper.Client.PostAsync($"coupon-templates/{template.GetProperty("id").GetString()}/claim", null, Ct), 201);

        var tee = await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-tee", Ct), 200);
        var items = Shopper.Items(("prd-demo-tee", tee.GetProperty("skus")[0].GetProperty("id").GetString()!, 3));
        await LifecycleHost.EventuallyAsync(() => shopper.PreviewAsync(new { items, addressId = shopper.AddressId }),
            p => p.GetProperty("totals").GetProperty("payableFen").GetInt64() == 0); // the shop's marketing settings are cached for a few seconds
        var placed = await host.PlaceAsync(shopper, ("prd-demo-tee", 0, 3));
        Assert.Equal(0, placed.GetProperty("payableFen").GetInt64());
        Assert.False(placed.GetProperty("paymentRequired").GetBoolean());
        var paymentOrderId = placed.GetProperty("paymentOrderId").GetString()!;
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;

        var order = await LifecycleHost.EventuallyAsync(async () => await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200),
            o => o.GetProperty("status").GetString() == "awaitingShipment");
        Assert.Contains(order.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("actor").GetString() == "system" && e.GetProperty("action").GetString() == "paid");
        var problem = await Json.ProblemAsync(await shopper.Client.PostAsync($"payments/{paymentOrderId}/prepay", null, Ct), 409);
        Assert.Equal("already_paid", problem.GetProperty("code").GetString());
        Assert.False(host.Sandbox.Knows(paymentOrderId));
        var used = (await Json.ReadAsync(await shopper.Client.GetAsync("wallet/coupons?status=used", Ct), 200)).EnumerateArray();
        Assert.Contains(used, c => c.GetProperty("id").GetString() == coupon.GetProperty("id").GetString());

        // The shopper changes their mind before shipment: a refund of 0 fen, settled without WeChat Pay, closes the order.
        var refund = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "不要了" }, Ct), 201);
        Assert.Equal(0, refund.GetProperty("amountFen").GetInt64());
        await Json.ReadAsync(await admin.PostAsync($"admin/refunds/{refund.GetProperty("id").GetString()}/approve", null, Ct), 200);
        await LifecycleHost.EventuallyAsync(async () => await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}", Ct), 200),
            o => o.GetProperty("status").GetString() == "closed");
        Assert.False(host.Sandbox.Knows(refund.GetProperty("id").GetString()!));
    }
}
