using System.Globalization;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Sync;

/// <summary>One dead letter as the admin API shows it, from a Service Bus dead-letter queue or a dead-letter document.</summary>
public sealed record DeadLetterView(
    string Id,
    string Source,
    string Topic,
    string Subscription,
    string? EventId,
    string? EventType,
    string? AggregateId,
    string? SessionId,
    string? Reason,
    string? Description,
    int DeliveryCount,
    DateTimeOffset? EnqueuedAt,
    DateTimeOffset? DeadLetteredAt);

public sealed record DeadLetterList(IReadOnlyList<DeadLetterView> Items);

/// <summary>What a replay did: "delivered" (in-process, the partner accepted or had it), "requeued" (sent to the topic
/// again), or "failed" (still dead, with the new reason).</summary>
public sealed record DeadLetterReplayResult(string Id, string Status, string? Detail);

public static class DeadLetterSources
{
    public const string ServiceBus = "serviceBus";
    public const string Local = "local";
}

/// <summary>The queue of events the relay could not publish at all (malformed outbox document, too large).</summary>
public static class RelayQueue
{
    public const string Topic = "outbox";
    public const string Subscription = "relay";
}

/// <summary>
/// A failed delivery kept in the dead-letters container (partition <c>queue</c> = "{topic}/{subscription}"). Settled
/// ones (replayed or discarded) stay 30 days for the record, then expire.
/// </summary>
public sealed record DeadLetterDocument(
    string Id,
    string Queue,
    string Topic,
    string Subscription,
    string EventId,
    string? EventType,
    string? AggregateId,
    string? SessionId,
    string Reason,
    string? Description,
    int DeliveryCount,
    DateTimeOffset FirstDeadLetteredAt,
    DateTimeOffset DeadLetteredAt,
    string Status,
    OutboxEvent? Event,
    JsonElement? Raw = null,
    DateTimeOffset? SettledAt = null,
    string? SettledBy = null,
    int? Ttl = null)
{
    public const string Dead = "dead";
    public const string Replayed = "replayed";
    public const string Discarded = "discarded";

    public string Type => "dead-letter";

    public DeadLetterView ToView() => new("db:" + Id, DeadLetterSources.Local, Topic, Subscription, EventId, EventType, AggregateId, SessionId, Reason,
        Description, DeliveryCount, null, DeadLetteredAt);
}

/// <summary>Dead-letter documents (the in-process publisher's and the relay's failures).</summary>
public sealed class CosmosDeadLetterStore(CosmosDb db, TimeProvider time, ILogger<CosmosDeadLetterStore> log)
{
    private const int SettledRetentionSeconds = 30 * 24 * 3600;

    private Container DeadLetters => db.Container(CosmosSchema.DeadLetters);

    public static string Queue(string topic, string subscription) => $"{topic}/{subscription}";

    public static string DocumentId(string topic, string subscription, string eventId) => $"{topic}:{subscription}:{eventId}";

    public async Task AddAsync(string topic, string subscription, OutboxEvent evt, string reason, string? description, int deliveryCount, CancellationToken ct)
    {
        var id = DocumentId(topic, subscription, evt.Id);
        var now = time.GetUtcNow();
        var existing = await DeadLetters.ReadOrNullAsync<DeadLetterDocument>(id, Queue(topic, subscription), ct);
        var doc = new DeadLetterDocument(id, Queue(topic, subscription), topic, subscription, evt.Id, evt.EventType, evt.AggregateId, evt.SessionId, reason,
            Truncate(description), (existing?.Value.DeliveryCount ?? 0) + deliveryCount, existing?.Value.FirstDeadLetteredAt ?? now, now, DeadLetterDocument.Dead, evt);
        await DeadLetters.UpsertItemAsync(doc, new PartitionKey(doc.Queue), cancellationToken: ct);
        log.LogError("Dead-lettered {EventType} {EventId} for {Topic}/{Subscription}: {Reason} {Description}", evt.EventType, evt.Id, topic, subscription, reason, description);
    }

