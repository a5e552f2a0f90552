using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Sync;

/// <summary>"This event reached this subscriber": makes a redelivered message a no-op.</summary>
public sealed record DeliveryRecord(string Id, string Subscription, string EventId, string EventType, int PartnerStatus, DateTimeOffset DeliveredAt, int Ttl)
{
    public string Type => "delivery";
}

/// <summary>A webhook nonce already used by a partner (expires after the timestamp window has passed).</summary>
public sealed record NonceRecord(string Id, string PartnerId, DateTimeOffset UsedAt, int Ttl)
{
    public string Type => "nonce";
}

/// <summary>Small integration state in the sync-state container (partition /id, items expire by their ttl).</summary>
public sealed class SyncStateStore(CosmosDb db, IOptions<SyncOptions> options, TimeProvider time)
{
    private Container State => db.Container(CosmosSchema.SyncState);

    public static string DeliveryId(string subscription, string eventId) => $"dlv:{subscription}:{eventId}";

    public static string NonceId(string partnerId, string nonce) => $"nonce:{partnerId}:{nonce}";

    public async Task<bool> IsDeliveredAsync(string subscription, string eventId, CancellationToken ct)
        => await State.ReadOrNullAsync<DeliveryRecord>(DeliveryId(subscription, eventId), DeliveryId(subscription, eventId), ct) is not null;

    public async Task RecordDeliveryAsync(string subscription, OutboxEvent evt, int partnerStatus, CancellationToken ct)
    {
        var id = DeliveryId(subscription, evt.Id);
        var record = new DeliveryRecord(id, subscription, evt.Id, evt.EventType, partnerStatus, time.GetUtcNow(), options.Value.DeliveryRecordDays * 24 * 3600);
        await State.UpsertItemAsync(record, new PartitionKey(id), cancellationToken: ct);
    }

    /// <summary>Creates the nonce record; false when the partner already used that nonce (a replay).</summary>
    public Task<bool> TryUseNonceAsync(string partnerId, string nonce, TimeSpan keepFor, CancellationToken ct)
    {
        var id = NonceId(partnerId, nonce);
        return State.TryCreateAsync(new NonceRecord(id, partnerId, time.GetUtcNow(), (int)Math.Ceiling(keepFor.TotalSeconds)), id, ct);
    }
}
