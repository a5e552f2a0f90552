using System.Diagnostics;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Security;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>
/// The whole outbound path against a real, flaky HTTP partner: orders and stock movements written the way the app
/// writes them (state change and outbox event in one transactional batch), the outbox relay on the change feed, the
/// in-process publisher (redelivery up to the max delivery count, then a dead letter: what Service Bus does), the
/// delivery code the Service Bus functions call, and the real typed HTTP clients with their resilience pipeline, over
/// sockets to a local Kestrel that fails about half of its calls, lets some hang past the client's timeout and always
/// rejects one poison event.
/// </summary>
public sealed class FlakyPartnerTests
{
    private const int Orders = 15;
    private const int PaidOrders = 10;

    [Fact]
    public async Task Through_a_partner_failing_half_its_calls_every_event_is_taken_once_and_the_poison_one_ends_as_a_dead_letter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var partner = await FlakyPartnerEndpoint.StartAsync(SyncServices.ErpSecret, SyncServices.WmsSecret, ct);
        var settings = new Dictionary<string, string?>
        {
            ["Erp:BaseUrl"] = partner.ErpBaseUrl,
            ["Wms:BaseUrl"] = partner.WmsBaseUrl,
            // Service Bus stand-in: 5 deliveries per event and subscription, then a dead letter.
            ["Sync:LocalMaxDeliveryCount"] = "5",
            ["Sync:LocalRetryDelayMilliseconds"] = "20",
            ["Sync:RelayPollIntervalMilliseconds"] = "100",
        };
        foreach (var p in new[] { "Erp", "Wms" })
        {
            settings[$"{p}:AttemptTimeoutSeconds"] = "1";
            settings[$"{p}:TotalTimeoutSeconds"] = "10";
            settings[$"{p}:MaxRetryAttempts"] = "2";
            settings[$"{p}:RetryBaseDelayMilliseconds"] = "20";
        }
        await using var s = new SyncServices { StubPartners = false, Settings = settings };
        await s.InitializeAsync();

        // A busy moment of the shop: 15 orders reserve stock, 10 are paid (stock sold), 5 cancelled (stock released):
        // 65 events, about 125 ERP calls, more than the circuit breaker's minimum throughput (100).
        var events = await WriteOrdersAsync(s, ct);
        Assert.Equal(Orders + 25 + 16 + 9, events.Count);
        var poison = events.Single(e => e.EventType == OutboxEventTypes.StockSold && e.PayloadAs<StockEventPayload>().Reference == OrderId(3));
        var plans = events.Select((e, i) => (e.Id, Plan: Plan(i))).ToDictionary(x => x.Id, x => x.Plan, StringComparer.Ordinal);
        partner.Script = (_, key, attempt) => key == poison.Id ? FlakyAction.Reject
            : plans.TryGetValue(key, out var plan) && attempt < plan.Length ? plan[attempt] : FlakyAction.Accept;
        var erpExpected = events.Where(e => e.Id != poison.Id).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var wmsExpected = events.Where(e => e.Topic == SyncTopics.Orders).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

        var clock = Stopwatch.StartNew();
        var relay = s.Get<OutboxRelay>();
        await relay.StartAsync(ct);
        var admin = s.Get<DeadLetterAdmin>();
        var state = s.Get<SyncStateStore>();
        TimeSpan settledAfter;
        try
        {
            // Settled: the partners took everything, the poison event is a dead letter, every delivery is recorded.
            while (true)
            {
                var deadLetters = (await admin.ListAsync(null, null, 50, ct)).Items.Count;
                if (deadLetters > 1) break; // more than the poison one: the assertions below say which
                if (deadLetters == 1 && partner.Taken("erp").IsSupersetOf(erpExpected) && partner.Taken("wms").IsSupersetOf(wmsExpected)
                    && await AllDeliveredAsync(state, SyncRoutes.Erp, erpExpected, ct) && await AllDeliveredAsync(state, SyncRoutes.Wms, wmsExpected, ct))
                    break;
                if (clock.Elapsed > TimeSpan.FromSeconds(50))
                    Assert.Fail($"Not settled after {clock.Elapsed}: ERP lacks [{string.Join(", ", erpExpected.Except(partner.Taken("erp")))}], "
                                + $"WMS lacks [{string.Join(", ", wmsExpected.Except(partner.Taken("wms")))}]; {partner.Calls.Count} calls so far.");
                await Task.Delay(100, ct);
            }
            settledAfter = clock.Elapsed;
            await Task.Delay(1500, ct); // anything still to come (a second send, a relay repeat) would arrive by now
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }

