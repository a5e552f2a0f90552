using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat.Pay.Models;

/// <summary>
/// Body of <c>POST /v3/combine-transactions/jsapi</c> (合单). Null combine_appid, combine_mchid,
/// sub-order mchid and notify_url come from <see cref="WeChatPayOptions"/>.
/// </summary>
public sealed record CombineJsapiPrepayRequest
{
    [JsonPropertyName("combine_appid")]
    public string? CombineAppId { get; init; }

    [JsonPropertyName("combine_mchid")]
    public string? CombineMchId { get; init; }

    public required string CombineOutTradeNo { get; init; }

    public required IReadOnlyList<CombineSubOrder> SubOrders { get; init; }

    public required CombinePayerInfo CombinePayerInfo { get; init; }

    public DateTimeOffset? TimeExpire { get; init; }

    public string? NotifyUrl { get; init; }
}

public sealed record CombineSubOrder
{
    [JsonPropertyName("mchid")]
    public string? MchId { get; init; }

    /// <summary>Required by WeChat; echoed back in the notification.</summary>
    public required string Attach { get; init; }

    public required CombineAmount Amount { get; init; }

    public required string OutTradeNo { get; init; }

    public required string Description { get; init; }
}

/// <summary>Sub-order amount in fen.</summary>
public sealed record CombineAmount(long TotalAmount, string Currency = "CNY");

public sealed record CombinePayerInfo([property: JsonPropertyName("openid")] string OpenId);

/// <summary>Identifies a sub-order to close; a null mchid means ours.</summary>
public sealed record CombineSubOrderKey(string OutTradeNo, [property: JsonPropertyName("mchid")] string? MchId = null);

internal sealed record CombineCloseRequest(
    [property: JsonPropertyName("combine_appid")] string CombineAppId,
    IReadOnlyList<CombineSubOrderKey> SubOrders);

/// <summary>A combined order as WeChat Pay reports it: each sub-order has its own trade_state.</summary>
public record CombineTransaction
{
    [JsonPropertyName("combine_appid")]
    public string CombineAppId { get; init; } = "";

    [JsonPropertyName("combine_mchid")]
    public string CombineMchId { get; init; } = "";

    public string CombineOutTradeNo { get; init; } = "";

    public IReadOnlyList<CombineSubOrderResult> SubOrders { get; init; } = [];

    public CombinePayerInfo? CombinePayerInfo { get; init; }
}

public sealed record CombineSubOrderResult
{
    [JsonPropertyName("mchid")]
    public string MchId { get; init; } = "";

    public string? TradeType { get; init; }

    /// <summary>One of <see cref="TradeStates"/>.</summary>
    public string TradeState { get; init; } = "";

    public string? BankType { get; init; }

    public string? Attach { get; init; }

    public DateTimeOffset? SuccessTime { get; init; }

    public string? TransactionId { get; init; }

    public string OutTradeNo { get; init; } = "";

    public CombineSubOrderAmount? Amount { get; init; }
}

/// <summary>Amounts in fen.</summary>
public sealed record CombineSubOrderAmount
{
    public long TotalAmount { get; init; }

    public long? PayerAmount { get; init; }

    public string? Currency { get; init; }

    public string? PayerCurrency { get; init; }
}
