using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat.Pay.Models;

/// <summary>Body of <c>POST /v3/pay/transactions/jsapi</c>. Null appid, mchid and notify_url come from <see cref="WeChatPayOptions"/>.</summary>
public sealed record JsapiPrepayRequest
{
    [JsonPropertyName("appid")]
    public string? AppId { get; init; }

    [JsonPropertyName("mchid")]
    public string? MchId { get; init; }

    public required string Description { get; init; }

    public required string OutTradeNo { get; init; }

    public DateTimeOffset? TimeExpire { get; init; }

    public string? Attach { get; init; }

    public string? NotifyUrl { get; init; }

    public string? GoodsTag { get; init; }

    public required PayAmount Amount { get; init; }

    public required PayPayer Payer { get; init; }
}

/// <summary>Order amount in fen.</summary>
public sealed record PayAmount(long Total, string Currency = "CNY");

public sealed record PayPayer([property: JsonPropertyName("openid")] string OpenId);

public sealed record PrepayResponse(string PrepayId);

/// <summary>Body of the close-order call.</summary>
internal sealed record CloseOrderRequest([property: JsonPropertyName("mchid")] string MchId);

/// <summary>An order as WeChat Pay reports it (query answer and, decrypted, the payment notification).</summary>
public record WeChatPayTransaction
{
    [JsonPropertyName("appid")]
    public string AppId { get; init; } = "";

    [JsonPropertyName("mchid")]
    public string MchId { get; init; } = "";

    public string OutTradeNo { get; init; } = "";

    public string? TransactionId { get; init; }

    public string? TradeType { get; init; }

    /// <summary>One of <see cref="TradeStates"/>.</summary>
    public string TradeState { get; init; } = "";

    public string? TradeStateDesc { get; init; }

    public string? BankType { get; init; }

    public string? Attach { get; init; }

    public DateTimeOffset? SuccessTime { get; init; }

    public PayPayer? Payer { get; init; }

    public TransactionAmount? Amount { get; init; }
}

/// <summary>Amounts in fen: <see cref="Total"/> ordered, <see cref="PayerTotal"/> actually paid by the user.</summary>
public sealed record TransactionAmount
{
    public long Total { get; init; }

    public long? PayerTotal { get; init; }

    public string? Currency { get; init; }

    public string? PayerCurrency { get; init; }
}

public static class TradeStates
{
    public const string Success = "SUCCESS";
    public const string Refund = "REFUND";
    public const string NotPay = "NOTPAY";
    public const string Closed = "CLOSED";
    public const string Revoked = "REVOKED";
    public const string UserPaying = "USERPAYING";
    public const string PayError = "PAYERROR";
}
