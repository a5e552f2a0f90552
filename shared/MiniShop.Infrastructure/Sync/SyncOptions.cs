using Microsoft.Extensions.Configuration;

namespace MiniShop.Infrastructure.Sync;

/// <summary>The downstream systems (Service Bus subscription names) and which topics each one subscribes to.</summary>
public static class SyncRoutes
{
    public const string Erp = "erp";
    public const string Wms = "wms";

    /// <summary>
    /// Topic -> subscriptions. infra/bicep/modules/service-bus.bicep creates exactly these subscriptions (a unit test
    /// compares them), each consumed by one Service Bus triggered function.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Subscriptions { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [SyncTopics.Orders] = [Erp, Wms],
        [SyncTopics.Inventory] = [Erp],
        [SyncTopics.Logistics] = [Erp],
    };

    public static IEnumerable<(string Topic, string Subscription)> All
        => Subscriptions.SelectMany(t => t.Value.Select(s => (t.Key, s)));

    public static bool Exists(string topic, string subscription)
        => Subscriptions.TryGetValue(topic, out var subs) && subs.Contains(subscription, StringComparer.Ordinal);
}

/// <summary>Outbox relay and local delivery settings (section "Sync").</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Run the outbox relay (change feed processor) in this process. On by default.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay polls the change feed when it is idle.</summary>
    public int RelayPollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Changes per change feed batch.</summary>
    public int RelayMaxItemsPerBatch { get; set; } = 100;

    /// <summary>In-process delivery (no Service Bus): attempts per event and subscription before it is dead-lettered.</summary>
    public int LocalMaxDeliveryCount { get; set; } = 3;

    /// <summary>In-process delivery: delay before the second attempt; doubles for each further one.</summary>
    public int LocalRetryDelayMilliseconds { get; set; } = 500;

    /// <summary>
    /// Service Bus delivery: after a transient failure the function waits this long before giving the message back
    /// (doubling per delivery, from 1 s, up to this cap), so the subscription's delivery count spans minutes of a
    /// partner's outage instead of seconds. 0 gives it back at once.
    /// </summary>
    public int RedeliveryBackoffMaxSeconds { get; set; } = 30;

    /// <summary>The wait before giving back a message that failed on its <paramref name="deliveryCount"/>-th delivery.</summary>
    public TimeSpan RedeliveryBackoff(int deliveryCount)
        => TimeSpan.FromSeconds(Math.Min(RedeliveryBackoffMaxSeconds, Math.Pow(2, Math.Clamp(deliveryCount, 1, 16) - 1)));

    /// <summary>How long a delivery record (consumer idempotency) is kept.</summary>
    public int DeliveryRecordDays { get; set; } = 30;
}

/// <summary>
/// Service Bus (section "ServiceBus", the connection name of the triggers): <c>ServiceBus__fullyQualifiedNamespace</c>
/// with the app's identity in Azure, or a connection string in <c>ServiceBus</c> itself for local use.
/// Neither set = no Service Bus: events are delivered in-process.
/// </summary>
public sealed record ServiceBusSettings(string? FullyQualifiedNamespace, string? ConnectionString)
{
    public const string ConnectionName = "ServiceBus";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);

    public static ServiceBusSettings From(IConfiguration config)
    {
        var section = config.GetSection(ConnectionName);
        return new ServiceBusSettings(section["fullyQualifiedNamespace"], section.Value);
    }
}

/// <summary>One partner endpoint (sections "Erp" and "Wms").</summary>
public class PartnerEndpointOptions
{
    /// <summary>Base URL of the partner's API; empty = delivery is a logged no-op.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Path events are POSTed to, below the base URL.</summary>
    public string EventsPath { get; set; } = "/minishop/events";

    /// <summary>HMAC-SHA256 key for X-MiniShop-Signature (Key Vault reference in Azure).</summary>
    public string? HmacSecret { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Timeout of the whole call including retries.</summary>
    public int TotalTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of a transient failure (408, 429, 5xx, network) within one delivery, with exponential backoff.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles each time, with jitter.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);
}

public sealed class ErpOptions : PartnerEndpointOptions
{
    public const string Section = "Erp";
}

public sealed class WmsOptions : PartnerEndpointOptions
{
    public const string Section = "Wms";
}
