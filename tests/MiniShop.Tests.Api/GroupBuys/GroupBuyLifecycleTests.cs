using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Domain.GroupBuys;
using MiniShop.Infrastructure.GroupBuys;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Api.Orders;
using static MiniShop.Tests.Api.GroupBuys.GroupBuyDriver;

namespace MiniShop.Tests.Api.GroupBuys;

/// <summary>
/// Groups live through the real orchestrations (one per group), the sandbox WeChat Pay and the webhooks, with group
/// durations and payment deadlines in seconds.
/// </summary>
public class GroupBuyLifecycleTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly GroupBuyDriver gb = new(host);

    [Fact]
    public async Task A_full_group_succeeds_and_every_members_order_goes_on_to_shipment()
    {
        var a = await gb.CreateAsync("prd-demo-shirt", [0], off: 5_000, size: 3, seconds: 120, leaderDiscount: 1_000);
        var leader = await Shopper.CreateAsync(host.Api, "gb-ok-leader");
        var opened = await gb.PaidAsync(leader, gb.OpenAsync(leader, a));
        var groupId = opened.GetProperty("groupId").GetString()!;
        var leaderOrder = await LifecycleHost.EventuallyAsync(() => OrderAsync(leader, OrderIdOf(opened)), o => Status(o) == "awaitingGroup");
        Assert.Equal(a.GroupPrices[0] - 1_000, leaderOrder.GetProperty("lines")[0].GetProperty("unitPriceFen").GetInt64());

        var group = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => g.GetProperty("paidMembers").GetInt32() == 1);
        Assert.Equal(("open", 3, 2, 1), (Status(group), group.GetProperty("size").GetInt32(), group.GetProperty("seatsLeft").GetInt32(), group.GetProperty("paidMembers").GetInt32()));
        Assert.True(group.GetProperty("secondsLeft").GetInt64() is > 100 and <= 120);
        var member = Assert.Single(group.GetProperty("members").EnumerateArray());
        Assert.True(member.GetProperty("leader").GetBoolean());
        Assert.DoesNotContain("mbr_", member.ToString());

        // Paid but not formed: it cannot ship yet, and ERP/WMS have not heard of it.
        Assert.Empty(await gb.OutboxEventTypesAsync(OrderIdOf(opened)));
        var admin = host.Api.Client(await host.Api.AdminTokenAsync());
        await Json.ProblemAsync(await admin.PostAsJsonAsync($"admin/orders/{OrderIdOf(opened)}/ship", new { carrier = "SF", trackingNumber = "SF1" }, Ct), 409);

        var first = await Shopper.CreateAsync(host.Api, "gb-ok-a");
        var second = await Shopper.CreateAsync(host.Api, "gb-ok-b");
        var joinedA = await gb.PaidAsync(first, gb.JoinAsync(first, a, groupId));
        Assert.Equal(a.GroupPrices[0], (await OrderAsync(first, OrderIdOf(joinedA))).GetProperty("lines")[0].GetProperty("unitPriceFen").GetInt64());
        var joinedB = await gb.PaidAsync(second, gb.JoinAsync(second, a, groupId));

        foreach (var (s, placed) in new[] { (leader, opened), (first, joinedA), (second, joinedB) })
            await LifecycleHost.EventuallyAsync(() => OrderAsync(s, OrderIdOf(placed)), o => Status(o) == "awaitingShipment");
        group = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => Status(g) == "succeeded");
        Assert.Equal(("full", 0, 3), (group.GetProperty("outcome").GetString(), group.GetProperty("seatsLeft").GetInt32(), group.GetProperty("paidMembers").GetInt32()));
        Assert.Empty(await RefundsAsync(leader, OrderIdOf(opened)));
        Assert.Equal(["order.paid"], await gb.OutboxEventTypesAsync(OrderIdOf(joinedB))); // announced once the group formed
        Assert.Equal("\"succeeded:full\"", await gb.CompletedOutputAsync(groupId)); // the event won: its deadline timer was cancelled

        var late = await Shopper.CreateAsync(host.Api, "gb-ok-late");
        var refused = await Json.ProblemAsync(await gb.JoinAsync(late, a, groupId, expectedPayableFen: 1), 409);
        Assert.Equal("group_closed", refused.GetProperty("code").GetString());

        var results = await gb.ResultsAsync(a.Id);
        Assert.Equal((1L, 0L, 1L, 0L, 3L, 3L, 0L), (results.GetProperty("groupsOpened").GetInt64(), results.GetProperty("groupsOpen").GetInt64(),
            results.GetProperty("groupsSucceeded").GetInt64(), results.GetProperty("groupsFailed").GetInt64(), results.GetProperty("ordersSucceeded").GetInt64(),
            results.GetProperty("unitsSucceeded").GetInt64(), results.GetProperty("ordersRefunded").GetInt64()));
        await Json.ReadAsync(await admin.PostAsJsonAsync($"admin/orders/{OrderIdOf(opened)}/ship", new { carrier = "SF", trackingNumber = "SF1" }, Ct), 200);
    }

    [Fact]
    public async Task An_expired_group_refunds_every_paid_member_once_closes_their_orders_and_returns_the_stock()
    {
        var a = await gb.CreateAsync("prd-demo-jeans", [0], off: 10_000, size: 3, seconds: 6);
        var before = await gb.AvailableAsync("prd-demo-jeans", 0);
        var leader = await Shopper.CreateAsync(host.Api, "gb-fail-leader");
        var paidMember = await Shopper.CreateAsync(host.Api, "gb-fail-a");
        var unpaidMember = await Shopper.CreateAsync(host.Api, "gb-fail-b");
        var opened = await gb.PaidAsync(leader, gb.OpenAsync(leader, a, quantity: 2));
        var groupId = opened.GetProperty("groupId").GetString()!;
        var joined = await gb.PaidAsync(paidMember, gb.JoinAsync(paidMember, a, groupId));
        var unpaid = await Json.ReadAsync(await gb.JoinAsync(unpaidMember, a, groupId), 201);
        Assert.Equal(before - 4, await gb.AvailableAsync("prd-demo-jeans", 0));

        var group = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => Status(g) == "failed");
        Assert.Equal(("expired", 0), (group.GetProperty("outcome").GetString(), group.GetProperty("seatsLeft").GetInt32()));

        foreach (var (s, placed) in new[] { (leader, opened), (paidMember, joined) })
        {
            var orderId = OrderIdOf(placed);
            var closed = await LifecycleHost.EventuallyAsync(() => OrderAsync(s, orderId), o => Status(o) == "closed", 40);
            var refund = Assert.Single(await RefundsAsync(s, orderId));
            Assert.Equal(("GB" + orderId, "succeeded"), (refund.GetProperty("id").GetString(), Status(refund)));
            Assert.Equal(closed.GetProperty("amounts").GetProperty("payableFen").GetInt64(), refund.GetProperty("amountFen").GetInt64());
            Assert.Equal(["created", "paid", "refund started", "closed"], closed.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        }
        await LifecycleHost.EventuallyAsync(() => OrderAsync(unpaidMember, OrderIdOf(unpaid)), o => Status(o) == "cancelled", 40);
        await LifecycleHost.EventuallyAsync(async () => JsonSerializer.SerializeToElement(await gb.AvailableAsync("prd-demo-jeans", 0)), n => n.GetInt64() == before, 40);

        var results = await LifecycleHost.EventuallyAsync(() => gb.ResultsAsync(a.Id), r => r.GetProperty("ordersRefunded").GetInt64() == 2);
        Assert.Equal((1L, 0L, 0L, 3L), (results.GetProperty("groupsFailed").GetInt64(), results.GetProperty("groupsSucceeded").GetInt64(),
            results.GetProperty("groupsOpen").GetInt64(), results.GetProperty("unitsRefunded").GetInt64()));
        // Everything settled: the group's instance is done, each member's order lifecycle ended, still one refund each.
        Assert.Equal("\"failed:2/2 refunded\"", await gb.CompletedOutputAsync(groupId, 40));
        Assert.Equal("\"closed\"", await gb.CompletedOutputAsync(OrderIdOf(opened)));
        Assert.Equal("\"closed\"", await gb.CompletedOutputAsync(OrderIdOf(joined)));
        Assert.Single(await RefundsAsync(leader, OrderIdOf(opened)));
        Assert.Empty(await gb.OutboxEventTypesAsync(OrderIdOf(opened))); // never announced to ERP/WMS, so nothing to take back
        Assert.Equal(["order.cancelled"], await gb.OutboxEventTypesAsync(OrderIdOf(unpaid)));
    }

    [Fact]
    public async Task A_group_short_of_one_member_succeeds_virtually_and_a_late_payment_still_joins_it()
    {
        var a = await gb.CreateAsync("prd-demo-tee", [0], off: 3_000, size: 3, seconds: 4, virtualMax: 1);
        var leader = await Shopper.CreateAsync(host.Api, "gb-virtual-leader");
        var slow = await Shopper.CreateAsync(host.Api, "gb-virtual-slow");
        var quick = await Shopper.CreateAsync(host.Api, "gb-virtual-quick");
        var slowPreview = await gb.PreviewAsync(slow, a.Id, a.SkuIds[0], 1, AnyGroup(a));
        var opened = await Json.ReadAsync(await gb.OpenAsync(leader, a), 201);
        var groupId = opened.GetProperty("groupId").GetString()!;
        var slowPlaced = await Json.ReadAsync(await gb.JoinAsync(slow, a, groupId, expectedPayableFen: slowPreview.GetProperty("totals").GetProperty("payableFen").GetInt64()), 201);
        Assert.Equal(204, await host.PayAsync(leader, opened.GetProperty("paymentOrderId").GetString()!));
        var quickPlaced = await gb.PaidAsync(quick, gb.JoinAsync(quick, a, groupId));

        var group = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => Status(g) != "open");
        Assert.Equal(("succeeded", "virtual", 2), (Status(group), group.GetProperty("outcome").GetString(), group.GetProperty("paidMembers").GetInt32()));
        await LifecycleHost.EventuallyAsync(() => OrderAsync(leader, OrderIdOf(opened)), o => Status(o) == "awaitingShipment");
        await LifecycleHost.EventuallyAsync(() => OrderAsync(quick, OrderIdOf(quickPlaced)), o => Status(o) == "awaitingShipment");

        // The slow member pays after the group formed, before their own payment deadline: they are in.
        Assert.Equal(204, await host.PayAsync(slow, slowPlaced.GetProperty("paymentOrderId").GetString()!));
        await LifecycleHost.EventuallyAsync(() => OrderAsync(slow, OrderIdOf(slowPlaced)), o => Status(o) == "awaitingShipment");
        Assert.Equal(3, (await gb.GroupAsync(groupId)).GetProperty("paidMembers").GetInt32());
        var results = await gb.ResultsAsync(a.Id);
        Assert.Equal((1L, 3L, 0L), (results.GetProperty("groupsSucceeded").GetInt64(), results.GetProperty("ordersSucceeded").GetInt64(), results.GetProperty("ordersRefunded").GetInt64()));
    }

    [Fact]
    public async Task A_seat_whose_join_died_before_placing_its_order_is_given_back_when_the_group_is_full()
    {
        var a = await gb.CreateAsync("prd-demo-cap", [0], off: 1_000, size: 2, seconds: 120);
        var leader = await Shopper.CreateAsync(host.Api, "gb-orphan-leader");
        var groupId = (await gb.PaidAsync(leader, gb.OpenAsync(leader, a))).GetProperty("groupId").GetString()!;

        // A join took the last seat two minutes ago and crashed before its order was written.
        var store = host.Services.GetRequiredService<GroupBuyStore>();
        var activity = (await store.FindActivityAsync(a.Id, Ct))!.Value;
        var joinedAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        Assert.True(await store.JoinAsync(activity, groupId, new GroupSeat("mbr-gb-ghost", "ord-gb-ghost", a.SkuIds[0], 1, false, SeatStatus.Held, "ghost", null,
            joinedAt, joinedAt.AddMinutes(30)), Ct));
        Assert.Equal(0, (await gb.GroupAsync(groupId)).GetProperty("seatsLeft").GetInt32());

        var joiner = await Shopper.CreateAsync(host.Api, "gb-orphan-joiner");
        await gb.PaidAsync(joiner, gb.JoinAsync(joiner, a, groupId));
        var formed = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => Status(g) == "succeeded");
        Assert.Equal(2, formed.GetProperty("paidMembers").GetInt32());
        Assert.Equal(2, formed.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task Joins_racing_the_expiry_never_pay_more_members_than_seats_and_no_order_is_both_refunded_and_shippable()
    {
        // Four groups, each with a crowd joining and paying at once at a different moment around its deadline: well
        // before (the group fills), just before (the last payments race the deadline's decision) and just after.
        int[] offsetsMs = [-1_200, -400, -200, -100, 0, 300];
        const int joiners = 5, size = 3;
        var a = await gb.CreateAsync("prd-demo-tee", [5, 6, 7, 8, 9, 10], off: 1_000, size: size, seconds: 5);
        var before = new long[offsetsMs.Length];
        var crowd = new List<Shopper>[offsetsMs.Length];
        for (var g = 0; g < offsetsMs.Length; g++)
        {
            before[g] = await gb.AvailableAsync("prd-demo-tee", 5 + g);
            crowd[g] = [];
            for (var j = 0; j < joiners; j++) crowd[g].Add(await Shopper.CreateAsync(host.Api, $"gb-race-{g}-{j}"));
        }

        await Task.WhenAll(Enumerable.Range(0, offsetsMs.Length).Select(g => RaceAsync(a, g, 5 + g, crowd[g], before[g], size, offsetsMs[g])));
    }

    private async Task RaceAsync(GroupBuyDriver.Activity a, int sku, int productSku, List<Shopper> crowd, long before, int size, int offsetMs)
    {
        var leader = await Shopper.CreateAsync(host.Api, $"gb-race-leader-{sku}");
        var expected = (await gb.PreviewAsync(crowd[0], a.Id, a.SkuIds[sku], 1, AnyGroup(a))).GetProperty("totals").GetProperty("payableFen").GetInt64();
        var opened = await gb.PaidAsync(leader, gb.OpenAsync(leader, a, sku));
        var groupId = opened.GetProperty("groupId").GetString()!;
        var expiresAt = (await gb.GroupAsync(groupId)).GetProperty("expiresAt").GetDateTimeOffset();

        var wait = expiresAt + TimeSpan.FromMilliseconds(offsetMs) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, Ct);
        var attempts = await Task.WhenAll(crowd.Select(async (s, i) =>
        {
            await Task.Delay(i * 60, Ct);
            using var response = await gb.JoinAsync(s, a, groupId, sku, expectedPayableFen: expected);
            if ((int)response.StatusCode != 201)
            {
                var problem = await Json.ProblemAsync(response, 409);
                Assert.Contains(problem.GetProperty("code").GetString(), new[] { "group_full", "group_closed" });
                return (s, (JsonElement?)null);
            }
            var placed = await Json.ReadAsync(response, 201);
            await host.PayAsync(s, placed.GetProperty("paymentOrderId").GetString()!);
            return (s, (JsonElement?)placed);
        }));

        var group = await LifecycleHost.EventuallyAsync(() => gb.GroupAsync(groupId), g => Status(g) != "open", 40);
        var orders = new List<(Shopper Shopper, JsonElement Order, JsonElement[] Refunds)>();
        foreach (var (s, placed) in attempts.Where(x => x.Item2 is not null).Select(x => (x.s, x.Item2!.Value)).Prepend((leader, opened)))
        {
            var order = await LifecycleHost.EventuallyAsync(() => OrderAsync(s, OrderIdOf(placed)),
                o => Status(o) is "awaitingShipment" or "cancelled" || (Status(o) == "closed"), 60);
            orders.Add((s, order, await RefundsAsync(s, OrderIdOf(placed))));
        }

        group = await gb.GroupAsync(groupId);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"group {sku} ({offsetMs} ms): {Status(group)} ({group.GetProperty("outcome")}), {attempts.Count(x => x.Item2 is not null)}/{crowd.Count} joins placed, " +
            $"orders: {string.Join(", ", orders.Select(o => $"{Status(o.Order)}{(o.Refunds.Length > 0 ? "+refund" : "")}"))}");
        var paidOrders = orders.Where(o => o.Order.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("action").GetString() == "paid")).ToList();
        Assert.True(group.GetProperty("paidMembers").GetInt32() <= size, $"{group}");
        Assert.True(paidOrders.Count <= size, $"{paidOrders.Count} orders paid for {size} seats");
        Assert.Equal(group.GetProperty("paidMembers").GetInt32(), paidOrders.Count);
        foreach (var (_, order, refunds) in orders)
            Assert.False(Status(order) is "awaitingShipment" or "shipped" && refunds.Length > 0, $"order {order.GetProperty("id")} is both refunded and shippable");

        if (Status(group) == "succeeded")
        {
            Assert.All(paidOrders, o => Assert.Equal("awaitingShipment", Status(o.Order)));
            Assert.All(orders, o => Assert.Empty(o.Refunds));
        }
        else
        {
            Assert.All(paidOrders, o =>
            {
                Assert.Equal("closed", Status(o.Order));
                var refund = Assert.Single(o.Refunds);
                Assert.Equal(("GB" + o.Order.GetProperty("id").GetString(), "succeeded"), (refund.GetProperty("id").GetString(), Status(refund)));
            });
        }
        var sold = orders.Where(o => Status(o.Order) == "awaitingShipment").Sum(o => o.Order.GetProperty("lines")[0].GetProperty("quantity").GetInt64());
        await LifecycleHost.EventuallyAsync(async () => JsonSerializer.SerializeToElement(await gb.AvailableAsync("prd-demo-tee", productSku)), n => n.GetInt64() == before - sold, 40);
    }
}
