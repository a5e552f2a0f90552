using System.Net.Http.Json;
using System.Text.Json;
using MiniShop.Tests.Api.Checkout;

namespace MiniShop.Tests.Api.Orders;

/// <summary>Presales through the real orchestrations and the sandbox: deposit, balance window, forfeit, split refunds.</summary>
public class PresaleLifecycleTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> PresaleAsync(int balanceOpensIn, int balanceClosesIn, bool refundable = false)
    {
        var now = DateTimeOffset.UtcNow;
        var admin = await host.Api.AdminTokenAsync();
        var created = await Json.ReadAsync(await host.Api.Client(admin).PostAsJsonAsync("admin/presales", new
        {
            shopId = "shop-demo", name = "秋冬新款预售", productId = "prd-demo-jeans", depositFen = 5000, depositValueFen = 10000,
            depositStartsAt = now.AddSeconds(-10), depositEndsAt = now.AddSeconds(balanceOpensIn), balanceStartsAt = now.AddSeconds(balanceOpensIn),
            balanceEndsAt = now.AddSeconds(balanceClosesIn), shipBy = now.AddDays(10), depositRefundable = refundable, perMemberLimit = 2,
        }, Ct), 201);
        return created.GetProperty("id").GetString()!;
    }

    private async Task<(Shopper Shopper, string OrderId, long Deposit)> DepositAsync(string name, string presaleId)
    {
        var shopper = await Shopper.CreateAsync(host.Api, name);
        var jeans = await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-jeans", Ct), 200);
        var sku = jeans.GetProperty("skus")[2].GetProperty("id").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"presales/{presaleId}/deposits")
        {
            Content = JsonContent.Create(new { skuId = sku, quantity = 1, addressId = shopper.AddressId, expectedPayableFen = 5000 }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var placed = await Json.ReadAsync(await shopper.Client.SendAsync(request, Ct), 201);
        Assert.Equal(5000, placed.GetProperty("payableFen").GetInt64());
        Assert.Equal(204, await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!));
        var orderId = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "awaitingBalance");
        return (shopper, orderId, 5000);
    }

    private async Task<JsonElement> OrderAsync(Shopper s, string id) => await Json.ReadAsync(await s.Client.GetAsync($"orders/{id}", Ct), 200);

    private static IEnumerable<string?> Actions(JsonElement order) => order.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString());

    [Fact]
    public async Task The_balance_is_paid_in_its_window_and_a_later_refund_splits_between_both_payments()
    {
        var presaleId = await PresaleAsync(balanceOpensIn: 4, balanceClosesIn: 60);
        var (shopper, orderId, deposit) = await DepositAsync("presale-paid", presaleId);
        await Json.ProblemAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/balance/preview", new { }, Ct), 422); // window not open yet

        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => Actions(o).Contains("balance due"));
        var preview = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/balance/preview", new { }, Ct), 200);
        var balance = preview.GetProperty("balanceFen").GetInt64();
        Assert.Equal(preview.GetProperty("pricing").GetProperty("totals").GetProperty("payableFen").GetInt64() - 10000, balance); // the deposit counts for ¥100

        var placed = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/balance", new { expectedBalanceFen = balance }, Ct), 201);
        var again = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/balance", new { expectedBalanceFen = balance }, Ct), 201);
        Assert.Equal(placed.GetProperty("paymentOrderId").GetString(), again.GetProperty("paymentOrderId").GetString());
        Assert.Equal(204, await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!));

        var paid = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "awaitingShipment");
        Assert.Equal(deposit + balance, paid.GetProperty("amounts").GetProperty("payableFen").GetInt64());
        Assert.Equal(["created", "deposit paid", "balance due", "balance payment created", "balance paid"], Actions(paid));

        var refund = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/refunds", new { reason = "不想要了" }, Ct), 201);
        var parts = refund.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(2, parts.Count);
        Assert.Equal(refund.GetProperty("amountFen").GetInt64(), parts.Sum(p => p.GetProperty("amountFen").GetInt64()));
        Assert.True(parts.Single(p => p.GetProperty("outRefundNo").GetString()!.EndsWith('D')).GetProperty("amountFen").GetInt64() <= deposit);
        var admin = await host.Api.AdminTokenAsync();
        await Json.ReadAsync(await host.Api.Client(admin).PostAsync($"admin/refunds/{refund.GetProperty("id").GetString()}/approve", null, Ct), 200);
        await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "closed");
    }

    [Fact]
    public async Task A_missed_balance_forfeits_the_deposit_and_returns_the_units()
    {
        var presaleId = await PresaleAsync(balanceOpensIn: 2, balanceClosesIn: 6);
        var before = (await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-jeans", Ct), 200)).GetProperty("skus")[2].GetProperty("stock").GetInt64();
        var (shopper, orderId, _) = await DepositAsync("presale-missed", presaleId);

        var closed = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "closed");
        Assert.Contains("deposit forfeited", Actions(closed));
        await LifecycleHost.EventuallyAsync(async () => (await Json.ReadAsync(await host.Api.Client().GetAsync("catalog/products/prd-demo-jeans", Ct), 200)).GetProperty("skus")[2],
            sku => sku.GetProperty("stock").GetInt64() == before);
        await Json.ProblemAsync(await shopper.Client.PostAsJsonAsync($"orders/{orderId}/balance", new { expectedBalanceFen = 1 }, Ct), 409);
    }

    [Fact]
    public async Task A_refundable_deposit_is_refunded_when_the_balance_is_missed()
    {
        var presaleId = await PresaleAsync(balanceOpensIn: 2, balanceClosesIn: 6, refundable: true);
        var (shopper, orderId, _) = await DepositAsync("presale-refundable", presaleId);
        var closed = await LifecycleHost.EventuallyAsync(() => OrderAsync(shopper, orderId), o => o.GetProperty("status").GetString() == "closed");
        Assert.Contains("deposit refunded", Actions(closed));
    }

    [Fact]
    public async Task Presale_setup_is_validated_field_by_field()
    {
        var admin = await host.Api.AdminTokenAsync();
        var now = DateTimeOffset.UtcNow;
        await Json.ProblemAsync(await host.Api.Client(admin).PostAsJsonAsync("admin/presales", new
        {
            shopId = "shop-demo", name = "", productId = "prd-demo-jeans", depositFen = 5000, depositValueFen = 1000,
            depositStartsAt = now, depositEndsAt = now.AddSeconds(-1), balanceStartsAt = now, balanceEndsAt = now.AddDays(1), shipBy = now,
        }, Ct), 400, "name", "depositValueFen", "depositEndsAt", "shipBy");
    }
}
