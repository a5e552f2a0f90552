namespace MiniShop.Infrastructure.Inventory;

public enum ReservationStatus { Reserved, Released, Sold, Returned }

/// <summary>
/// Units of one SKU held for one order, in the product's partition. Its id ("rsv:{orderId}:{skuId}") makes reserving
/// idempotent, and its status moves only forward by conditional patches, so each unit is released or sold exactly once.
/// </summary>
public sealed record StockReservation(
    string Id,
    string ProductId,
    string SkuId,
    string OrderId,
    long Quantity,
    ReservationStatus Status,
    DateTimeOffset ReservedAt,
    DateTimeOffset? SettledAt = null)
{
    public string Type => "stock-reservation";

    public static string IdFor(string orderId, string skuId) => $"rsv:{orderId}:{skuId}";
}

/// <summary>One SKU and quantity an order wants.</summary>
public sealed record StockRequest(string ProductId, string SkuId, long Quantity);
