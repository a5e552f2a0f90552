using System.Collections.ObjectModel;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>A container as the code expects it; Bicep declares the same list (a test keeps them in step).</summary>
public sealed record ContainerSpec(
    string Name,
    string PartitionKeyPath,
    int? DefaultTimeToLiveSeconds = null,
    IReadOnlyList<string[]>? UniqueKeys = null,
    IReadOnlyList<string[]>? CompositeIndexes = null);

/// <summary>Every container, its partition key and why. docs/data-model.md explains each access pattern.</summary>
public static class CosmosSchema
{
    public const string Members = "members";
    public const string Identities = "identities";
    public const string Sessions = "sessions";
    public const string Operators = "operators";
    public const string Shops = "shops";
    public const string CatalogMeta = "catalog-meta";
    public const string Products = "products";
    public const string ProductCards = "product-cards";
    public const string CatalogLookups = "catalog-lookups";
    public const string PaymentIndex = "payment-index";
    public const string Presales = "presales";
    public const string Marketing = "marketing";
    public const string CouponTemplates = "coupon-templates";
    public const string Leases = "leases";
    public const string DeadLetters = "dead-letters";
    public const string SyncState = "sync-state";
    public const string GroupBuys = "group-buys";
    public const string FlashSales = "flash-sales";

    public static ReadOnlyCollection<ContainerSpec> Containers { get; } = new List<ContainerSpec>
    {
        // Everything a member owns shares the member's partition: profile, addresses, cart, wallet coupons, points
        // ledger, orders, payment orders, idempotency records. Checkout commits in one transactional batch there.
        new(Members, "/memberId", DefaultTimeToLiveSeconds: -1),
        // "wxmp:{appId}:{openId}" and "wxunion:{unionId}" -> member id; the create is the race arbiter on first login.
        new(Identities, "/id"),
        // Refresh-token sessions; TTL removes them after expiry (the item sets its own ttl).
        new(Sessions, "/id", DefaultTimeToLiveSeconds: -1),
        // Operators by normalised user name: login is one point read.
        new(Operators, "/id"),
        new(Shops, "/id"),
        // Small, read-mostly lists (category tree, member levels): one partition per kind.
        new(CatalogMeta, "/kind"),
        // A product and everything about it (reservations, stock audit, stock outbox events) share a partition, so changes
        // batch atomically. TTL on (-1): only items with their own ttl expire (outbox events after 30 days).
        new(Products, "/productId", DefaultTimeToLiveSeconds: -1),
        // The published storefront listing: every browse query stays in one partition per channel.
        new(ProductCards, "/channel", CompositeIndexes:
        [
            ["/minPriceFen", "/id"],
            ["/sales", "/id"],
            ["/publishedAt", "/id"],
        ]),
        // Unique barcodes and SKU codes: "barcode:{code}" / "skucode:{code}" -> product and SKU.
        new(CatalogLookups, "/id"),
        // WeChat Pay only knows out_trade_no / out_refund_no: "{paymentOrderId}" and "refund:{refundId}" -> member partition.
        new(PaymentIndex, "/id"),
        // Presale definitions: read by id on every deposit and balance; few per shop.
        new(Presales, "/id"),
        // Marketing configuration by owner (a shop id or "platform"): promotions, the shop's shipping template, platform
        // settings. Checkout reads one owner's active promotions with one single-partition query.
        new(Marketing, "/ownerId"),
        // Coupon templates, one per partition: every claim increments the template's issued counter with a conditional
        // patch, so claims of different templates never contend for one partition.
        new(CouponTemplates, "/id"),
        // Change feed processor leases (the outbox relay's checkpoints per feed range); the SDK requires /id.
        new(Leases, "/id"),
        // ERP/WMS deliveries that failed for good without Service Bus (in-process publisher) or that the relay could
        // not publish, one partition per "{topic}/{subscription}": the admin list of a queue is a single-partition query.
        new(DeadLetters, "/queue"),
        // Small integration state with a TTL: delivery records ("dlv:{subscription}:{eventId}", 30 days) that make
        // consumers idempotent, and webhook nonces ("nonce:{partnerId}:{nonce}", 10 minutes) that stop replays.
        new(SyncState, "/id", DefaultTimeToLiveSeconds: -1),
        // Group buying, one partition per activity: the activity, its stats, its groups (seats embedded), each member's
        // unit quota and per-group seat tickets. A join changes the group, the ticket and the quota in one batch.
        new(GroupBuys, "/activityId"),
        // Flash sales: each session, each stock shard ("{session}:{item}:{n}", with the holds taken from it) and each SKU's
        // calendar in its own partition, so one SKU's flash stock is never one contended document or partition.
        new(FlashSales, "/key"),
    }.AsReadOnly();
}
