using System.Security.Cryptography;
using System.Text.Json;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Sync;

/// <summary>An event that cannot be turned into the partner contract: a permanent failure (dead-lettered).</summary>
public sealed class MappingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Maps outbox events to the ERP/WMS contract (<see cref="PartnerEvent"/>). Returns null when the subscriber does not
/// take that event type (acknowledged without a call). Personal data is decrypted only for the WMS outbound order.
/// </summary>
public sealed class PartnerMapper(IFieldEncryptor encryptor)
{
    public const string Currency = "CNY";

    public PartnerEvent? Map(string subscription, OutboxEvent evt)
    {
        try
        {
            return subscription switch
            {
                SyncRoutes.Erp => MapErp(evt),
                SyncRoutes.Wms => MapWms(evt),
                _ => throw new MappingException($"Unknown subscription '{subscription}'."),
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException or InvalidOperationException or CryptographicException or FormatException)
        {
            throw new MappingException($"Event {evt.Id} ({evt.EventType}) cannot be mapped for {subscription}: {e.Message}", e);
        }
    }

    private PartnerEvent? MapErp(OutboxEvent evt)
    {
        switch (evt.EventType)
        {
            case OutboxEventTypes.OrderPaid:
            {
                var order = OrderOf(evt);
                return Envelope(evt, order.ShopId, new ErpSalesOrder(order.Id, order.PaymentOrderId, order.MemberId, order.ShopId, order.CreatedAt,
                    order.PaidAt ?? evt.OccurredAt, Currency, Amounts(order.Amounts), order.Lines.Select(ErpLine).ToList(),
                    new ContractRegion(order.Address.ProvinceCode, order.Address.Province, order.Address.City, order.Address.District), order.Remark));
            }
            case OutboxEventTypes.OrderCancelled:
            {
                var payload = evt.PayloadAs<OrderEventPayload>();
                var order = Required(payload.Order, "order");
                return Envelope(evt, order.ShopId, new ErpOrderCancellation(order.Id, Camel(order.Status), evt.OccurredAt, payload.Reason, Quantities(order)));
            }
            case OutboxEventTypes.RefundCompleted:
            {
                var refund = evt.PayloadAs<RefundEventPayload>();
                return Envelope(evt, Required(refund.ShopId, "shopId"), Refund(refund));
            }
            case OutboxEventTypes.AfterSalesReturned:
            {
                var r = evt.PayloadAs<ReturnEventPayload>();
                return Envelope(evt, Required(r.ShopId, "shopId"), new ErpReturn(Required(r.OrderId, "orderId"), Required(r.AfterSalesId, "afterSalesId"), r.ReturnedAt, r.Reason,
                    (r.Lines ?? []).Select(l => new ContractLineQuantity(l.LineId, Required(l.SkuCode, "lines[].skuCode"), Positive(l.Quantity))).ToList()));
            }
            case OutboxEventTypes.OrderShipped:
            {
                var order = OrderOf(evt);
                var shipment = order.Shipment ?? throw new MappingException($"Order {order.Id} has no shipment.");
                return Envelope(evt, order.ShopId, new ErpShipment(order.Id, shipment.Carrier, shipment.TrackingNumber, shipment.ShippedAt, Quantities(order)));
            }
            case OutboxEventTypes.StockReserved or OutboxEventTypes.StockReleased or OutboxEventTypes.StockSold
                or OutboxEventTypes.StockReturned or OutboxEventTypes.StockAdjusted:
            {
                var s = evt.PayloadAs<StockEventPayload>();
                return Envelope(evt, Required(s.ShopId, "shopId"), new ErpStockMovement(Required(s.MovementId, "movementId"), Required(s.ProductId, "productId"),
                    Required(s.SkuId, "skuId"), Required(s.SkuCode, "skuCode"), s.AvailableDelta, s.ReservedDelta, s.SoldDelta, s.Reason, s.Reference, s.At));
            }
            default:
                return null;
        }
    }

    private PartnerEvent? MapWms(OutboxEvent evt)
    {
        switch (evt.EventType)
        {
            case OutboxEventTypes.OrderPaid:
            {
                var order = OrderOf(evt);
                var a = order.Address;
                var consignee = new WmsConsignee(encryptor.Decrypt(a.RecipientEncrypted), encryptor.Decrypt(a.PhoneEncrypted), a.ProvinceCode, a.Province, a.City,
                    a.District, encryptor.Decrypt(a.DetailEncrypted), a.PostalCode);
                return Envelope(evt, order.ShopId, new WmsOutboundOrder(order.Id, order.PaidAt ?? evt.OccurredAt, consignee,
                    order.Lines.Select(l => new WmsOutboundLine(l.LineId, Required(l.SkuCode, "lines[].skuCode"), l.Title, l.SpecValues ?? [], Positive(l.Quantity))).ToList(),
                    order.Remark));
            }
            case OutboxEventTypes.OrderCancelled:
            {
                var payload = evt.PayloadAs<OrderEventPayload>();
                var order = Required(payload.Order, "order");
                return Envelope(evt, order.ShopId, new WmsOutboundCancellation(order.Id, evt.OccurredAt, payload.Reason));
            }
            case OutboxEventTypes.RefundCompleted:
            {
                var refund = evt.PayloadAs<RefundEventPayload>();
                return Envelope(evt, Required(refund.ShopId, "shopId"), Refund(refund));
            }
            default:
                return null;
        }
    }

    private static PartnerEvent Envelope(OutboxEvent evt, string shopId, object data) => new(evt.Id, evt.EventType, evt.OccurredAt, shopId, data);

    private static Order OrderOf(OutboxEvent evt) => Required(evt.PayloadAs<OrderEventPayload>().Order, "order");

    private static ErpOrderLine ErpLine(OrderLine l)
    {
        var discount = (l.Discounts ?? []).Sum(d => d.AmountFen);
        return new ErpOrderLine(l.LineId, l.ProductId, l.SkuId, Required(l.SkuCode, "lines[].skuCode"), l.Title, l.SpecValues ?? [], Positive(l.Quantity),
            l.UnitPriceFen, l.LineAmountFen, discount, l.PayableFen);
    }

    private static ContractAmounts Amounts(OrderAmounts a) => new(a.GoodsFen, a.ShopDiscountFen, a.PlatformDiscountFen, a.PointsDeductionFen, a.ShippingFen, a.PayableFen);

    private static List<ContractLineQuantity> Quantities(Order order)
        => order.Lines.Select(l => new ContractLineQuantity(l.LineId, Required(l.SkuCode, "lines[].skuCode"), Positive(l.Quantity))).ToList();

    private static ContractRefund Refund(RefundEventPayload r)
    {
        if (r.AmountFen < 0) throw new MappingException($"Refund {r.RefundId} has a negative amount.");
        return new ContractRefund(Required(r.OrderId, "orderId"), Required(r.RefundId, "refundId"), r.AmountFen, Currency, r.CompletedAt, r.Reason,
            (r.Lines ?? []).Select(l => new ContractRefundLine(l.LineId, Required(l.SkuCode, "lines[].skuCode"), l.Quantity, l.AmountFen)).ToList());
    }

    private static T Required<T>(T? value, string field) where T : class
        => value is null || (value is string s && string.IsNullOrWhiteSpace(s)) ? throw new MappingException($"'{field}' is missing.") : value;

    private static int Positive(int quantity) => quantity > 0 ? quantity : throw new MappingException($"A quantity of {quantity} is not valid.");

    private static string Camel(OrderStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
