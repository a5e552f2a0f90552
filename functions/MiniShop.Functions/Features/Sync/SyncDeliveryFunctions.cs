using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Functions.Features.Sync;

/// <summary>
/// Service Bus triggered delivery of outbox events to ERP/WMS, one function per topic subscription (sessions on, so
/// one order's or one SKU's events arrive in order). Each message is settled explicitly:
/// <list type="bullet">
/// <item>delivered, already delivered or not for this subscriber: completed;</item>
/// <item>permanent failure (partner 4xx other than 408/429, mapping error, malformed body): dead-lettered with the
/// reason, visible in the dead-letter admin API;</item>
/// <item>transient failure (network, timeout, 408, 429, 5xx, open circuit): the function waits (1 s, doubling per
/// delivery, up to <c>Sync:RedeliveryBackoffMaxSeconds</c>) and throws, the message is abandoned and redelivered; after
/// the subscription's max delivery count Service Bus dead-letters it.</item>
/// </list>
/// The work itself is <see cref="IntegrationDelivery"/>, the same the in-process publisher uses without Service Bus.
/// </summary>
public sealed class SyncDeliveryFunctions(IntegrationDelivery delivery, IOptions<SyncOptions> options, TimeProvider time, ILogger<SyncDeliveryFunctions> log)
{
    public const string Connection = ServiceBusSettings.ConnectionName;

    [Function(nameof(DeliverOrderEventsToErp))]
    public Task DeliverOrderEventsToErp(
        [ServiceBusTrigger(SyncTopics.Orders, SyncRoutes.Erp, Connection = Connection, IsSessionsEnabled = true, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken ct)
        => ProcessAsync(SyncTopics.Orders, SyncRoutes.Erp, message, actions, ct);

    [Function(nameof(DeliverOrderEventsToWms))]
    public Task DeliverOrderEventsToWms(
        [ServiceBusTrigger(SyncTopics.Orders, SyncRoutes.Wms, Connection = Connection, IsSessionsEnabled = true, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken ct)
        => ProcessAsync(SyncTopics.Orders, SyncRoutes.Wms, message, actions, ct);

    [Function(nameof(DeliverInventoryEventsToErp))]
    public Task DeliverInventoryEventsToErp(
        [ServiceBusTrigger(SyncTopics.Inventory, SyncRoutes.Erp, Connection = Connection, IsSessionsEnabled = true, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken ct)
        => ProcessAsync(SyncTopics.Inventory, SyncRoutes.Erp, message, actions, ct);

    [Function(nameof(DeliverLogisticsEventsToErp))]
    public Task DeliverLogisticsEventsToErp(
        [ServiceBusTrigger(SyncTopics.Logistics, SyncRoutes.Erp, Connection = Connection, IsSessionsEnabled = true, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken ct)
        => ProcessAsync(SyncTopics.Logistics, SyncRoutes.Erp, message, actions, ct);

    public async Task ProcessAsync(string topic, string subscription, ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken ct)
    {
        using var scope = log.BeginScope(new Dictionary<string, object>
        {
            ["MessageId"] = message.MessageId, ["SessionId"] = message.SessionId ?? "", ["Subscription"] = $"{topic}/{subscription}",
        });
        var evt = OutboxMessages.TryParse(message.Body);
        if (evt is null)
        {
            log.LogError("Message {MessageId} on {Topic}/{Subscription} is not an outbox event; dead-lettering it", message.MessageId, topic, subscription);
            await actions.DeadLetterMessageAsync(message, null, DeadLetterReasons.MalformedMessage, "The body is not an outbox event (JSON).", ct);
            return;
        }

        // A transient failure throws out of here: the message is abandoned and Service Bus redelivers it.
        DeliveryOutcome outcome;
        try
        {
            outcome = await delivery.DeliverAsync(topic, subscription, evt, message.DeliveryCount, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Service Bus redelivers an abandoned message at once. Waiting first (the session stays locked; the host renews
            // the lock) spreads the deliveries out, so a partner down for minutes is not dead-lettered within seconds.
            var wait = options.Value.RedeliveryBackoff(message.DeliveryCount);
            log.LogWarning("{EventType} {EventId} failed on delivery {DeliveryCount} to {Topic}/{Subscription} ({Error}); giving it back in {Wait}",
                evt.EventType, evt.Id, message.DeliveryCount, topic, subscription, e.Message, wait);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            throw;
        }
        if (outcome.Kind == DeliveryOutcomeKind.Permanent)
        {
            log.LogError("{EventType} {EventId} failed for good on {Topic}/{Subscription}: {Reason} {Detail}", evt.EventType, evt.Id, topic, subscription, outcome.Reason, outcome.Detail);
            await actions.DeadLetterMessageAsync(message, null, outcome.Reason, Truncate(outcome.Detail), ct);
            return;
        }
        await actions.CompleteMessageAsync(message, ct);
    }

    // Service Bus limits the dead-letter description (an application property) to a few kilobytes.
    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}
