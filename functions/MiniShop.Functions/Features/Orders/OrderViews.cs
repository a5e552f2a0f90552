using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Functions.Features.Orders;

public sealed record AddressView(string RecipientName, string Phone, string Province, string City, string District, string Detail, string? PostalCode);

/// <summary>An order with its lines (and each line's discounts), amounts, address and timeline.</summary>
public sealed record OrderView(
    string Id, string ShopId, string PaymentOrderId, string Status, IReadOnlyList<OrderLine> Lines, OrderAmounts Amounts, IReadOnlyList<string> CouponIds,
    long PointsUsed, AddressView Address, string? Remark, DateTimeOffset CreatedAt, DateTimeOffset PaymentDueAt, DateTimeOffset? PaidAt,
    Shipment? Shipment, DateTimeOffset? DeliveredAt, DateTimeOffset? CompletedAt, IReadOnlyList<OrderEvent> Timeline, long Version,
    ActivityRef? Activity = null, PresaleTerms? Presale = null)
{
    /// <summary>The shopper and operators who ship see the address; others see it masked (minimum necessary).</summary>
    public static OrderView From(Order o, IFieldEncryptor encryptor, bool fullAddress)
    {
        var a = o.Address;
        var phone = encryptor.Decrypt(a.PhoneEncrypted);
        var address = fullAddress
            ? new AddressView(encryptor.Decrypt(a.RecipientEncrypted), phone, a.Province, a.City, a.District, encryptor.Decrypt(a.DetailEncrypted), a.PostalCode)
            : new AddressView(Mask(encryptor.Decrypt(a.RecipientEncrypted), 1), phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : "****", a.Province, a.City, a.District, "****", null);
        return new OrderView(o.Id, o.ShopId, o.PaymentOrderId, Camel(o.Status), o.Lines, o.Amounts, o.CouponIds, o.PointsUsed, address, o.Remark,
            o.CreatedAt, o.PaymentDueAt, o.PaidAt, o.Shipment, o.DeliveredAt, o.CompletedAt, o.Timeline, o.Version, o.Activity, o.Presale);
    }

    private static string Mask(string value, int keep) => value.Length <= keep ? value : value[..keep] + new string('*', value.Length - keep);

    public static string Camel<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

public sealed record OrderListView(IReadOnlyList<OrderView> Items, string? NextCursor);

public sealed record RefundListView(IReadOnlyList<Refund> Items);

public sealed record DecisionRequest(string? Reason);

/// <summary>Newest update first, as a parcel-tracking page shows it.</summary>
public sealed record LogisticsView(string OrderId, Shipment? Shipment, IReadOnlyList<LogisticsEvent> Events);
