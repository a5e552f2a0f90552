using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

public class PointsLifecycleTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Shopper Shopper, string MemberId)> ShopperWithPointsAsync(string name, long points)
    {
        var session = await host.Api.MemberSessionAsync(name);
        var memberId = session.GetProperty("memberId").GetString()!;
        await host.Services.GetRequiredService<CosmosDb>().Container(CosmosSchema.Members)
            .PatchItemAsync<JsonElement>(memberId, new PartitionKey(memberId), [PatchOperation.Set("/points/available", points)], cancellationToken: Ct);
        return (await Shopper.CreateAsync(host.Api, name), memberId);
    }

    private async Task<PointsAccount> PointsAsync(string memberId)
        => (await host.Services.GetRequiredService<CosmosDb>().Container(CosmosSchema.Members).ReadItemAsync<MemberDocument>(memberId, new PartitionKey(memberId), cancellationToken: Ct)).Resource.Points!;

    private async Task<JsonElement> PlaceWithPointsAsync(Shopper shopper)
    {
        var tee = await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-tee", Ct), 200);
        var items = Shopper.Items(("prd-demo-tee", tee.GetProperty("skus")[4].GetProperty("id").GetString()!, 1));
        var preview = await shopper.PreviewAsync(new { items, addressId = shopper.AddressId, usePoints = true });
        Assert.True(preview.GetProperty("points").GetProperty("used").GetInt64() > 0);
        return await Json.ReadAsync(await shopper.PlaceAsync(new
        {
            items, addressId = shopper.AddressId, usePoints = true, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64(),
        }, Guid.NewGuid().ToString("N")), 201);
    }

    [Fact]
    public async Task Points_are_held_at_checkout_spent_when_paid_and_returned_when_cancelled()
    {
        var (payer, payerId) = await ShopperWithPointsAsync("points-pay", 2000);
        var paid = await PlaceWithPointsAsync(payer);
        var held = await PointsAsync(payerId);
        Assert.True(held.Locked > 0);
        Assert.Equal(2000, held.Available + held.Locked);
        await host.PayAsync(payer, paid.GetProperty("paymentOrderId").GetString()!);
        await LifecycleHost.EventuallyAsync(async () => JsonSerializer.SerializeToElement(await PointsAsync(payerId), Json.Options), p => p.GetProperty("locked").GetInt64() == 0);
        Assert.Equal(held.Available, (await PointsAsync(payerId)).Available); // spent: gone from both

        var (canceller, cancellerId) = await ShopperWithPointsAsync("points-cancel", 2000);
        var placed = await PlaceWithPointsAsync(canceller);
        await Json.ReadAsync(await canceller.Client.PostAsync($"orders/{placed.GetProperty("orders")[0].GetProperty("orderId").GetString()}/cancel", null, Ct), 200);
        Assert.Equal(new PointsAccount(2000, 0), await PointsAsync(cancellerId));
    }
}
