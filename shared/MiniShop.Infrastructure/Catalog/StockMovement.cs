namespace MiniShop.Infrastructure.Catalog;

/// <summary>
/// One change to a SKU's stock, written in the same transactional batch as the change itself (same partition as the
/// product), so the audit trail can never miss or invent a movement. Its id is the idempotency key.
/// </summary>
public sealed record StockMovement(
    string Id,
    string ProductId,
    string SkuId,
    long AvailableDelta,
    long ReservedDelta,
    long SoldDelta,
    string Reason,
    string Actor,
    string? Reference,
    DateTimeOffset At)
{
    public string Type => "stock-movement";
}
