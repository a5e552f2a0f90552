using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Sync;

/// <summary>
/// Hands an outbox event to the integration channel. Returning means the event is durably handed over (sent to
/// Service Bus, or delivered / dead-lettered in-process); throwing means nothing is settled and the caller (the relay)
/// must try again later, which is harmless: Service Bus drops a repeated MessageId, consumers are idempotent.
/// </summary>
public interface IIntegrationEventPublisher
{
    Task PublishAsync(OutboxEvent evt, CancellationToken ct);
}

/// <summary>The event could never be published (too large, malformed): the relay dead-letters it instead of retrying.</summary>
public sealed class UnpublishableEventException(string reason, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>The Service Bus message of an event: topic, MessageId, SessionId, Subject and the JSON body.</summary>
public static class OutboxMessages
{
    public static ServiceBusMessage ToMessage(OutboxEvent evt)
    {
        var message = new ServiceBusMessage(BinaryData.FromObjectAsJson(evt, JsonDefaults.Options))
        {
            MessageId = evt.Id,
            SessionId = evt.SessionId,
            Subject = evt.EventType,
            ContentType = "application/json",
        };
        message.ApplicationProperties["eventType"] = evt.EventType;
        message.ApplicationProperties["aggregateId"] = evt.AggregateId;
        return message;
    }

    /// <summary>The event in a received message body; null when the body is not an outbox event.</summary>
    public static OutboxEvent? TryParse(BinaryData body)
    {
        try
        {
            var evt = body.ToObjectFromJson<OutboxEvent>(JsonDefaults.Options);
            return evt is { Id.Length: > 0, EventType.Length: > 0, Topic.Length: > 0 } && evt.Payload.ValueKind == System.Text.Json.JsonValueKind.Object ? evt : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>Publishes to the event's Service Bus topic: one cached sender per topic.</summary>
public sealed class ServiceBusEventPublisher(ServiceBusClient client, ILogger<ServiceBusEventPublisher> log) : IIntegrationEventPublisher, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task PublishAsync(OutboxEvent evt, CancellationToken ct)
    {
        var sender = _senders.GetOrAdd(evt.Topic, client.CreateSender);
        try
        {
            await sender.SendMessageAsync(OutboxMessages.ToMessage(evt), ct);
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessageSizeExceeded)
        {
            throw new UnpublishableEventException("message_too_large", $"Event {evt.Id} exceeds the Service Bus message size limit.", e);
        }
        log.LogInformation("Published {EventType} {EventId} to {Topic} (session {SessionId})", evt.EventType, evt.Id, evt.Topic, evt.SessionId);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values) await sender.DisposeAsync();
    }
}

/// <summary>
/// Without Service Bus (local runs, tests): hands each event straight to the delivery handler of every subscription
/// of its topic, the same handler the Service Bus triggered functions call. A transient failure is retried a few times;
/// a permanent one, or a transient one that outlasts the retries, becomes a dead-letter document, so the dead-letter
/// admin API works the same. Nothing is dropped: if even the dead-letter write fails, this throws and the relay retries.
/// </summary>
public sealed class InProcessEventPublisher(
    IntegrationDelivery delivery,
    CosmosDeadLetterStore deadLetters,
    IOptions<SyncOptions> options,
    ILogger<InProcessEventPublisher> log) : IIntegrationEventPublisher
{
    public async Task PublishAsync(OutboxEvent evt, CancellationToken ct)
    {
        foreach (var subscription in SyncRoutes.Subscriptions.GetValueOrDefault(evt.Topic) ?? [])
            await DeliverWithRetriesAsync(evt, subscription, ct);
    }

    private async Task DeliverWithRetriesAsync(OutboxEvent evt, string subscription, CancellationToken ct)
    {
        var max = Math.Max(1, options.Value.LocalMaxDeliveryCount);
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.LocalRetryDelayMilliseconds));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await delivery.DeliverAsync(evt.Topic, subscription, evt, attempt, ct);
                if (outcome.Kind != DeliveryOutcomeKind.Permanent) return;
                await deadLetters.AddAsync(evt.Topic, subscription, evt, outcome.Reason!, outcome.Detail, attempt, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (attempt < max)
                {
                    log.LogWarning("Delivery of {EventId} to {Subscription} failed (attempt {Attempt} of {Max}): {Error}", evt.Id, subscription, attempt, max, e.Message);
                    await Task.Delay(delay * Math.Pow(2, attempt - 1), ct);
                    continue;
                }
                await deadLetters.AddAsync(evt.Topic, subscription, evt, DeadLetterReasons.MaxDeliveryCountExceeded, e.Message, attempt, ct);
                return;
            }
        }
    }
}
