using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Sync;

/// <summary>The Service Bus topics business events go to (infra/bicep/modules/service-bus.bicep creates them).</summary>
public static class SyncTopics
{
    public const string Orders = "orders";
    public const string Inventory = "inventory";
    public const string Logistics = "logistics";
}

/// <summary>The event types ERP/WMS receive, and the topic each one goes to. docs/erp-wms.md describes every payload.</summary>
public static class OutboxEventTypes
{
    public const string OrderPaid = "order.paid";
    public const string OrderCancelled = "order.cancelled";
    public const string RefundCompleted = "refund.completed";
    public const string AfterSalesReturned = "aftersales.returned";
    public const string OrderShipped = "order.shipped";
    public const string StockReserved = "stock.reserved";
    public const string StockReleased = "stock.released";
    public const string StockSold = "stock.sold";
    public const string StockReturned = "stock.returned";
    public const string StockAdjusted = "stock.adjusted";

    private static readonly Dictionary<string, string> Topics = new(StringComparer.Ordinal)
    {
        [OrderPaid] = SyncTopics.Orders,
        [OrderCancelled] = SyncTopics.Orders,
        [RefundCompleted] = SyncTopics.Orders,
        [AfterSalesReturned] = SyncTopics.Orders,
        [OrderShipped] = SyncTopics.Logistics,
        [StockReserved] = SyncTopics.Inventory,
        [StockReleased] = SyncTopics.Inventory,
        [StockSold] = SyncTopics.Inventory,
        [StockReturned] = SyncTopics.Inventory,
        [StockAdjusted] = SyncTopics.Inventory,
    };

    public static IReadOnlyCollection<string> All => Topics.Keys;

    /// <summary>The topic of a known event type; an unknown type is a programming error.</summary>
    public static string TopicOf(string eventType)
        => Topics.TryGetValue(eventType, out var topic) ? topic : throw new ArgumentException($"Unknown outbox event type '{eventType}'.", nameof(eventType));
}

