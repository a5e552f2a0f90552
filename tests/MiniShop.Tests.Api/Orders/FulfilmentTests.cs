using System.Text.Json;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

public class FulfilmentTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> OrderAsync(Shopper s, string id) => await Json.ReadAsync(await s.Client.GetAsync($"orders/{id}", Ct), 200);

    [Fact]
    public async Task The_wms_ships_the_carrier_delivers_and_the_shopper_follows_the_parcel()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "wms-flow");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 0, 1));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!);
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "awaitingShipment");

        var client = host.Api.Client();
        var shipped = await Json.ReadAsync(await client.SendAsync(LifecycleHost.PartnerRequest("webhooks/wms/shipments", new { orderId, carrier = "SF", trackingNumber = "SF100200300" }), Ct), 200);
        Assert.Equal("shipped", shipped.GetProperty("status").GetString());
        // The same shipment again (a retried webhook) changes nothing.
        await Json.ReadAsync(await client.SendAsync(LifecycleHost.PartnerRequest("webhooks/wms/shipments", new { orderId, carrier = "SF", trackingNumber = "SF100200300" }), Ct), 200);

        var t0 = DateTimeOffset.UtcNow.AddHours(-3);
        await Json.ReadAsync(await client.SendAsync(LifecycleHost.PartnerRequest("webhooks/wms/logistics", new
        {
            orderId, trackingNumber = "SF100200300",
            events = new[] { new { status = "inTransit", description = "已揽收", location = "深圳", occurredAt = t0 }, new { status = "inTransit", description = "运输中", location = "广州", occurredAt = t0.AddHours(1) } },
        }), Ct), 200);
        var delivered = await Json.ReadAsync(await client.SendAsync(LifecycleHost.PartnerRequest("webhooks/wms/logistics", new
        {
            orderId, events = new[] { new { status = "delivered", description = "已签收", location = "广州", occurredAt = t0.AddHours(2) } },
        }), Ct), 200);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());

        var trace = await Json.ReadAsync(await shopper.Client.GetAsync($"orders/{orderId}/logistics", Ct), 200);
        Assert.Equal("SF100200300", trace.GetProperty("shipment").GetProperty("trackingNumber").GetString());
        Assert.Equal(["delivered", "inTransit", "inTransit"], trace.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "completed");
    }

    [Fact]
    public async Task Unsigned_or_forged_partner_calls_change_nothing()
    {
        var shopper = await Shopper.CreateAsync(host.Api, "wms-forged");
        var placed = await host.PlaceAsync(shopper, ("prd-demo-cap", 2, 1));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!);
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "awaitingShipment");

        var forged = LifecycleHost.PartnerRequest("webhooks/wms/shipments", new { orderId, carrier = "SF", trackingNumber = "X" }, secret: "guessed-secret");
        await Json.ProblemAsync(await host.Api.Client().SendAsync(forged, Ct), 401);
        await Json.ProblemAsync(await host.Api.Client().SendAsync(LifecycleHost.PartnerRequest("webhooks/wms/shipments", new { orderId }), Ct), 400, "carrier", "trackingNumber");
        Assert.Equal("awaitingShipment", (await OrderAsync(shopper, orderId)).GetProperty("status").GetString());
    }
}
