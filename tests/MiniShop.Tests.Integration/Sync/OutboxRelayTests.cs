using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>The relay over the local server's change feed, publishing through the Service Bus publisher to mocked topics.</summary>
public sealed class OutboxRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OutboxRelay Relay(SyncServices s, IIntegrationEventPublisher publisher, string name)
        => new(s.Get<CosmosDb>(), publisher, s.Get<CosmosDeadLetterStore>(), Options.Create(new SyncOptions { RelayPollIntervalMilliseconds = 100 }),
            NullLogger<OutboxRelay>.Instance) { InstanceName = name };

    private static ServiceBusEventPublisher Publisher(FakeServiceBus bus) => new(bus.Client.Object, NullLogger<ServiceBusEventPublisher>.Instance);

    /// <summary>A state change and its event in one transactional batch of the member's partition.</summary>
    private static async Task<OutboxEvent> WriteMemberEventAsync(SyncServices s, string memberId, string orderId, string eventType = OutboxEventTypes.OrderPaid)
    {
        var evt = OutboxEvent.ForMember(memberId, eventType, orderId, "1", new { orderId }, DateTimeOffset.UtcNow, orderId);
        using var response = await s.Get<CosmosDb>().Container(CosmosSchema.Members).CreateTransactionalBatch(new PartitionKey(memberId))
            .UpsertItem(new { id = orderId, memberId, type = "probe-order", status = eventType })
            .CreateItem(evt)
            .ExecuteAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, response.ErrorMessage);
        return evt;
    }

    private static async Task<OutboxEvent> WriteProductEventAsync(SyncServices s, string productId, string skuId, string reference)
    {
        var evt = OutboxEvent.ForStock(OutboxEventTypes.StockReserved,
            new StockEventPayload("shop-1", productId, skuId, "CODE-1", -1, 1, 0, "test", reference, $"stk:reserve:{reference}:{skuId}", DateTimeOffset.UtcNow));
        await s.Get<CosmosDb>().Container(CosmosSchema.Products).CreateItemAsync(evt, new PartitionKey(productId), cancellationToken: Ct);
        return evt;
    }

    [Fact]
    public async Task Each_event_is_published_once_with_topic_message_id_session_and_subject_and_a_restart_resumes_from_the_checkpoint()
    {
        await using var s = new SyncServices();
        await s.InitializeAsync();
        var bus = new FakeServiceBus();
        var publisher = Publisher(bus);
        var first = new List<OutboxEvent>
        {
            await WriteMemberEventAsync(s, "mbr_a", "ord_1"),
            await WriteMemberEventAsync(s, "mbr_a", "ord_1", OutboxEventTypes.OrderShipped),
            await WriteMemberEventAsync(s, "mbr_b", "ord_2", OutboxEventTypes.OrderCancelled),
            await WriteProductEventAsync(s, "prd_1", "sku_1", "ord_1"),
            await WriteProductEventAsync(s, "prd_2", "sku_2", "ord_2"),
        };
        await s.Get<CosmosDb>().Container(CosmosSchema.Members).CreateItemAsync(new { id = "cart", memberId = "mbr_a", type = "cart" }, new PartitionKey("mbr_a"), cancellationToken: Ct);

        var a = Relay(s, publisher, "relay-a");
        await a.StartAsync(Ct);
        await bus.WaitForAcceptedAsync(5);
        await a.StopAsync(Ct);

        var second = new List<OutboxEvent> { await WriteMemberEventAsync(s, "mbr_a", "ord_3"), await WriteProductEventAsync(s, "prd_1", "sku_1", "ord_3") };
        var b = Relay(s, publisher, "relay-b");
        await b.StartAsync(Ct);
        await bus.WaitForAcceptedAsync(7);
        await Task.Delay(1500, Ct); // a relay that re-read from the beginning would send again by now
        await b.StopAsync(Ct);

        Assert.Equal(7, bus.Sends.Count); // nothing was sent twice: the restart resumed from the checkpoint
        foreach (var evt in first.Concat(second))
        {
            var (topic, message) = bus.Accepted[evt.Id];
            Assert.Equal(evt.Topic, topic);
            Assert.Equal(evt.SessionId, message.SessionId);
            Assert.Equal(evt.EventType, message.Subject);
            Assert.Equal("application/json", message.ContentType);
            var body = message.Body.ToObjectFromJson<OutboxEvent>(MiniShop.Infrastructure.Json.JsonDefaults.Options)!;
            Assert.Equal(evt.Id, body.Id);
            Assert.Equal(evt.Payload.GetRawText(), body.Payload.GetRawText());
        }
        Assert.Equal("logistics", bus.Accepted[first[1].Id].Topic);
        Assert.Equal("inventory", bus.Accepted[first[3].Id].Topic);
        Assert.Equal("sku_1", bus.Accepted[first[3].Id].Message.SessionId);
    }

    [Fact]
    public async Task A_relay_that_dies_half_way_through_a_batch_loses_nothing_and_the_repeat_is_dropped_by_message_id()
    {
        await using var s = new SyncServices();
        await s.InitializeAsync();
        var events = new List<OutboxEvent>();
        for (var i = 1; i <= 6; i++) events.Add(await WriteMemberEventAsync(s, "mbr_x", $"ord_{i}"));

        // Relay A publishes two events of the batch, then hangs on the third until it is stopped (the process "dies").
        var bus = new FakeServiceBus();
        var held = new TaskCompletionSource();
        bus.OnSend = async (m, ct) =>
        {
            if (m.MessageId != events[2].Id || held.Task.IsCompleted) return;
            held.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
        };
        var a = Relay(s, Publisher(bus), "relay-a");
        await a.StartAsync(Ct);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await a.StopAsync(Ct);
        Assert.Equal(2, bus.Accepted.Count);

        var b = Relay(s, Publisher(bus), "relay-b");
        await b.StartAsync(Ct);
        await bus.WaitForAcceptedAsync(6);
        await b.StopAsync(Ct);

        Assert.Equal(events.Select(e => e.Id).Order(), bus.Accepted.Keys.Order());
        // The batch was published again from its start: the first two were sent twice and dropped as duplicates.
        Assert.Equal(2, bus.Sends.Count(x => x.Message.MessageId == events[0].Id));
        Assert.Equal(2, bus.Sends.Count(x => x.Message.MessageId == events[1].Id));
        // Per-session order held: within the session the sends follow the write order.
        var order = bus.Sends.Select(x => x.Message.MessageId).Distinct().ToList();
        Assert.Equal(events.Select(e => e.Id), order);
    }

    [Fact]
    public async Task A_transient_publish_failure_is_retried_and_a_malformed_outbox_document_is_dead_lettered_without_blocking_the_feed()
    {
        await using var s = new SyncServices();
        await s.InitializeAsync();
        var good = await WriteMemberEventAsync(s, "mbr_y", "ord_1");
        await s.Get<CosmosDb>().Container(CosmosSchema.Members).CreateItemAsync(
            new { id = "evt:broken", memberId = "mbr_y", type = "outbox", eventType = "order.teleported", payload = new { } }, new PartitionKey("mbr_y"), cancellationToken: Ct);
        var after = await WriteMemberEventAsync(s, "mbr_y", "ord_2");

        var bus = new FakeServiceBus();
        var failures = 0;
        bus.OnSend = (m, _) => m.MessageId == after.Id && Interlocked.Increment(ref failures) == 1
            ? throw new ServiceBusException("namespace busy", ServiceBusFailureReason.ServiceBusy)
            : Task.CompletedTask;
        var relay = Relay(s, Publisher(bus), "relay-c");
        await relay.StartAsync(Ct);
        await bus.WaitForAcceptedAsync(2);
        await relay.StopAsync(Ct);

        Assert.Contains(good.Id, bus.Accepted.Keys);
        Assert.Contains(after.Id, bus.Accepted.Keys);
        Assert.True(failures >= 2, "the failed send was retried");
        var dead = await s.Get<CosmosDeadLetterStore>().ListAsync(RelayQueue.Topic, RelayQueue.Subscription, 10, Ct);
        var broken = Assert.Single(dead);
        Assert.Equal("evt:broken", broken.EventId);
        Assert.Equal(DeadLetterReasons.MalformedMessage, broken.Reason);
        Assert.Equal(JsonValueKind.Object, broken.Raw!.Value.ValueKind);
    }
}
