using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Sync;

/// <summary>
/// Publishes outbox events: a change feed processor on the members and the products containers (leases in the
/// leases container) keeps only <c>type = "outbox"</c> documents and hands each one to the
/// <see cref="IIntegrationEventPublisher"/>, in change feed order (per partition: per member, per product).
/// <para>
/// At-least-once: the processor checkpoints a batch only after the handler returned, i.e. after every event of it was
/// published. A process that dies half-way leaves the checkpoint where it was, and the next owner of the lease
/// publishes the batch again; Service Bus drops the repeated MessageIds (duplicate detection) and consumers keep
/// delivery records, so the repeat changes nothing. A publish failure throws, which makes the processor retry the same
/// batch. Only an event that can never be published (malformed, too large) is moved to the dead-letters container, so
/// one bad document cannot stop the feed.
/// </para>
/// New leases start from the beginning of the feed, so events written before the relay first ran are not missed.
/// </summary>
public sealed class OutboxRelay(
    CosmosDb db,
    IIntegrationEventPublisher publisher,
    CosmosDeadLetterStore deadLetters,
    IOptions<SyncOptions> options,
    ILogger<OutboxRelay> log) : ChangeFeedService(log)
{
    public static string ProcessorName(string container) => $"outbox-relay-{container}";

    protected override string Description => "The outbox relay (Sync:RelayEnabled)";

    protected override bool Enabled => options.Value.RelayEnabled;

    protected override IEnumerable<ChangeFeedProcessor> BuildProcessors() => [Build(CosmosSchema.Members), Build(CosmosSchema.Products)];

    private ChangeFeedProcessor Build(string container)
        => db.Container(container)
            .GetChangeFeedProcessorBuilder<JsonElement>(ProcessorName(container), (IReadOnlyCollection<JsonElement> changes, CancellationToken ct) => HandleAsync(container, changes, ct))
            .WithInstanceName(InstanceName)
            .WithLeaseContainer(db.Container(CosmosSchema.Leases))
            .WithStartTime(DateTime.UnixEpoch) // "from the beginning" for new leases (WithStartFromBeginning is not public)
            .WithPollInterval(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.RelayPollIntervalMilliseconds)))
            .WithMaxItems(Math.Max(1, options.Value.RelayMaxItemsPerBatch))
            .WithErrorNotification((lease, e) =>
            {
                Log.LogWarning("Outbox relay on {Container} (lease {Lease}) will retry the batch: {Error}", container, lease, e.Message);
                return Task.CompletedTask;
            })
            .Build();

    /// <summary>Publishes the outbox events of one batch in order. Throwing leaves the checkpoint where it was.</summary>
    public async Task HandleAsync(string container, IReadOnlyCollection<JsonElement> changes, CancellationToken ct)
    {
        foreach (var doc in changes)
        {
            if (!doc.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != OutboxEvent.DocumentType) continue;
            var documentId = doc.TryGetProperty("id", out var id) ? id.GetString() ?? "?" : "?";
            OutboxEvent? evt = null;
            try
            {
                evt = doc.Deserialize<OutboxEvent>(JsonDefaults.Options);
                if (evt is null || string.IsNullOrEmpty(evt.Id) || string.IsNullOrEmpty(evt.SessionId) || evt.Payload.ValueKind != JsonValueKind.Object
                    || evt.Topic != OutboxEventTypes.TopicOf(evt.EventType))
                    throw new UnpublishableEventException(DeadLetterReasons.MalformedMessage, $"Outbox document {documentId} in {container} is incomplete or inconsistent.");
                await publisher.PublishAsync(evt, ct);
            }
            catch (Exception e) when (e is UnpublishableEventException or JsonException or ArgumentException)
            {
                var reason = e is UnpublishableEventException u ? u.Reason : DeadLetterReasons.MalformedMessage;
                await deadLetters.AddUnpublishableAsync(documentId, evt?.Topic, evt, doc.Clone(), reason, e.Message, ct);
            }
        }
    }
}
