namespace MiniShop.Infrastructure.Sync;

// The JSON MiniShop POSTs to ERP/WMS (docs/erp-wms.md documents every field). Names are camelCase on the wire, money in
// integer fen, times ISO 8601 UTC. Every request is one envelope; "data" depends on "type".

/// <summary>The envelope of every request: <see cref="Id"/> is also the Idempotency-Key header.</summary>
public sealed record PartnerEvent(string Id, string Type, DateTimeOffset OccurredAt, string ShopId, object Data)
{
    public string SpecVersion => "1.0";
}

public sealed record ContractAmounts(long GoodsFen, long ShopDiscountFen, long PlatformDiscountFen, long PointsDeductionFen, long ShippingFen, long PayableFen);

/// <summary>The delivery region without personal data (ERP).</summary>
public sealed record ContractRegion(string ProvinceCode, string Province, string City, string District);

public sealed record ErpOrderLine(
    string LineId, string ProductId, string SkuId, string SkuCode, string Title, IReadOnlyList<string> SpecValues,
    int Quantity, long UnitPriceFen, long LineAmountFen, long DiscountFen, long PayableFen);

/// <summary>ERP, order.paid: a sales order.</summary>
public sealed record ErpSalesOrder(
    string OrderId, string PaymentOrderId, string MemberId, string ShopId, DateTimeOffset CreatedAt, DateTimeOffset PaidAt,
    string Currency, ContractAmounts Amounts, IReadOnlyList<ErpOrderLine> Lines, ContractRegion Region, string? Remark);

public sealed record ContractLineQuantity(string LineId, string SkuCode, int Quantity);

/// <summary>ERP, order.cancelled.</summary>
public sealed record ErpOrderCancellation(string OrderId, string Status, DateTimeOffset CancelledAt, string? Reason, IReadOnlyList<ContractLineQuantity> Lines);

public sealed record ContractRefundLine(string LineId, string SkuCode, int Quantity, long AmountFen);

/// <summary>ERP and WMS, refund.completed.</summary>
public sealed record ContractRefund(string OrderId, string RefundId, long AmountFen, string Currency, DateTimeOffset CompletedAt, string? Reason, IReadOnlyList<ContractRefundLine> Lines);

/// <summary>ERP, aftersales.returned.</summary>
public sealed record ErpReturn(string OrderId, string AfterSalesId, DateTimeOffset ReturnedAt, string? Reason, IReadOnlyList<ContractLineQuantity> Lines);

/// <summary>ERP, order.shipped (logistics topic).</summary>
public sealed record ErpShipment(string OrderId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt, IReadOnlyList<ContractLineQuantity> Lines);

/// <summary>ERP, stock.*: one SKU's movement.</summary>
public sealed record ErpStockMovement(
    string MovementId, string ProductId, string SkuId, string SkuCode, long AvailableDelta, long ReservedDelta, long SoldDelta,
    string Reason, string? Reference, DateTimeOffset At);

/// <summary>WMS: who receives the parcel (decrypted for this request only).</summary>
public sealed record WmsConsignee(
    string Name, string Phone, string ProvinceCode, string Province, string City, string District, string Detail, string? PostalCode);

public sealed record WmsOutboundLine(string LineId, string SkuCode, string Title, IReadOnlyList<string> SpecValues, int Quantity);

/// <summary>WMS, order.paid: an outbound (shipping) order.</summary>
public sealed record WmsOutboundOrder(string OrderId, DateTimeOffset PaidAt, WmsConsignee Consignee, IReadOnlyList<WmsOutboundLine> Lines, string? Remark);

/// <summary>WMS, order.cancelled: cancel the outbound order if one exists.</summary>
public sealed record WmsOutboundCancellation(string OrderId, DateTimeOffset CancelledAt, string? Reason);
