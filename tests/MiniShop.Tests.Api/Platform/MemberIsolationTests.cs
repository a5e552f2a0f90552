using System.Net.Http.Json;
using System.Text;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Platform;

/// <summary>Users only ever see their own data: another shopper's ids reach nothing, on any shopper endpoint.</summary>
public class MemberIsolationTests(HostileInputHost host) : IClassFixture<HostileInputHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_shopper_never_reaches_another_shoppers_addresses_cart_orders_payments_refunds_or_coupons()
    {
        // The owner has one of everything: an address, a cart line, a paid order and its payment, a refund, a coupon.
        var owner = await Shopper.CreateAsync(host.Api, "iso-owner");
        var tee = await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-tee", Ct), 200);
        var sku = tee.GetProperty("skus")[0].GetProperty("id").GetString()!;
        var cart = await Json.ReadAsync(await owner.Client.PostAsJsonAsync("cart/items", new { productId = "prd-demo-tee", skuId = sku, quantity = 1 }, Ct), 200);
        var lineId = cart.GetProperty("shops")[0].GetProperty("lines")[0].GetProperty("lineId").GetString()!;
        var items = Shopper.Items(("prd-demo-tee", sku, 1));
        var preview = await owner.PreviewAsync(new { items, addressId = owner.AddressId });
        var placed = await Json.ReadAsync(await owner.PlaceAsync(new { items, addressId = owner.AddressId,
            expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64() }, Guid.NewGuid().ToString("N")), 201);
        var paymentOrderId = placed.GetProperty("paymentOrderId").GetString()!;
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await FlashSales.FlashSaleHost.PayAsync(owner, paymentOrderId);
        await Orders.LifecycleHost.EventuallyAsync(async () => await Json.ReadAsync(await owner.Client.GetAsync($"orders/{orderId}", Ct), 200),
            o => o.GetProperty("status").GetString() == "awaitingShipment");
        var refundId = (await Json.ReadAsync(await owner.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "看看别人能不能动" }, Ct), 201))
            .GetProperty("id").GetString()!;
        var couponId = (await Json.ReadAsync(await owner.Client.PostAsync($"coupon-templates/{DemoShopSeeder.ShopCouponTemplateId}/claim", null, Ct), 201))
            .GetProperty("id").GetString()!;
        string[] ownersIds = [owner.AddressId, lineId, orderId, paymentOrderId, refundId, couponId];

        // Another shopper tries every shopper endpoint with each of them.
        var intruder = await Shopper.CreateAsync(host.Api, "iso-intruder");
        var reached = new List<string>();
        foreach (var f in HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly).Where(f => f.Api?.Auth is ApiAuth.Member or ApiAuth.OptionalMember && f.Route.Contains('{')))
        foreach (var id in ownersIds)
        foreach (var verb in f.Methods)
        {
            var path = HostileInputTests.RouteParameter().Replace(f.Route, Uri.EscapeDataString(id));
            using var request = new HttpRequestMessage(new HttpMethod(verb), path);
            if (verb is not ("GET" or "DELETE")) request.Content = new StringContent("{\"quantity\":1,\"reason\":\"mine now\",\"addressId\":\"" + intruder.AddressId + "\"}", Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var response = await intruder.Client.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            // A DELETE of something the intruder does not have is a no-op on their own data (deletes are idempotent);
            // anything else that succeeds, or any answer carrying the owner's data, reached the owner.
            var leaks = ownersIds.Any(o => text.Contains(o, StringComparison.Ordinal) && !path.Contains(Uri.EscapeDataString(o), StringComparison.Ordinal));
            if ((response.IsSuccessStatusCode && verb != "DELETE") || leaks)
                reached.Add($"{verb} /api/{path}: {(int)response.StatusCode} {HostileInputTests.Short(text)}");
        }
        Assert.True(reached.Count == 0, string.Join('\n', reached.Take(30)));

        // And the owner's things are as they were.
        Assert.Equal("awaitingShipment", (await Json.ReadAsync(await owner.Client.GetAsync($"orders/{orderId}", Ct), 200)).GetProperty("status").GetString());
        await Json.ReadAsync(await owner.Client.GetAsync($"addresses/{owner.AddressId}", Ct), 200);
        await Json.ReadAsync(await owner.Client.GetAsync($"wallet/coupons/{Uri.EscapeDataString(couponId)}", Ct), 200);
        var ownersCart = await Json.ReadAsync(await owner.Client.GetAsync("cart", Ct), 200);
        Assert.Contains(ownersCart.GetProperty("shops").EnumerateArray().SelectMany(s => s.GetProperty("lines").EnumerateArray()), l => l.GetProperty("lineId").GetString() == lineId);
        Assert.Equal("requested", (await Json.ReadAsync(await owner.Client.GetAsync($"orders/{orderId}/refunds", Ct), 200)).GetProperty("items")[0].GetProperty("status").GetString());
    }
}
