namespace MiniShop.Infrastructure.Checkout;

/// <summary>Settings section "Orders". Production defaults; tests pass seconds.</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>Unpaid orders are cancelled after this long (30 minutes).</summary>
    public int PaymentTimeoutSeconds { get; set; } = 30 * 60;

    /// <summary>How long an Idempotency-Key is remembered (7 days).</summary>
    public int IdempotencyKeyDays { get; set; } = 7;
}
