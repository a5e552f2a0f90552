namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Why a WeChat Pay signature was rejected: each is worth a distinct security log event.</summary>
public enum WeChatPaySignatureFailure
{
    /// <summary>One of Wechatpay-Timestamp, -Nonce, -Signature, -Serial is absent or empty.</summary>
    MissingHeader,
    /// <summary>The timestamp is not a number.</summary>
    MalformedHeader,
    /// <summary>No trusted key has the id in Wechatpay-Serial.</summary>
    UnknownSerial,
    /// <summary>The signature does not match the key and message.</summary>
    BadSignature,
    /// <summary>The timestamp is more than the allowed skew away from our clock (replay or clock drift).</summary>
    StaleTimestamp,
    /// <summary>WeChat's signature probe (<c>WECHATPAY/SIGNTEST/...</c>), which must be answered as a failure.</summary>
    SignatureProbe,
}

public sealed record WeChatPaySignatureVerification(WeChatPaySignatureFailure? Failure, string? Serial)
{
    public bool IsValid => Failure is null;

    public static WeChatPaySignatureVerification Valid(string serial) => new(null, serial);

    public static WeChatPaySignatureVerification Failed(WeChatPaySignatureFailure failure, string? serial) => new(failure, serial);
}

/// <summary>A WeChat Pay answer that could not be verified; its content must not be trusted.</summary>
public sealed class WeChatPaySignatureException(WeChatPaySignatureFailure failure, string? serial, string? requestId = null)
    : Exception($"WeChat Pay signature verification failed: {failure} (serial {serial ?? "none"}, request {requestId ?? "unknown"})")
{
    public WeChatPaySignatureFailure Failure { get; } = failure;

    public string? Serial { get; } = serial;

    public string? RequestId { get; } = requestId;
}