    /// <summary>An outbox document the relay cannot publish; kept as it was.</summary>
    public async Task AddUnpublishableAsync(string documentId, string? topic, OutboxEvent? evt, JsonElement raw, string reason, string description, CancellationToken ct)
    {
        var eventId = evt?.Id ?? documentId;
        var id = DocumentId(RelayQueue.Topic, RelayQueue.Subscription, eventId);
        var now = time.GetUtcNow();
        var doc = new DeadLetterDocument(id, Queue(RelayQueue.Topic, RelayQueue.Subscription), topic ?? RelayQueue.Topic, RelayQueue.Subscription, eventId,
            evt?.EventType, evt?.AggregateId, evt?.SessionId, reason, Truncate(description), 1, now, now, DeadLetterDocument.Dead, evt, raw);
        await DeadLetters.UpsertItemAsync(doc, new PartitionKey(doc.Queue), cancellationToken: ct);
        log.LogError("The outbox relay cannot publish {DocumentId}: {Reason} {Description}", documentId, reason, description);
    }

    public async Task<IReadOnlyList<DeadLetterDocument>> ListAsync(string? topic, string? subscription, int take, CancellationToken ct)
    {
        // One queue: a single-partition query. All queues: a cross-partition query (admin path only).
        var sql = "SELECT * FROM c WHERE c.type = 'dead-letter' AND c.status = 'dead'"
                  + (topic is null ? "" : " AND c.topic = @topic") + (subscription is null ? "" : " AND c.subscription = @subscription");
        var query = new QueryDefinition(sql).WithParameter("@topic", topic).WithParameter("@subscription", subscription);
        var partition = topic is not null && subscription is not null ? Queue(topic, subscription) : null;
        var items = await DeadLetters.QueryAsync<DeadLetterDocument>(query, partition, ct: ct);
        return items.OrderBy(d => d.DeadLetteredAt).ThenBy(d => d.Id, StringComparer.Ordinal).Take(take).ToList();
    }

    public async Task<Versioned<DeadLetterDocument>?> FindAsync(string documentId, CancellationToken ct)
    {
        var parts = documentId.Split(':', 3);
        if (parts.Length != 3) return null;
        return await DeadLetters.ReadOrNullAsync<DeadLetterDocument>(documentId, Queue(parts[0], parts[1]), ct);
    }

    /// <summary>Marks a dead letter settled (replayed or discarded); false when someone else settled it first.</summary>
    public async Task<bool> SettleAsync(Versioned<DeadLetterDocument> doc, string status, string by, CancellationToken ct)
    {
        var settled = doc.Value with { Status = status, SettledAt = time.GetUtcNow(), SettledBy = by, Ttl = SettledRetentionSeconds };
        try
        {
            await DeadLetters.ReplaceItemAsync(settled, settled.Id, new PartitionKey(settled.Queue), new ItemRequestOptions { IfMatchEtag = doc.ETag }, ct);
            return true;
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            return false;
        }
    }

