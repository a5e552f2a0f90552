using System.Net;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>WeChat Pay answered with an error status: <c>{"code": "...", "message": "..."}</c>.</summary>
public sealed class WeChatPayApiException(HttpStatusCode status, string? code, string? message)
    : Exception($"WeChat Pay API error {(int)status} {code}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>One of <see cref="WeChatPayErrorCodes"/> or another documented code; null when the body had none.</summary>
    public string? Code { get; } = code;

    public string? ErrorMessage { get; } = message;

    /// <summary>Server-side and rate-limit failures: the same request may succeed later.</summary>
    public bool IsRetryable =>
        (int)Status >= 500
        || Status == HttpStatusCode.TooManyRequests
        || Code is WeChatPayErrorCodes.SystemError or WeChatPayErrorCodes.FrequencyLimited or WeChatPayErrorCodes.BankError;
}

public static class WeChatPayErrorCodes
{
    public const string OrderPaid = "ORDERPAID";
    public const string OrderClosed = "ORDER_CLOSED";
    public const string NotEnough = "NOT_ENOUGH";
    public const string ResourceNotExists = "RESOURCE_NOT_EXISTS";
    public const string OrderNotExist = "ORDERNOTEXIST";
    public const string OutTradeNoUsed = "OUT_TRADE_NO_USED";
    public const string ParamError = "PARAM_ERROR";
    public const string SignError = "SIGN_ERROR";
    public const string SystemError = "SYSTEM_ERROR";
    public const string FrequencyLimited = "FREQUENCY_LIMITED";
    public const string BankError = "BANK_ERROR";
}