        var all = partner.Calls;
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{events.Count} events, settled after {settledAfter.TotalSeconds:0.0}s; {all.Count} calls: "
                          + string.Join(", ", all.GroupBy(c => c.Action).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var d in (await admin.ListAsync(null, null, 200, ct)).Items)
            output?.WriteLine($"dead letter {d.Topic}/{d.Subscription} {d.EventId}: {d.Reason} (delivery {d.DeliveryCount}) {d.Description}");
        output?.WriteLine("calls per status: " + string.Join(", ", all.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));

        // The run: about half of the calls failed (503 or hung past the 1 s attempt timeout), and it took well under a minute.
        Assert.True(settledAfter < TimeSpan.FromSeconds(45), $"took {settledAfter}");
        var failed = all.Count(c => c.Action is FlakyAction.Unavailable or FlakyAction.Hang or FlakyAction.HangAfterTaking);
        Assert.InRange(failed / (double)all.Count, 0.4, 0.6);
        Assert.All(all.Where(c => c.Action is FlakyAction.Hang or FlakyAction.HangAfterTaking), c => Assert.False(c.Answered, "the client gave up on a hanging call"));
        // Every request was signed correctly and carried its event id as Idempotency-Key.
        Assert.All(all, c => Assert.True(c.SignatureValid && c.BodyMatchesKey, $"{c.Partner} {c.Key} #{c.Attempt}: signature or key wrong"));

        // Each event was taken exactly once by each partner it goes to, although many keys were sent several times.
        Assert.True(erpExpected.SetEquals(partner.Taken("erp")), "ERP took exactly the events other than the poison one");
        Assert.True(wmsExpected.SetEquals(partner.Taken("wms")), "WMS took exactly the order events");
        foreach (var (p, key) in all.Select(c => (c.Partner, c.Key)).Distinct())
        {
            var calls = all.Where(c => c.Partner == p && c.Key == key).OrderBy(c => c.Attempt).ToList();
            Assert.True(calls.Count(c => c.TookEvent) <= 1, $"{p} took {key} twice");
            // Once MiniShop got a 2xx for an event it never sends it again (delivery record): the only repeats of a taken
            // key are retries of a call whose answer was lost (the partner took it, then hung past the timeout).
            var firstOk = calls.FindIndex(c => c.Answered && c.Status is 200 or 201);
            Assert.True(firstOk < 0 || firstOk == calls.Count - 1, $"{p} got {key} again after answering 2xx");
            foreach (var duplicate in calls.Where(c => c is { Action: FlakyAction.Accept, TookEvent: false }))
                Assert.Contains(calls.Take(duplicate.Attempt), c => c is { TookEvent: true, Answered: false });
            if (key != poison.Id)
                Assert.True(calls.Count >= plans[key].Length + 1, $"{p} {key}: {calls.Count} calls, scripted {plans[key].Length} failures before success");
        }
        Assert.True(all.Where(c => c.Partner == "erp").GroupBy(c => c.Key).Count(g => g.Count() > 1) >= erpExpected.Count / 2, "many keys were sent more than once");
        var lostAnswers = plans.Count(p => p.Value.Contains(FlakyAction.HangAfterTaking) && p.Key != poison.Id)
                          + plans.Count(p => p.Value.Contains(FlakyAction.HangAfterTaking) && wmsExpected.Contains(p.Key));
        Assert.True(all.Count(c => c is { Action: FlakyAction.Accept, TookEvent: false }) >= lostAnswers, "a lost answer was followed by a duplicate send");
        // Three 503s outlast the in-call retries (1 + 2): the event was delivered on a later delivery.
        foreach (var key in plans.Where(p => p.Value.Length == 3 && p.Key != poison.Id).Select(p => p.Key))
            Assert.True(all.Count(c => c.Partner == "erp" && c.Key == key) >= 4, $"{key} was redelivered");
        // Per SKU (the session of stock events) the ERP took the events in the order they were written.
        foreach (var session in events.Where(e => e.Topic == SyncTopics.Inventory && e.Id != poison.Id).GroupBy(e => e.SessionId))
        {
            var written = session.OrderBy(e => Step(e.EventType)).ThenBy(e => e.PayloadAs<StockEventPayload>().Reference, StringComparer.Ordinal).Select(e => e.Id).ToList();
            var taken = all.Where(c => c is { Partner: "erp", TookEvent: true } && written.Contains(c.Key)).OrderBy(c => c.Sequence).Select(c => c.Key).ToList();
            Assert.Equal(written, taken);
        }
        foreach (var key in erpExpected) Assert.True(await state.IsDeliveredAsync(SyncRoutes.Erp, key, ct), $"delivery record erp {key}");
        foreach (var key in wmsExpected) Assert.True(await state.IsDeliveredAsync(SyncRoutes.Wms, key, ct), $"delivery record wms {key}");

