using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat.Pay.Models;

/// <summary>
/// Body of <c>POST /v3/refund/domestic/refunds</c>. Give exactly one of <see cref="TransactionId"/> and
/// <see cref="OutTradeNo"/>. <see cref="OutRefundNo"/> is fixed by the caller per refund, so a retried call
/// is recognised by WeChat and never refunds twice. A null notify_url comes from <see cref="WeChatPayOptions.RefundNotifyUrl"/>.
/// </summary>
public sealed record RefundRequest
{
    public string? TransactionId { get; init; }

    public string? OutTradeNo { get; init; }

    public required string OutRefundNo { get; init; }

    public string? Reason { get; init; }

    public string? NotifyUrl { get; init; }

    public required RefundRequestAmount Amount { get; init; }
}

/// <summary>In fen: <see cref="Refund"/> to return out of the order's <see cref="Total"/>.</summary>
public sealed record RefundRequestAmount(long Refund, long Total, string Currency = "CNY");

/// <summary>A refund as WeChat Pay reports it (refund and refund query answers).</summary>
public sealed record WeChatPayRefund
{
    public string RefundId { get; init; } = "";

    public string OutRefundNo { get; init; } = "";

    public string? TransactionId { get; init; }

    public string? OutTradeNo { get; init; }

    public string? Channel { get; init; }

    public string? UserReceivedAccount { get; init; }

    public DateTimeOffset? SuccessTime { get; init; }

    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>One of <see cref="RefundStatuses"/>.</summary>
    public string Status { get; init; } = "";

    public string? FundsAccount { get; init; }

    public RefundAmount? Amount { get; init; }
}

/// <summary>Amounts in fen.</summary>
public sealed record RefundAmount
{
    public long Total { get; init; }

    public long Refund { get; init; }

    public long? PayerTotal { get; init; }

    public long? PayerRefund { get; init; }

    public long? SettlementRefund { get; init; }

    public long? SettlementTotal { get; init; }

    public long? DiscountRefund { get; init; }

    public string? Currency { get; init; }
}

public static class RefundStatuses
{
    public const string Success = "SUCCESS";
    public const string Closed = "CLOSED";
    public const string Processing = "PROCESSING";
    public const string Abnormal = "ABNORMAL";
}