    /// <summary>A replay failed again: the dead letter stays, with the new reason and one more delivery.</summary>
    public async Task RecordFailedReplayAsync(Versioned<DeadLetterDocument> doc, string reason, string? description, CancellationToken ct)
    {
        var updated = doc.Value with { Reason = reason, Description = Truncate(description), DeliveryCount = doc.Value.DeliveryCount + 1, DeadLetteredAt = time.GetUtcNow() };
        try
        {
            await DeadLetters.ReplaceItemAsync(updated, updated.Id, new PartitionKey(updated.Queue), new ItemRequestOptions { IfMatchEtag = doc.ETag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            // settled or updated concurrently: that writer's state stands
        }
    }

    private static string? Truncate(string? text) => text is { Length: > 2000 } ? text[..2000] : text;
}

/// <summary>
/// The dead-letter queues of the Service Bus subscriptions (<see cref="SubQueue.DeadLetter"/>). Listing peeks (locks
/// nothing); replay and discard receive with peek-lock until they find the message by sequence number, settle it and
/// abandon the others. A replay sends a copy to the topic with a new MessageId (the original one is still in the
/// duplicate-detection window); the other subscriptions of the topic see it too and skip it, because their delivery
/// record for that event exists.
/// </summary>
public sealed class ServiceBusDeadLetterQueues(ServiceBusClient client, TimeProvider time, ILogger<ServiceBusDeadLetterQueues> log)
{
    private const int ScanLimit = 2000;

    public static string ViewId(string topic, string subscription, long sequenceNumber)
        => $"sb:{topic}:{subscription}:{sequenceNumber.ToString(CultureInfo.InvariantCulture)}";

    public async Task<IReadOnlyList<DeadLetterView>> PeekAsync(string topic, string subscription, int take, CancellationToken ct)
    {
        await using var receiver = client.CreateReceiver(topic, subscription, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var messages = await receiver.PeekMessagesAsync(take, cancellationToken: ct);
        return messages.Select(m => ToView(topic, subscription, m)).ToList();
    }

    /// <summary>Re-sends the dead letter to its topic, then completes it. Null when no such message is in the queue.</summary>
    public async Task<DeadLetterReplayResult?> ReplayAsync(string topic, string subscription, long sequenceNumber, CancellationToken ct)
    {
        return await WithMessageAsync(topic, subscription, sequenceNumber, async (receiver, message) =>
        {
            var copy = new ServiceBusMessage(message);
            var eventId = OutboxMessages.TryParse(message.Body)?.Id ?? message.MessageId;
            copy.MessageId = $"{eventId}~r{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            copy.ApplicationProperties.Remove("DeadLetterReason");
            copy.ApplicationProperties.Remove("DeadLetterErrorDescription");
            copy.ApplicationProperties["replayOf"] = message.MessageId;
            copy.ApplicationProperties["replayedFor"] = subscription;
            await using (var sender = client.CreateSender(topic))
                await sender.SendMessageAsync(copy, ct);
            await receiver.CompleteMessageAsync(message, ct);
            log.LogWarning("Replayed dead letter {Sequence} of {Topic}/{Subscription} ({EventId}) as {MessageId}", sequenceNumber, topic, subscription, eventId, copy.MessageId);
            return new DeadLetterReplayResult(ViewId(topic, subscription, sequenceNumber), "requeued", $"sent to topic '{topic}' as message {copy.MessageId}");
        }, ct);
    }

    /// <summary>Removes the dead letter for good. False when no such message is in the queue.</summary>
    public async Task<bool> DiscardAsync(string topic, string subscription, long sequenceNumber, CancellationToken ct)
    {
        var done = await WithMessageAsync(topic, subscription, sequenceNumber, async (receiver, message) =>
        {
            await receiver.CompleteMessageAsync(message, ct);
            log.LogWarning("Discarded dead letter {Sequence} of {Topic}/{Subscription} ({MessageId}, {Subject})", sequenceNumber, topic, subscription, message.MessageId, message.Subject);
            return new DeadLetterReplayResult("", "discarded", null);
        }, ct);
        return done is not null;
    }

    private async Task<DeadLetterReplayResult?> WithMessageAsync(string topic, string subscription, long sequenceNumber,
        Func<ServiceBusReceiver, ServiceBusReceivedMessage, Task<DeadLetterReplayResult>> action, CancellationToken ct)
    {
        await using var receiver = client.CreateReceiver(topic, subscription, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });
        var held = new List<ServiceBusReceivedMessage>();
        try
        {
            while (held.Count < ScanLimit)
            {
                var batch = await receiver.ReceiveMessagesAsync(100, TimeSpan.FromSeconds(2), ct);
                if (batch.Count == 0) return null;
                foreach (var message in batch)
                {
                    if (message.SequenceNumber == sequenceNumber)
                        return await action(receiver, message);
                    held.Add(message);
                }
            }
            return null;
        }
        finally
        {
            foreach (var message in held)
            {
                try { await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None); }
                catch (ServiceBusException e) { log.LogWarning("Could not release dead letter {Sequence}: {Error}", message.SequenceNumber, e.Message); }
            }
        }
    }

    private static DeadLetterView ToView(string topic, string subscription, ServiceBusReceivedMessage m)
    {
        var evt = OutboxMessages.TryParse(m.Body);
        return new DeadLetterView(ViewId(topic, subscription, m.SequenceNumber), DeadLetterSources.ServiceBus, topic, subscription, evt?.Id ?? m.MessageId,
            evt?.EventType ?? m.Subject, evt?.AggregateId ?? (m.ApplicationProperties.TryGetValue("aggregateId", out var a) ? a?.ToString() : null), m.SessionId,
            m.DeadLetterReason, m.DeadLetterErrorDescription, m.DeliveryCount, m.EnqueuedTime, null);
    }
}

/// <summary>
/// The dead-letter admin API's service: Service Bus dead-letter queues (when Service Bus is configured) and the
/// dead-letter documents (always), behind one list / replay / discard.
/// </summary>
public sealed class DeadLetterAdmin(
    CosmosDeadLetterStore documents,
    IntegrationDelivery delivery,
    IIntegrationEventPublisher publisher,
    ILogger<DeadLetterAdmin> log,
    ServiceBusDeadLetterQueues? queues = null)
{
    public async Task<DeadLetterList> ListAsync(string? topic, string? subscription, int take, CancellationToken ct)
    {
        var items = new List<DeadLetterView>();
        if (queues is not null)
            foreach (var (t, s) in SyncRoutes.All.Where(r => (topic is null || r.Topic == topic) && (subscription is null || r.Subscription == subscription)))
                items.AddRange(await queues.PeekAsync(t, s, take, ct));
        items.AddRange((await documents.ListAsync(topic, subscription, take, ct)).Select(d => d.ToView()));
        return new DeadLetterList(items.Take(take).ToList());
    }

    public async Task<DeadLetterReplayResult> ReplayAsync(string id, string by, CancellationToken ct)
    {
        if (ParseServiceBusId(id) is { } sb)
        {
            var result = await RequireQueues(id).ReplayAsync(sb.Topic, sb.Subscription, sb.Sequence, ct);
            return result ?? throw new NotFoundException("Dead letter", id);
        }

        var doc = await FindDocumentAsync(id, ct);
        var d = doc.Value;
        if (d.Event is null)
            return await FailAsync(doc, DeadLetterReasons.MalformedMessage, "The dead letter holds no readable outbox event; discard it after fixing the cause.", ct);
        try
        {
            if (d.Subscription == RelayQueue.Subscription)
            {
                await publisher.PublishAsync(d.Event, ct);
            }
            else
            {
                var outcome = await delivery.DeliverAsync(d.Topic, d.Subscription, d.Event, d.DeliveryCount + 1, ct);
                if (outcome.Kind == DeliveryOutcomeKind.Permanent) return await FailAsync(doc, outcome.Reason!, outcome.Detail, ct);
            }
        }
        catch (Exception e) when (e is TransientDeliveryException or UnpublishableEventException)
        {
            return await FailAsync(doc, DeadLetterReasons.MaxDeliveryCountExceeded, e.Message, ct);
        }
        if (!await documents.SettleAsync(doc, DeadLetterDocument.Replayed, by, ct))
            throw new ConflictException("dead_letter_settled", $"Dead letter '{id}' was settled concurrently.");
        log.LogWarning("Dead letter {Id} replayed by {Operator}", id, by);
        return new DeadLetterReplayResult(id, d.Subscription == RelayQueue.Subscription ? "requeued" : "delivered", null);
    }

    public async Task DiscardAsync(string id, string by, CancellationToken ct)
    {
        if (ParseServiceBusId(id) is { } sb)
        {
            if (!await RequireQueues(id).DiscardAsync(sb.Topic, sb.Subscription, sb.Sequence, ct)) throw new NotFoundException("Dead letter", id);
            log.LogWarning("Dead letter {Id} discarded by {Operator}", id, by);
            return;
        }
        var doc = await FindDocumentAsync(id, ct);
        if (!await documents.SettleAsync(doc, DeadLetterDocument.Discarded, by, ct))
            throw new ConflictException("dead_letter_settled", $"Dead letter '{id}' was settled concurrently.");
        log.LogWarning("Dead letter {Id} ({EventType} {EventId}) discarded by {Operator}", id, doc.Value.EventType, doc.Value.EventId, by);
    }

    private async Task<DeadLetterReplayResult> FailAsync(Versioned<DeadLetterDocument> doc, string reason, string? detail, CancellationToken ct)
    {
        await documents.RecordFailedReplayAsync(doc, reason, detail, ct);
        return new DeadLetterReplayResult("db:" + doc.Value.Id, "failed", $"{reason}: {detail}");
    }

    private async Task<Versioned<DeadLetterDocument>> FindDocumentAsync(string id, CancellationToken ct)
    {
        var doc = id.StartsWith("db:", StringComparison.Ordinal) ? await documents.FindAsync(id[3..], ct) : null;
        if (doc is null || doc.Value.Status != DeadLetterDocument.Dead) throw new NotFoundException("Dead letter", id);
        return doc;
    }

    private ServiceBusDeadLetterQueues RequireQueues(string id)
        => queues ?? throw new NotFoundException("Dead letter", id);

    private static (string Topic, string Subscription, long Sequence)? ParseServiceBusId(string id)
    {
        if (!id.StartsWith("sb:", StringComparison.Ordinal)) return null;
        var parts = id.Split(':');
        return parts.Length == 4 && SyncRoutes.Exists(parts[1], parts[2]) && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? (parts[1], parts[2], seq)
            : throw new NotFoundException("Dead letter", id);
    }
}