        // The poison event: one call (a 400 is not retried), never taken, and the only dead letter, with its reason.
        var poisonCall = Assert.Single(all, c => c.Key == poison.Id);
        Assert.Equal(("erp", 400), (poisonCall.Partner, poisonCall.Status));
        Assert.False(await state.IsDeliveredAsync(SyncRoutes.Erp, poison.Id, ct));
        var dead = Assert.Single((await admin.ListAsync(null, null, 200, ct)).Items);
        Assert.Equal(poison.Id, dead.EventId);
        Assert.Equal((SyncTopics.Inventory, SyncRoutes.Erp, DeadLetterSources.Local), (dead.Topic, dead.Subscription, dead.Source));
        Assert.Equal(DeadLetterReasons.PartnerRejected, dead.Reason);
        Assert.StartsWith("ERP answered 400:", dead.Description);
        Assert.Contains("unknown_sku", dead.Description);
        Assert.Equal((OutboxEventTypes.StockSold, poison.AggregateId, poison.SessionId, 1), (dead.EventType, dead.AggregateId, dead.SessionId, dead.DeliveryCount));
    }

    /// <summary>
    /// What the partner does with the first calls of the i-th event (then it accepts): every other event starts with a
    /// 503, every tenth is taken on a call whose answer hangs past the timeout (so it is sent again), every tenth from
    /// the fifth hangs untaken, and some fail three times, more than the retries of one delivery.
    /// </summary>
    private static FlakyAction[] Plan(int i) => (i % 10, i % 6, i % 2) switch
    {
        (0, _, _) => [FlakyAction.Unavailable, FlakyAction.HangAfterTaking],
        (5, _, _) => [FlakyAction.Hang],
        (_, 4, _) => [FlakyAction.Unavailable, FlakyAction.Unavailable, FlakyAction.Unavailable],
        (_, _, 0) => [FlakyAction.Unavailable],
        _ => [],
    };

    private static async Task<bool> AllDeliveredAsync(SyncStateStore state, string subscription, IEnumerable<string> eventIds, CancellationToken ct)
    {
        foreach (var id in eventIds)
            if (!await state.IsDeliveredAsync(subscription, id, ct)) return false;
        return true;
    }

    private static string OrderId(int n) => $"ord_fl{n:00}";

    /// <summary>The step that writes an event type: checkout (reserve), then payment or cancellation, then stock settles.</summary>
    private static int Step(string type) => type switch
    {
        OutboxEventTypes.StockReserved => 0,
        OutboxEventTypes.OrderPaid or OutboxEventTypes.OrderCancelled => 1,
        _ => 2,
    };

    /// <summary>
    /// Orders and stock the way the app changes them: checkout creates the order and reserves stock (stock.reserved,
    /// in the product's batch); payment replaces the order and writes order.paid in one batch of the member's partition,
    /// then sells the held stock (stock.sold); a cancellation writes order.cancelled likewise and releases the stock
    /// (stock.released). Returns every outbox event, in a fixed order (by order, then step, then SKU).
    /// </summary>
    private static async Task<List<OutboxEvent>> WriteOrdersAsync(SyncServices s, CancellationToken ct)
    {
        var products = new List<Product>();
        for (var i = 0; i < 3; i++) products.Add(await s.NewProductAsync(100));
        var skus = products.SelectMany(p => p.Skus.Select(k => (Product: p, Sku: k))).ToList();
        var members = s.Get<CosmosDb>().Container(CosmosSchema.Members);
        var stock = s.Get<StockReservations>();
        var enc = s.Get<IFieldEncryptor>();
        var at = DateTimeOffset.UtcNow;

        var placed = new List<(Order Order, string ETag, List<StockRequest> Lines)>();
        for (var o = 0; o < Orders; o++)
        {
            var picks = o % 3 == 0 ? new[] { o * 3 % 12 } : [o * 3 % 12, (o * 3 + 5) % 12];
            var quantity = 1 + o % 2;
            var lines = picks.Select((g, n) => new OrderLine($"line_{n + 1}", skus[g].Product.Id, skus[g].Sku.Id, skus[g].Sku.Code, skus[g].Product.Title,
                skus[g].Sku.SpecValues, null, quantity, skus[g].Sku.ListPriceFen, "list", quantity * skus[g].Sku.ListPriceFen, [], quantity * skus[g].Sku.ListPriceFen)).ToList();
            var goods = lines.Sum(l => l.LineAmountFen);
            var order = new Order(OrderId(o), $"mbr_fl{o % 4}", "shop-1", $"pay_fl{o:00}", OrderStatus.PendingPayment, lines,
                new OrderAmounts(goods, 0, 0, 0, 800, goods + 800), [], 0,
                new AddressSnapshot(enc.Encrypt("张三"), enc.Encrypt("13800138000"), "440000", "广东省", "深圳市", "南山区", enc.Encrypt("科技园1号"), "518057"),
                null, at, at.AddMinutes(30), [], 1);
            var created = await members.CreateItemAsync(order, new PartitionKey(order.MemberId), cancellationToken: ct);
            var requests = lines.Select(l => new StockRequest(l.ProductId, l.SkuId, l.Quantity)).ToList();
            await stock.ReserveAsync(order.Id, requests, ct);
            placed.Add((order, created.ETag, requests));
        }
        for (var o = 0; o < Orders; o++)
        {
            var (order, etag, requests) = placed[o];
            var now = DateTimeOffset.UtcNow;
            var next = o < PaidOrders ? order.Pay(now, "wechatpay:test") : order.Cancel(now, "system", "unpaid");
            var evt = o < PaidOrders ? OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, next, now) : OutboxEvent.ForOrder(OutboxEventTypes.OrderCancelled, next, now, "unpaid");
            using (var response = await members.CreateTransactionalBatch(new PartitionKey(order.MemberId))
                       .ReplaceItem(order.Id, next, new TransactionalBatchItemRequestOptions { IfMatchEtag = etag })
                       .CreateItem(evt)
                       .ExecuteAsync(ct))
                Assert.True(response.IsSuccessStatusCode, response.ErrorMessage);
            if (o < PaidOrders) await stock.CommitAsync(order.Id, requests, ct);
            else await stock.ReleaseAsync(order.Id, requests, "unpaid", ct);
        }

        var db = s.Get<CosmosDb>();
        var outbox = new QueryDefinition("SELECT * FROM c WHERE c.type = 'outbox'");
        var events = (await db.Container(CosmosSchema.Members).QueryAsync<OutboxEvent>(outbox, null, ct: ct))
            .Concat(await db.Container(CosmosSchema.Products).QueryAsync<OutboxEvent>(outbox, null, ct: ct)).ToList();
        return events
            .OrderBy(e => e.Topic == SyncTopics.Inventory ? e.PayloadAs<StockEventPayload>().Reference : e.AggregateId, StringComparer.Ordinal)
            .ThenBy(e => Step(e.EventType))
            .ThenBy(e => e.Topic == SyncTopics.Inventory ? skus.FindIndex(x => x.Sku.Id == e.AggregateId) : -1)
            .ToList();
    }
}
