using System.Net;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniShop.Functions.Features.Sync;
using MiniShop.Infrastructure.Sync;
using Moq;

namespace MiniShop.Tests.Api.Sync;

/// <summary>
/// The Service Bus triggered functions called directly (no Functions host runs here) with a mocked
/// ServiceBusMessageActions: how each outcome settles the message.
/// </summary>
[Collection(SyncApiCollection.Name)]
public sealed class SyncDeliveryFunctionTests(SyncApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Mock<ServiceBusMessageActions> _actions = new();

    // No wait before giving a failed message back (the backoff has its own unit test).
    private SyncDeliveryFunctions Functions => new(host.Services.GetRequiredService<IntegrationDelivery>(),
        Options.Create(new SyncOptions { RedeliveryBackoffMaxSeconds = 0 }), TimeProvider.System, NullLogger<SyncDeliveryFunctions>.Instance);

    private static OutboxEvent StockEvent()
    {
        var reference = $"ord_{Guid.NewGuid():N}";
        return OutboxEvent.ForStock(OutboxEventTypes.StockSold,
            new StockEventPayload("shop-demo", "prd-demo-tee", "sku_fn", "TEE-FN", 0, -1, 1, "order paid", reference, $"stk:sold:{reference}:sku_fn", DateTimeOffset.UtcNow));
    }

    private static ServiceBusReceivedMessage Message(OutboxEvent evt, int deliveryCount = 1)
    {
        var m = OutboxMessages.ToMessage(evt);
        return ServiceBusModelFactory.ServiceBusReceivedMessage(body: m.Body, messageId: m.MessageId, sessionId: m.SessionId, subject: m.Subject,
            deliveryCount: deliveryCount, sequenceNumber: 1);
    }

    [Fact]
    public async Task A_delivered_message_is_completed_and_its_redelivery_completes_without_calling_the_erp_again()
    {
        var evt = StockEvent();
        var message = Message(evt);

        await Functions.DeliverInventoryEventsToErp(message, _actions.Object, Ct);
        await Functions.DeliverInventoryEventsToErp(Message(evt, deliveryCount: 2), _actions.Object, Ct);

        _actions.Verify(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        _actions.Verify(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(),
            It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Single(host.Erp.For(evt.Id));
    }

    [Fact]
    public async Task A_permanent_rejection_is_dead_lettered_with_the_reason_and_a_transient_failure_throws_for_redelivery()
    {
        var rejected = StockEvent();
        var flaky = StockEvent();
        host.Erp.Respond = r => r.Header("Idempotency-Key") == rejected.Id ? HttpStatusCode.BadRequest
            : r.Header("Idempotency-Key") == flaky.Id ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        try
        {
            var message = Message(rejected);
            await Functions.DeliverInventoryEventsToErp(message, _actions.Object, Ct);
            await Assert.ThrowsAsync<TransientDeliveryException>(() => Functions.DeliverInventoryEventsToErp(Message(flaky), _actions.Object, Ct));

            _actions.Verify(a => a.DeadLetterMessageAsync(message, null, DeadLetterReasons.PartnerRejected, It.Is<string?>(d => d!.Contains("400")),
                It.IsAny<CancellationToken>()), Times.Once);
            _actions.Verify(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        }
        finally
        {
            host.Erp.Respond = _ => HttpStatusCode.OK;
        }
    }

    [Fact]
    public async Task A_body_that_is_not_an_outbox_event_and_an_event_on_the_wrong_subscription_are_dead_lettered()
    {
        var garbage = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("<xml/>"), messageId: "m-1");
        var stockOnOrders = Message(StockEvent());

        await Functions.DeliverOrderEventsToErp(garbage, _actions.Object, Ct);
        await Functions.DeliverOrderEventsToWms(stockOnOrders, _actions.Object, Ct);

        _actions.Verify(a => a.DeadLetterMessageAsync(garbage, null, DeadLetterReasons.MalformedMessage, It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
        _actions.Verify(a => a.DeadLetterMessageAsync(stockOnOrders, null, DeadLetterReasons.UnknownRoute, It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
