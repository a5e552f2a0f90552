using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
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
    ILogger<OutboxRelay> log) : IHostedService, IAsyncDisposable
{
    private readonly List<ChangeFeedProcessor> _processors = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _starting;
    private int _disposed;

    /// <summary>Distinguishes this process's lease ownership (several instances share the leases).</summary>
    public string InstanceName { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    public static string ProcessorName(string container) => $"outbox-relay-{container}";

    public Task StartAsync(CancellationToken ct)
    {
        if (!options.Value.RelayEnabled)
        {
            log.LogInformation("The outbox relay is off (Sync:RelayEnabled=false)");
            return Task.CompletedTask;
        }
        // Start in the background: the app serves requests even while Cosmos DB is briefly unreachable at start-up.
        _starting = Task.Run(() => StartProcessorsAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_starting is not null)
        {
            try { await _starting.WaitAsync(ct); }
            catch (OperationCanceledException) { }
        }
        foreach (var processor in _processors)
        {
            try { await processor.StopAsync(); }
            catch (Exception e) { log.LogWarning("Stopping the outbox relay: {Error}", e.Message); }
        }
        _processors.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice (as itself and as the hosted service it is registered as).
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task StartProcessorsAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var container in new[] { CosmosSchema.Members, CosmosSchema.Products })
                {
                    var processor = Build(container);
                    await processor.StartAsync();
                    _processors.Add(processor);
                }
                log.LogInformation("Outbox relay started as {Instance}", InstanceName);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                foreach (var p in _processors) await p.StopAsync();
                _processors.Clear();
                log.LogWarning("The outbox relay could not start ({Error}); retrying in {Delay}", e.Message, delay);
                try { await Task.Delay(delay, ct); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

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
                log.LogWarning("Outbox relay on {Container} (lease {Lease}) will retry the batch: {Error}", container, lease, e.Message);
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
