namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>HTTP header names and constants of WeChat Pay API v3 signatures.</summary>
public static class WeChatPayHeaders
{
    public const string Timestamp = "Wechatpay-Timestamp";
    public const string Nonce = "Wechatpay-Nonce";
    public const string Signature = "Wechatpay-Signature";
    public const string Serial = "Wechatpay-Serial";
    public const string SignatureType = "Wechatpay-Signature-Type";
    public const string RequestId = "Request-ID";

    public const string AuthorizationScheme = "WECHATPAY2-SHA256-RSA2048";
    public const string SignatureTypeValue = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>WeChat sends probes whose signature starts with this: they must fail verification.</summary>
    public const string SignatureProbePrefix = "WECHATPAY/SIGNTEST/";

    public const string PublicKeyIdPrefix = "PUB_KEY_ID_";
}
