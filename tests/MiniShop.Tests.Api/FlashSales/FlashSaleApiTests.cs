using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Domain.FlashSales;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Demo;
using MiniShop.Tests.Api.Checkout;
using static MiniShop.Tests.Api.FlashSales.FlashSaleKit;

namespace MiniShop.Tests.Api.FlashSales;

public class FlashSaleApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Creating_a_session_validates_every_field_and_takes_the_stock_out_of_the_product()
    {
        var kit = await CreateAsync(host, stock: 30, skus: 2);
        var now = DateTimeOffset.UtcNow;

        var bad = await Json.ProblemAsync(await kit.Admin.PostAsJsonAsync("admin/flash-sales", kit.Draft(now.AddHours(2), now.AddHours(1),
            kit.Item(0, price: 19900), kit.Item(1, stock: 31), kit.Item(0, limit: 0)), Ct), 400,
            "endsAt", "items[0].flashPriceFen", "items[1].stock", "items[2].skuId", "items[2].perMemberLimit");
        Assert.Equal("validation_failed", bad.GetProperty("code").GetString());

        var created = await kit.Admin.PostAsJsonAsync("admin/flash-sales", kit.Draft(now.AddMinutes(30), now.AddHours(1), kit.Item(0, stock: 20), kit.Item(1, stock: 5)), Ct);
        var session = await Json.ReadAsync(created, 201);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal($"/api/admin/flash-sales/{Id(session)}", created.Headers.Location?.ToString());
        Assert.Equal(("scheduled", true), (session.GetProperty("status").GetString(), session.GetProperty("stockAllocated").GetBoolean()));
        var product = await Json.ReadAsync(await kit.Admin.GetAsync($"admin/products/{kit.ProductId}", Ct), 200);
        Assert.Equal((10, 25), (product.GetProperty("skus")[0].GetProperty("stock").GetProperty("available").GetInt32(),
            product.GetProperty("skus")[1].GetProperty("stock").GetProperty("available").GetInt32()));

        var overlap = await Json.ProblemAsync(await kit.Admin.PostAsJsonAsync("admin/flash-sales", kit.Draft(now.AddMinutes(50), now.AddHours(2), kit.Item(0, stock: 1)), Ct),
            400, "items[0].skuId");
        Assert.Contains(Id(session), overlap.GetProperty("errors").GetProperty("items[0].skuId")[0].GetString());

        var list = await Json.ReadAsync(await kit.Admin.GetAsync($"admin/flash-sales?shopId={kit.ShopId}", Ct), 200);
        Assert.Equal([Id(session)], list.EnumerateArray().Select(Id));
    }

    [Fact]
    public async Task Only_marketing_operators_of_the_shop_may_manage_its_sessions()
    {
        var kit = await CreateAsync(host, stock: 10);
        var session = await kit.SessionAsync(DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddHours(2), kit.Item(stock: 1));
        var merchant = host.Client(await host.AdminTokenAsync(DemoShopSeeder.MerchantUser)); // merchant-admin of shop-demo only
        var member = host.Client(await host.MemberTokenAsync("flash-nosy"));

        await Json.ProblemAsync(await merchant.PostAsJsonAsync("admin/flash-sales", kit.Draft(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), kit.Item()), Ct), 403);
        await Json.ProblemAsync(await merchant.GetAsync($"admin/flash-sales/{Id(session)}", Ct), 403);
        await Json.ProblemAsync(await merchant.GetAsync("admin/flash-sales", Ct), 400, "shopId");
        await Json.ProblemAsync(await member.GetAsync($"admin/flash-sales/{Id(session)}/results", Ct), 401);
        await Json.ProblemAsync(await host.Client().PostAsync($"admin/flash-sales/{Id(session)}/end", null, Ct), 401);
    }

    [Fact]
    public async Task Edits_need_if_match_and_are_refused_once_the_session_started()
    {
        var kit = await CreateAsync(host, stock: 30);
        var now = DateTimeOffset.UtcNow;
        var later = await kit.SessionAsync(now.AddHours(1), now.AddHours(2), kit.Item(stock: 10));
        var path = $"admin/flash-sales/{Id(later)}";
        var edit = kit.Draft(now.AddHours(1), now.AddHours(3), kit.Item(stock: 25, limit: 2, price: 8800));

        await Json.ProblemAsync(await SendAsync(kit.Admin, HttpMethod.Put, path, edit), 428);
        await Json.ProblemAsync(await SendAsync(kit.Admin, HttpMethod.Put, path, edit, "\"7\""), 412);
        var edited = await SendAsync(kit.Admin, HttpMethod.Put, path, edit, "\"1\"");
        var body = await Json.ReadAsync(edited, 200);
        Assert.Equal("\"2\"", edited.Headers.ETag?.Tag);
        Assert.Equal((25, 8800, 2), (body.GetProperty("items")[0].GetProperty("stock").GetInt32(), body.GetProperty("items")[0].GetProperty("flashPriceFen").GetInt32(),
            body.GetProperty("items")[0].GetProperty("perMemberLimit").GetInt32()));
        var product = await Json.ReadAsync(await kit.Admin.GetAsync($"admin/products/{kit.ProductId}", Ct), 200);
        Assert.Equal(5, product.GetProperty("skus")[0].GetProperty("stock").GetProperty("available").GetInt32());
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(later), 30);

        var other = await CreateAsync(host, stock: 5);
        var running = await other.SessionAsync(other.Item(stock: 5));
        var refused = await Json.ProblemAsync(await SendAsync(kit.Admin, HttpMethod.Put, $"admin/flash-sales/{Id(running)}",
            new { name = "x", startsAt = now.AddHours(1), endsAt = now.AddHours(2), items = new[] { new { productId = "p", skuId = "s", flashPriceFen = 1, stock = 1, perMemberLimit = 1 } } }, "\"1\""), 409);
        Assert.Equal("flash_sale_started", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Shoppers_see_running_and_upcoming_sessions_with_remaining_stock_and_buy_at_the_flash_price()
    {
        var kit = await CreateAsync(host, stock: 20, skus: 2);
        var now = DateTimeOffset.UtcNow;
        var running = await kit.SessionAsync(now, now.AddHours(1), kit.Item(0, price: 9900, stock: 10, limit: 2));
        var upcoming = await kit.SessionAsync(now.AddHours(2), now.AddHours(3), kit.Item(1, stock: 3));
        var shopper = await Shopper.CreateAsync(host, "flash-buyer");

        var preview = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"flash-sales/{Id(running)}/items/i1/preview", new { quantity = 2 }, Ct), 200);
        Assert.Equal(19800, preview.GetProperty("totals").GetProperty("payableFen").GetInt64());
        var line = preview.GetProperty("shops")[0].GetProperty("lines")[0];
        Assert.Equal((9900, "activity"), (line.GetProperty("unitPriceFen").GetInt64(), line.GetProperty("priceRule").GetString()));

        var key = Guid.NewGuid().ToString("N");
        var placed = await BuyAsync(shopper, running, quantity: 2, key: key);
        var result = await Json.ReadAsync(placed, 201);
        Assert.Equal(19800, result.GetProperty("payableFen").GetInt64());
        Assert.StartsWith("/api/payments/", placed.Headers.Location?.ToString());
        var order = (await host.Services.GetRequiredService<PaymentDocuments>().FindOrderAsync(
            (await host.Services.GetRequiredService<FlashStock>().HoldsOfSessionAsync(Id(running), Ct)).Single().Value.MemberId,
            result.GetProperty("orders")[0].GetProperty("orderId").GetString()!, Ct))!.Value;
        Assert.Equal((OrderStatus.PendingPayment, ActivityRef.FlashSale, FlashStock.SourceName), (order.Status, order.Activity?.Kind, order.StockSource));
        var due = result.GetProperty("paymentDueAt").GetDateTimeOffset();
        Assert.InRange(due - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(301)); // FlashSales:PaymentTimeoutSeconds = 300

        var replay = await BuyAsync(shopper, running, quantity: 2, key: key);
        Assert.Equal(result.GetProperty("paymentOrderId").GetString(), (await Json.ReadAsync(replay, 200)).GetProperty("paymentOrderId").GetString());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());

        var limit = await Json.ProblemAsync(await BuyAsync(shopper, running), 409);
        Assert.Equal(("limit_reached", 2), (limit.GetProperty("code").GetString(), limit.GetProperty("limit").GetInt32()));
        var early = await Json.ProblemAsync(await BuyAsync(shopper, upcoming), 409);
        Assert.Equal(("flash_sale_not_running", "upcoming"), (early.GetProperty("code").GetString(), early.GetProperty("phase").GetString()));
        await Json.ProblemAsync(await BuyAsync(shopper, running, quantity: 0), 400, "quantity");
        await Json.ProblemAsync(await BuyAsync(shopper, running, itemId: "i9"), 404);

        await Task.Delay(1100, Ct); // the shopper views are at most a second old
        var current = await Json.ReadAsync(await host.Client().GetAsync("flash-sales/current", Ct), 200);
        var mine = current.GetProperty("running").EnumerateArray().Single(s => Id(s) == Id(running));
        Assert.Equal((8, 9900, 19900), (mine.GetProperty("items")[0].GetProperty("remaining").GetInt32(), mine.GetProperty("items")[0].GetProperty("flashPriceFen").GetInt32(),
            mine.GetProperty("items")[0].GetProperty("listPriceFen").GetInt32()));
        Assert.Contains(current.GetProperty("upcoming").EnumerateArray(), s => Id(s) == Id(upcoming));
        var detail = await Json.ReadAsync(await host.Client().GetAsync($"flash-sales/{Id(upcoming)}", Ct), 200);
        Assert.Equal((FlashSalePhase.Upcoming, 3), (Phase(detail), detail.GetProperty("items")[0].GetProperty("remaining").GetInt32()));
        await Json.ProblemAsync(await host.Client().GetAsync("flash-sales/fls_nope", Ct), 404);
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(running), 20);
    }

    [Fact]
    public async Task Coupons_are_excluded_unless_the_item_allows_them()
    {
        var kit = await CreateAsync(host, stock: 20, skus: 2);
        var template = await Json.ReadAsync(await kit.Admin.PostAsJsonAsync("admin/coupon-templates", new
        {
            name = "立减10元", shopId = kit.ShopId, benefit = new { kind = "amountOff", amountFen = 1_000 }, thresholdFen = 0,
            claimStartsAt = DateTimeOffset.UtcNow.AddDays(-1), claimEndsAt = DateTimeOffset.UtcNow.AddDays(10),
            validity = new { kind = "daysFromClaim", days = 7 }, totalQuantity = 100, perMemberLimit = 1,
        }, Ct), 201);
        var session = await kit.SessionAsync(kit.Item(0, price: 9900, stock: 5), kit.Item(1, price: 9900, stock: 5, coupons: true));
        var shopper = await Shopper.CreateAsync(host, "flash-coupon");
        var coupon = await Json.ReadAsync(await shopper.Client.PostAsync($"coupon-templates/{Id(template)}/claim", null, Ct), 201);

        var excluded = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"flash-sales/{Id(session)}/items/i1/preview", new { quantity = 1 }, Ct), 200);
        Assert.Empty(excluded.GetProperty("chosenCouponIds").EnumerateArray());
        Assert.Equal(9900, excluded.GetProperty("totals").GetProperty("payableFen").GetInt64());
        Assert.Equal("activityPriceExcludesCoupons", excluded.GetProperty("unusedCoupons").EnumerateArray().Single(u => u.GetProperty("couponId").GetString() == Id(coupon))
            .GetProperty("code").GetString());
        var pinned = await Json.ProblemAsync(await BuyAsync(shopper, session, extra: new { quantity = 1, addressId = shopper.AddressId, couponIds = new[] { Id(coupon) } }), 422);
        Assert.Equal("coupon_not_applicable", pinned.GetProperty("code").GetString());
        Assert.Equal(5, (await ShardsAsync(host.Services, Id(session))).Sum(s => s.Remaining)); // the refused purchase gave its unit back

        var allowed = await Json.ReadAsync(await shopper.Client.PostAsJsonAsync($"flash-sales/{Id(session)}/items/i2/preview", new { quantity = 1 }, Ct), 200);
        Assert.Equal([Id(coupon)], allowed.GetProperty("chosenCouponIds").EnumerateArray().Select(c => c.GetString()));
        var placed = await Json.ReadAsync(await BuyAsync(shopper, session, itemId: "i2"), 201);
        Assert.Equal(8900, placed.GetProperty("payableFen").GetInt64());
    }

    [Fact]
    public async Task A_member_hammering_the_button_is_throttled_with_retry_after_and_never_passes_the_limit()
    {
        var kit = await CreateAsync(host, stock: 50);
        var session = await kit.SessionAsync(kit.Item(stock: 50, limit: 2));
        var shopper = await Shopper.CreateAsync(host, "flash-hammer");

        // The burst (5 at once) gets through the throttle: the limit document lets exactly two of them buy.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var r = await BuyAsync(shopper, session);
            return r.StatusCode == HttpStatusCode.Created ? "201" : (await Json.ProblemAsync(r, (int)r.StatusCode)).GetProperty("code").GetString()!;
        }));
        Assert.Equal(2, first.Count(s => s == "201"));
        Assert.Equal(3, first.Count(s => s == "limit_reached"));

        var more = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => BuyAsync(shopper, session)));
        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds); // FlashSales:MemberRefillPerSecond = 1
        var throttled = more.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(throttled.Count >= 30 - refilled, $"only {throttled.Count} of 30 were throttled after {refilled} s");
        Assert.All(throttled, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("too_many_requests", (await Json.ProblemAsync(throttled[0], 429)).GetProperty("code").GetString());
        Assert.DoesNotContain(more, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(2, (await ShardsAsync(host.Services, Id(session))).Sum(s => s.Held));
    }

    [Fact]
    public async Task Pause_resume_end_and_results()
    {
        var kit = await CreateAsync(host, stock: 40);
        var session = await kit.SessionAsync(kit.Item(stock: 30, limit: 3));
        var path = $"admin/flash-sales/{Id(session)}";
        var shopper = await Shopper.CreateAsync(host, "flash-pause");
        await Json.ReadAsync(await BuyAsync(shopper, session, quantity: 3), 201);

        var paused = await Json.ReadAsync(await SendAsync(kit.Admin, HttpMethod.Post, $"{path}/pause", ifMatch: "\"1\""), 200);
        Assert.Equal(("paused", 2), (paused.GetProperty("status").GetString(), paused.GetProperty("version").GetInt32()));
        var other = await Shopper.CreateAsync(host, "flash-pause-2");
        var refused = await Json.ProblemAsync(await BuyAsync(other, session), 409);
        Assert.Equal(("flash_sale_not_running", "paused"), (refused.GetProperty("code").GetString(), refused.GetProperty("phase").GetString()));
        await Json.ReadAsync(await SendAsync(kit.Admin, HttpMethod.Post, $"{path}/resume"), 200);
        await Json.ReadAsync(await BuyAsync(other, session), 201);

        var results = await Json.ReadAsync(await kit.Admin.GetAsync($"{path}/results", Ct), 200);
        var item = results.GetProperty("items")[0];
        Assert.Equal((30, 26, 4, 0, 2, 0, 2), (item.GetProperty("stock").GetInt32(), item.GetProperty("remainingUnits").GetInt32(), item.GetProperty("unpaidUnits").GetInt32(),
            item.GetProperty("soldUnits").GetInt32(), item.GetProperty("orders").GetInt32(), item.GetProperty("paidOrders").GetInt32(), item.GetProperty("unpaidOrders").GetInt32()));

        var ended = await Json.ReadAsync(await SendAsync(kit.Admin, HttpMethod.Post, $"{path}/end"), 200);
        Assert.Equal(("ended", true), (ended.GetProperty("status").GetString(), ended.GetProperty("stockReturned").GetBoolean()));
        var product = await Json.ReadAsync(await kit.Admin.GetAsync($"admin/products/{kit.ProductId}", Ct), 200);
        Assert.Equal(10 + 26, product.GetProperty("skus")[0].GetProperty("stock").GetProperty("available").GetInt32());
        var late = await Json.ProblemAsync(await BuyAsync(await Shopper.CreateAsync(host, "flash-late"), session), 409);
        Assert.Equal("flash_sale_not_running", late.GetProperty("code").GetString());
        Assert.Equal("flash_sale_ended", (await Json.ProblemAsync(await SendAsync(kit.Admin, HttpMethod.Post, $"{path}/pause"), 409)).GetProperty("code").GetString());
        await AssertInvariantAsync(host.Services, kit.ProductId, kit.SkuIds[0], Id(session), 40);
        Assert.Equal(FlashSalePhase.Ended, Phase(await Json.ReadAsync(await host.Client().GetAsync($"flash-sales/{Id(session)}", Ct), 200)));
    }
}
