namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Configuration section <c>WeChatPay</c> (direct merchant, API v3).</summary>
public sealed class WeChatPayOptions
{
    public const string SectionName = "WeChatPay";

    public string MchId { get; set; } = "";

    /// <summary>The mini-program appid payments are made in.</summary>
    public string AppId { get; set; } = "";

    /// <summary>Serial number of the merchant API certificate whose private key signs our requests.</summary>
    public string MerchantCertificateSerialNo { get; set; } = "";

    /// <summary>PKCS#8 or PKCS#1 PEM (apiclient_key.pem); bare base64 PKCS#8 is accepted too. A secret.</summary>
    public string MerchantPrivateKeyPem { get; set; } = "";

    /// <summary>The 32-byte APIv3 key that encrypts notification resources. A secret.</summary>
    public string ApiV3Key { get; set; } = "";

    /// <summary>
    /// Keys that WeChat Pay signs responses and notifications with. Several may be valid at once so a key
    /// can be rotated (or platform certificates replaced by a WeChat Pay public key) without an outage.
    /// </summary>
    public List<WeChatPayVerificationKey> VerificationKeys { get; set; } = [];

    public string BaseUrl { get; set; } = "https://api.mch.weixin.qq.com";

    public string NotifyUrl { get; set; } = "";

    public string RefundNotifyUrl { get; set; } = "";

    /// <summary>
    /// Sent as the <c>Wechatpay-Serial</c> request header so WeChat signs its answers with that key.
    /// Defaults to the first <c>PUB_KEY_ID_</c> verification key; empty sends none.
    /// </summary>
    public string? PreferredVerificationKeyId { get; set; }
}

/// <summary>
/// <see cref="Id"/> is a WeChat Pay public key id (<c>PUB_KEY_ID_...</c>) or a platform certificate serial.
/// <see cref="PublicKeyPem"/> holds a public key PEM or a platform certificate PEM (whose serial is used when Id is empty).
/// </summary>
public sealed class WeChatPayVerificationKey
{
    public string Id { get; set; } = "";

    public string PublicKeyPem { get; set; } = "";
}
