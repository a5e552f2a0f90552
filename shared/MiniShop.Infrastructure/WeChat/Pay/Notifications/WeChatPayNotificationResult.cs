namespace MiniShop.Infrastructure.WeChat.Pay.Notifications;

public enum WeChatPayNotificationStatus
{
    Parsed,
    /// <summary>The signature did not verify (see <see cref="WeChatPayNotificationResult.SignatureFailure"/>): a security event.</summary>
    SignatureInvalid,
    /// <summary>Signed correctly but the resource did not decrypt with our APIv3 key.</summary>
    DecryptionFailed,
    /// <summary>Not the JSON we expect, before or after decryption.</summary>
    InvalidPayload,
}

/// <summary>
/// Outcome of <see cref="WeChatPayNotificationParser.Parse(WeChatPaySignatureHeaders, string)"/>. When parsed,
/// exactly one of <see cref="Transaction"/>, <see cref="CombineTransaction"/> and <see cref="Refund"/> is set.
/// </summary>
public sealed record WeChatPayNotificationResult
{
    public required WeChatPayNotificationStatus Status { get; init; }

    public WeChatPaySignatureFailure? SignatureFailure { get; init; }

    /// <summary>Why decryption or parsing failed; safe to log (never contains plaintext).</summary>
    public string? Error { get; init; }

    public WeChatPayNotificationEnvelope? Envelope { get; init; }

    public TransactionNotification? Transaction { get; init; }

    public CombineTransactionNotification? CombineTransaction { get; init; }

    public RefundNotification? Refund { get; init; }

    public bool IsParsed => Status == WeChatPayNotificationStatus.Parsed;
}
