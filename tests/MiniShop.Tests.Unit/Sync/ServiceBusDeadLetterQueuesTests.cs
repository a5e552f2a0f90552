using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.Sync;
using Moq;

namespace MiniShop.Tests.Unit.Sync;

/// <summary>The Service Bus side of the dead-letter admin, against mocked receivers and senders.</summary>
public class ServiceBusDeadLetterQueuesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Mock<ServiceBusClient> _client = new();
    private readonly Mock<ServiceBusReceiver> _receiver = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _sent = [];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private ServiceBusReceiverOptions? _receiverOptions;

    public ServiceBusDeadLetterQueuesTests()
    {
        _client.Setup(c => c.CreateReceiver("orders", "erp", It.IsAny<ServiceBusReceiverOptions>()))
            .Callback((string _, string _, ServiceBusReceiverOptions o) => _receiverOptions = o).Returns(_receiver.Object);
        _client.Setup(c => c.CreateSender("orders")).Returns(_sender.Object);
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => _sent.Add(m)).Returns(Task.CompletedTask);
    }

    private ServiceBusDeadLetterQueues Queues => new(_client.Object, _time, NullLogger<ServiceBusDeadLetterQueues>.Instance);

    private static ServiceBusReceivedMessage DeadLetter(long sequence, OutboxEvent evt, string reason = "partner_rejected")
        => ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: OutboxMessages.ToMessage(evt).Body, messageId: evt.Id, sessionId: evt.SessionId, subject: evt.EventType, sequenceNumber: sequence,
            deliveryCount: 3, enqueuedTime: DateTimeOffset.Parse("2025-12-31T23:00:00Z"),
            properties: new Dictionary<string, object> { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = "ERP answered 422", ["aggregateId"] = evt.AggregateId });

    private static OutboxEvent Event(string orderId)
        => OutboxEvent.ForMember("mbr_1", OutboxEventTypes.OrderPaid, orderId, "paid", new { orderId }, DateTimeOffset.Parse("2025-12-31T23:00:00Z"), orderId);

    [Fact]
    public async Task Listing_peeks_the_dead_letter_sub_queue_and_shows_reason_count_type_and_ids()
    {
        var evt = Event("ord_1");
        _receiver.Setup(r => r.PeekMessagesAsync(50, null, It.IsAny<CancellationToken>())).ReturnsAsync([DeadLetter(42, evt)]);

        var view = Assert.Single(await Queues.PeekAsync("orders", "erp", 50, Ct));

        Assert.Equal(SubQueue.DeadLetter, _receiverOptions!.SubQueue);
        Assert.Equal(("sb:orders:erp:42", "serviceBus", evt.Id, "order.paid", "ord_1", "ord_1"), (view.Id, view.Source, view.EventId, view.EventType, view.AggregateId, view.SessionId));
        Assert.Equal(("partner_rejected", "ERP answered 422", 3), (view.Reason, view.Description, view.DeliveryCount));
        _receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Replay_resends_the_original_to_the_topic_with_a_new_message_id_then_completes_it_and_releases_the_others()
    {
        var other = DeadLetter(7, Event("ord_7"));
        var target = DeadLetter(8, Event("ord_8"));
        _receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([other, target]);

        var result = await Queues.ReplayAsync("orders", "erp", 8, Ct);

        Assert.Equal("requeued", result!.Status);
        Assert.Equal(ServiceBusReceiveMode.PeekLock, _receiverOptions!.ReceiveMode);
        var copy = Assert.Single(_sent);
        Assert.Equal(target.Body.ToString(), copy.Body.ToString());
        Assert.Equal((target.SessionId, target.Subject), (copy.SessionId, copy.Subject));
        Assert.Equal($"{target.MessageId}~r1767225600000", copy.MessageId); // outside the duplicate-detection window of the original
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterReason"));
        Assert.Equal(target.MessageId, copy.ApplicationProperties["replayOf"]);
        _receiver.Verify(r => r.CompleteMessageAsync(target, It.IsAny<CancellationToken>()), Times.Once);
        _receiver.Verify(r => r.AbandonMessageAsync(other, null, It.IsAny<CancellationToken>()), Times.Once);
        _receiver.Verify(r => r.CompleteMessageAsync(other, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Discard_completes_only_the_chosen_message_and_an_unknown_sequence_number_is_not_found()
    {
        var target = DeadLetter(9, Event("ord_9"));
        _receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([target])
            .ReturnsAsync([target])
            .ReturnsAsync([]);

        Assert.True(await Queues.DiscardAsync("orders", "erp", 9, Ct));
        Assert.False(await Queues.DiscardAsync("orders", "erp", 10, Ct));

        _receiver.Verify(r => r.CompleteMessageAsync(target, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(_sent);
    }
}
