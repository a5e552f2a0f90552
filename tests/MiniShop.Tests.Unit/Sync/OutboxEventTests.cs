using System.Text.Json;
using MiniShop.Infrastructure.Json;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Unit.Sync;

public class OutboxEventTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-02-01T10:00:00Z");

    [Fact]
    public void Member_events_are_deterministic_carry_the_member_partition_and_go_to_the_topic_of_their_type()
    {
        var a = OutboxEvent.ForMember("mbr_1", OutboxEventTypes.OrderPaid, "ord_1", "paid", new { x = 1 }, At);
        var b = OutboxEvent.ForMember("mbr_1", OutboxEventTypes.OrderPaid, "ord_1", "paid", new { x = 2 }, At.AddMinutes(1));

        Assert.Equal("evt:order.paid:ord_1:paid", a.Id);
        Assert.Equal(a.Id, b.Id); // a retried write collides (409) instead of writing a second event
        Assert.Equal(("orders", "ord_1", "mbr_1", (string?)null), (a.Topic, a.SessionId, a.MemberId, a.ProductId));
        Assert.Equal("mbr_1", a.PartitionKey);
        Assert.Equal("outbox", a.Type);
        Assert.Equal(OutboxEvent.RetentionSeconds, a.Ttl);
    }

    [Theory]
    [InlineData(OutboxEventTypes.OrderPaid, "orders")]
    [InlineData(OutboxEventTypes.OrderCancelled, "orders")]
    [InlineData(OutboxEventTypes.RefundCompleted, "orders")]
    [InlineData(OutboxEventTypes.AfterSalesReturned, "orders")]
    [InlineData(OutboxEventTypes.OrderShipped, "logistics")]
    [InlineData(OutboxEventTypes.StockReserved, "inventory")]
    [InlineData(OutboxEventTypes.StockReleased, "inventory")]
    [InlineData(OutboxEventTypes.StockAdjusted, "inventory")]
    public void Every_event_type_has_its_topic(string eventType, string topic)
        => Assert.Equal(topic, OutboxEventTypes.TopicOf(eventType));

    [Fact]
    public void Every_topic_with_events_has_subscribers()
        => Assert.All(OutboxEventTypes.All, t => Assert.NotEmpty(SyncRoutes.Subscriptions[OutboxEventTypes.TopicOf(t)]));

    [Fact]
    public void Unknown_event_types_are_refused()
        => Assert.Throws<ArgumentException>(() => OutboxEvent.ForMember("m", "order.teleported", "o", "1", new { }, At));

    [Fact]
    public void Stock_events_carry_the_product_partition_and_the_sku_as_session()
    {
        var e = OutboxEvent.ForStock(OutboxEventTypes.StockReserved,
            new StockEventPayload("shop", "prd_1", "sku_1", "C-1", -2, 2, 0, "reserved", "ord_9", "stk:reserve:ord_9:sku_1", At));

        Assert.Equal(("prd_1", "sku_1", "inventory", "evt:stock.reserved:sku_1:reserve:ord_9:sku_1"), (e.ProductId, e.SessionId, e.Topic, e.Id));
        Assert.Null(e.MemberId);
        Assert.Equal(-2, e.PayloadAs<StockEventPayload>().AvailableDelta);
    }

    [Fact]
    public void Long_ids_are_shortened_with_a_hash_and_stay_distinct_and_unsafe_characters_are_replaced()
    {
        var a = OutboxEvent.IdFor("stock.adjusted", new string('s', 60), new string('x', 80) + "a");
        var b = OutboxEvent.IdFor("stock.adjusted", new string('s', 60), new string('x', 80) + "b");

        Assert.Equal(OutboxEvent.MaxIdLength, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal("evt:order.paid:a_b_c_d:1", OutboxEvent.IdFor("order.paid", "a/b?c#d", "1"));
    }

    [Fact]
    public void The_document_round_trips_through_json_with_type_ttl_and_payload()
    {
        var e = OutboxEvent.ForRefund("mbr_1", new RefundEventPayload("ord_1", "shop", "rfd_1", 500, [new RefundLinePayload("l1", "sku", "C", 1, 500)], "damaged", At), At);

        var json = JsonSerializer.Serialize(e, JsonDefaults.Options);
        var back = JsonSerializer.Deserialize<OutboxEvent>(json, JsonDefaults.Options)!;
        using var doc = JsonDocument.Parse(json);

        Assert.Equal("outbox", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("mbr_1", doc.RootElement.GetProperty("memberId").GetString());
        Assert.Equal(OutboxEvent.RetentionSeconds, doc.RootElement.GetProperty("ttl").GetInt32());
        Assert.False(doc.RootElement.TryGetProperty("partitionKey", out _));
        Assert.Equal(("evt:refund.completed:ord_1:rfd_1", "ord_1"), (back.Id, back.SessionId));
        Assert.Equal(500, back.PayloadAs<RefundEventPayload>().AmountFen);
    }
}
