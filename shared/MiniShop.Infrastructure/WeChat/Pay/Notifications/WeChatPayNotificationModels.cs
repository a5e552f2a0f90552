using System.Text.Json.Serialization;
using MiniShop.Infrastructure.WeChat.Pay.Models;

namespace MiniShop.Infrastructure.WeChat.Pay.Notifications;

/// <summary>The outer, unencrypted notification body WeChat Pay POSTs to our notify_url.</summary>
public sealed record WeChatPayNotificationEnvelope
{
    public string Id { get; init; } = "";

    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>One of <see cref="WeChatPayEventTypes"/>.</summary>
    public string EventType { get; init; } = "";

    public string? ResourceType { get; init; }

    public string? Summary { get; init; }

    public EncryptedResource? Resource { get; init; }
}

public sealed record EncryptedResource
{
    public string? OriginalType { get; init; }

    public string Algorithm { get; init; } = "";

    public string Ciphertext { get; init; } = "";

    public string? AssociatedData { get; init; }

    public string Nonce { get; init; } = "";
}

public static class WeChatPayEventTypes
{
    public const string TransactionSuccess = "TRANSACTION.SUCCESS";
    public const string RefundSuccess = "REFUND.SUCCESS";
    public const string RefundAbnormal = "REFUND.ABNORMAL";
    public const string RefundClosed = "REFUND.CLOSED";
}

/// <summary>Decrypted payment notification of a single JSAPI order.</summary>
public sealed record TransactionNotification : WeChatPayTransaction;

/// <summary>Decrypted payment notification of a combined (合单) order.</summary>
public sealed record CombineTransactionNotification : CombineTransaction;

/// <summary>Decrypted refund notification (REFUND.SUCCESS / REFUND.CLOSED / REFUND.ABNORMAL).</summary>
public sealed record RefundNotification
{
    [JsonPropertyName("mchid")]
    public string MchId { get; init; } = "";

    public string OutTradeNo { get; init; } = "";

    public string? TransactionId { get; init; }

    public string OutRefundNo { get; init; } = "";

    public string RefundId { get; init; } = "";

    /// <summary>SUCCESS, CLOSED or ABNORMAL (<see cref="RefundStatuses"/>).</summary>
    public string RefundStatus { get; init; } = "";

    public DateTimeOffset? SuccessTime { get; init; }

    public string? UserReceivedAccount { get; init; }

    public RefundAmount? Amount { get; init; }
}
