namespace MiniShop.Infrastructure.Checkout;

/// <summary>Settings section "Orders". Production defaults; tests pass seconds.</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>Unpaid orders are cancelled after this long (30 minutes).</summary>
    public int PaymentTimeoutSeconds { get; set; } = 30 * 60;

    /// <summary>Seconds before a payment deadline when WeChat Pay is asked whether the order was paid (2 minutes).</summary>
    public int PaymentReconcileLeadSeconds { get; set; } = 120;

    /// <summary>A shipped order counts as received after this long (10 days).</summary>
    public int AutoConfirmSeconds { get; set; } = 10 * 24 * 3600;

    /// <summary>After delivery the shopper may review (and ask for after-sales) this long (7 days), then the order completes.</summary>
    public int ReviewWindowSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>How often a waiting order re-reads its state in case an event was missed (6 hours).</summary>
    public int ShipmentPollSeconds { get; set; } = 6 * 3600;

    /// <summary>The merchant decides a refund within this long (48 hours), else it is approved automatically.</summary>
    public int RefundDecisionSeconds { get; set; } = 48 * 3600;

    /// <summary>How often a refund still processing is checked with WeChat Pay (1 hour), in case its notification is lost.</summary>
    public int RefundPollSeconds { get; set; } = 3600;

    /// <summary>How long an Idempotency-Key is remembered (7 days).</summary>
    public int IdempotencyKeyDays { get; set; } = 7;
}