/// <summary>
/// A business event ERP/WMS care about, stored as a document (<c>type = "outbox"</c>) in the SAME partition and the
/// SAME transactional batch as the state change that causes it: the members container (partition <c>memberId</c>) for
/// order events, the products container (partition <c>productId</c>) for stock events. The outbox relay reads both
/// change feeds and publishes each event to Service Bus (topic <see cref="Topic"/>, MessageId = <see cref="Id"/>,
/// SessionId = <see cref="SessionId"/>, Subject = <see cref="EventType"/>).
/// <para>
/// The id is deterministic (<c>evt:{eventType}:{aggregateId}:{discriminator}</c>), so a retried batch fails on the
/// duplicate id (409) and writes nothing twice, and Service Bus duplicate detection drops a re-published message.
/// Ids longer than <see cref="MaxIdLength"/> have their tail replaced by a hash (Service Bus message ids are at most
/// 128 characters, and a replay appends a suffix).
/// </para>
/// </summary>
public sealed record OutboxEvent(
    string Id,
    string EventType,
    string Topic,
    string AggregateId,
    string SessionId,
    JsonElement Payload,
    DateTimeOffset OccurredAt,
    string? MemberId = null,
    string? ProductId = null,
    int? Ttl = OutboxEvent.RetentionSeconds)
{
    public const string DocumentType = "outbox";

    /// <summary>Outbox documents expire after 30 days (the relay publishes within seconds; the rest is audit).</summary>
    public const int RetentionSeconds = 30 * 24 * 3600;

    public const int MaxIdLength = 100;

    public string Type => DocumentType;

    /// <summary>An order-side event, written in the member's partition (members container).</summary>
    /// <param name="sessionId">Per-order ordering: the order id. Defaults to <paramref name="aggregateId"/>.</param>
    public static OutboxEvent ForMember(string memberId, string eventType, string aggregateId, string discriminator, object payload, DateTimeOffset occurredAt, string? sessionId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(memberId);
        return Create(eventType, aggregateId, discriminator, payload, occurredAt, sessionId) with { MemberId = memberId };
    }

    /// <summary>A stock-side event, written in the product's partition (products container).</summary>
    /// <param name="sessionId">Per-SKU ordering: the SKU id. Defaults to <paramref name="aggregateId"/>.</param>
    public static OutboxEvent ForProduct(string productId, string eventType, string aggregateId, string discriminator, object payload, DateTimeOffset occurredAt, string? sessionId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(productId);
        return Create(eventType, aggregateId, discriminator, payload, occurredAt, sessionId) with { ProductId = productId };
    }

    /// <summary>order.paid / order.cancelled / order.shipped: the order as it is after the change, in its member's partition.</summary>
    /// <param name="discriminator">What makes this occurrence unique for the order; defaults to the event type's own name
    /// (an order is paid, cancelled or shipped once).</param>
    public static OutboxEvent ForOrder(string eventType, Order order, DateTimeOffset occurredAt, string? reason = null, string? discriminator = null)
        => ForMember(order.MemberId, eventType, order.Id, discriminator ?? eventType.Split('.')[^1], new OrderEventPayload(order, reason), occurredAt, order.Id);

    /// <summary>refund.completed, in the member's partition, ordered with the order's other events.</summary>
    public static OutboxEvent ForRefund(string memberId, RefundEventPayload refund, DateTimeOffset occurredAt)
        => ForMember(memberId, OutboxEventTypes.RefundCompleted, refund.OrderId, refund.RefundId, refund, occurredAt, refund.OrderId);

    /// <summary>aftersales.returned, in the member's partition, ordered with the order's other events.</summary>
    public static OutboxEvent ForReturn(string memberId, ReturnEventPayload returned, DateTimeOffset occurredAt)
        => ForMember(memberId, OutboxEventTypes.AfterSalesReturned, returned.OrderId, returned.AfterSalesId, returned, occurredAt, returned.OrderId);

    /// <summary>stock.*: one SKU's stock movement, in the product's partition, ordered per SKU. One event per movement:
    /// the movement id (itself the movement's idempotency key) is the discriminator.</summary>
    public static OutboxEvent ForStock(string eventType, StockEventPayload stock)
        => ForProduct(stock.ProductId, eventType, stock.SkuId, stock.MovementId.StartsWith("stk:", StringComparison.Ordinal) ? stock.MovementId[4..] : stock.MovementId,
            stock, stock.At, stock.SkuId);

    /// <summary>The payload as its contract type.</summary>
    public T PayloadAs<T>() => Payload.Deserialize<T>(JsonDefaults.Options) ?? throw new JsonException($"Outbox event {Id} has an empty payload.");

    /// <summary>The partition key value of the container the event lives in.</summary>
    [JsonIgnore]
    public string PartitionKey => MemberId ?? ProductId ?? throw new InvalidOperationException($"Outbox event {Id} has neither memberId nor productId.");

    public static string IdFor(string eventType, string aggregateId, string discriminator)
    {
        var id = Sanitize($"evt:{eventType}:{aggregateId}:{discriminator}");
        if (id.Length <= MaxIdLength) return id;
        var hash = Ids.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..22];
        return id[..(MaxIdLength - hash.Length - 1)] + "~" + hash;
    }

    private static OutboxEvent Create(string eventType, string aggregateId, string discriminator, object payload, DateTimeOffset occurredAt, string? sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(aggregateId);
        ArgumentException.ThrowIfNullOrEmpty(discriminator);
        ArgumentNullException.ThrowIfNull(payload);
        var topic = OutboxEventTypes.TopicOf(eventType);
        var element = payload is JsonElement e ? e.Clone() : JsonSerializer.SerializeToElement(payload, payload.GetType(), JsonDefaults.Options);
        var session = sessionId ?? aggregateId;
        if (session.Length > 128) throw new ArgumentException("A Service Bus session id is at most 128 characters.", nameof(sessionId));
        return new OutboxEvent(IdFor(eventType, aggregateId, discriminator), eventType, topic, aggregateId, session, element, occurredAt);
    }

    // Cosmos ids may not contain '/', '\', '?' or '#'.
    private static string Sanitize(string id)
    {
        var chars = id.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is '/' or '\\' or '?' or '#' || char.IsControl(chars[i])) chars[i] = '_';
        return new string(chars);
    }
}

/// <summary>Payload of order.paid, order.cancelled and order.shipped: the order after the change (address still encrypted).</summary>
public sealed record OrderEventPayload(Order Order, string? Reason = null);

/// <summary>One refunded order line: how many units and how much money (fen).</summary>
public sealed record RefundLinePayload(string LineId, string SkuId, string SkuCode, int Quantity, long AmountFen);

/// <summary>Payload of refund.completed: money went back to the shopper. Lines may be empty for an amount-only refund.</summary>
public sealed record RefundEventPayload(
    string OrderId,
    string ShopId,
    string RefundId,
    long AmountFen,
    IReadOnlyList<RefundLinePayload> Lines,
    string? Reason,
    DateTimeOffset CompletedAt);

/// <summary>One returned order line.</summary>
public sealed record ReturnLinePayload(string LineId, string SkuId, string SkuCode, int Quantity);

/// <summary>Payload of aftersales.returned: goods came back to the shop (after-sales case <see cref="AfterSalesId"/>).</summary>
public sealed record ReturnEventPayload(
    string OrderId,
    string ShopId,
    string AfterSalesId,
    IReadOnlyList<ReturnLinePayload> Lines,
    string? Reason,
    DateTimeOffset ReturnedAt);

/// <summary>Payload of stock.*: one SKU's stock movement (the deltas of the <c>StockMovement</c> written in the same batch).</summary>
public sealed record StockEventPayload(
    string ShopId,
    string ProductId,
    string SkuId,
    string SkuCode,
    long AvailableDelta,
    long ReservedDelta,
    long SoldDelta,
    string Reason,
    string? Reference,
    string MovementId,
    DateTimeOffset At);
