using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Body of <c>POST /wxa/sec/order/upload_shipping_info</c> (发货信息录入).</summary>
public sealed record UploadShippingInfoRequest
{
    public required ShippingOrderKey OrderKey { get; init; }

    public required LogisticsType LogisticsType { get; init; }

    public required DeliveryMode DeliveryMode { get; init; }

    /// <summary>Required for <see cref="DeliveryMode.Split"/>: whether this upload completes the order.</summary>
    public bool? IsAllDelivered { get; init; }

    public required IReadOnlyList<ShippingItem> ShippingList { get; init; }

    /// <summary>Orders successive uploads; the client fills in the current time when left null.</summary>
    public DateTimeOffset? UploadTime { get; init; }

    public required ShippingPayer Payer { get; init; }
}

/// <summary>Which order the shipment belongs to: by WeChat transaction id, or by our mchid + out_trade_no.</summary>
public sealed record ShippingOrderKey
{
    public required OrderNumberType OrderNumberType { get; init; }

    public string? TransactionId { get; init; }

    [JsonPropertyName("mchid")]
    public string? MchId { get; init; }

    public string? OutTradeNo { get; init; }

    public static ShippingOrderKey ByTransactionId(string transactionId) =>
        new() { OrderNumberType = OrderNumberType.TransactionId, TransactionId = transactionId };

    public static ShippingOrderKey ByOutTradeNo(string mchId, string outTradeNo) =>
        new() { OrderNumberType = OrderNumberType.OutTradeNo, MchId = mchId, OutTradeNo = outTradeNo };
}

public sealed record ShippingItem
{
    /// <summary>Required for express delivery.</summary>
    public string? TrackingNo { get; init; }

    /// <summary>Express company id from WeChat's delivery list; required for express delivery.</summary>
    public string? ExpressCompany { get; init; }

    public required string ItemDesc { get; init; }

    /// <summary>Required by SF Express: a masked phone number of sender or receiver.</summary>
    public ShippingContact? Contact { get; init; }
}

public sealed record ShippingContact(string? ConsignorContact = null, string? ReceiverContact = null);

public sealed record ShippingPayer([property: JsonPropertyName("openid")] string OpenId);

public enum OrderNumberType
{
    OutTradeNo = 1,
    TransactionId = 2,
}

public enum LogisticsType
{
    Express = 1,
    SameCity = 2,
    Virtual = 3,
    SelfPickup = 4,
}

public enum DeliveryMode
{
    Unified = 1,
    Split = 2,
}
