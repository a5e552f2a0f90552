using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;

namespace MiniShop.Infrastructure.WeChat.Pay.Sandbox;

/// <summary>
/// A stand-in for WeChat Pay's side, for tests and a local sandbox: its own RSA key under a
/// <c>PUB_KEY_ID_...</c> id and an APIv3 key, producing correctly signed responses and signed, encrypted
/// notifications so our whole verification path runs for real. Never trust its key in production.
/// </summary>
public sealed class WeChatPaySandbox : IDisposable
{
    private readonly RSA _platformKey;
    private readonly bool _ownsPlatformKey;
    private readonly AeadAes256Gcm _aead;
    private readonly TimeProvider _timeProvider;

    /// <param name="platformKey">The sandbox's signing key (not disposed by it); a new 2048-bit key when null.</param>
    public WeChatPaySandbox(TimeProvider timeProvider, string? apiV3Key = null, string? publicKeyId = null, RSA? platformKey = null)
    {
        _timeProvider = timeProvider;
        _ownsPlatformKey = platformKey is null;
        _platformKey = platformKey ?? RSA.Create(2048);
        ApiV3Key = apiV3Key ?? RandomAlphanumeric(32);
        PublicKeyId = publicKeyId ?? WeChatPayHeaders.PublicKeyIdPrefix + RandomDigits(28);
        _aead = new AeadAes256Gcm(ApiV3Key);
    }

    public string PublicKeyId { get; }

    public string ApiV3Key { get; }

    public string PublicKeyPem => _platformKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>What to put in <see cref="WeChatPayOptions.VerificationKeys"/> to trust this sandbox.</summary>
    public WeChatPayVerificationKey VerificationKey => new() { Id = PublicKeyId, PublicKeyPem = PublicKeyPem };

    /// <summary>Signs <c>timestamp\nnonce\nbody\n</c>; <paramref name="signedAt"/> defaults to now.</summary>
    public WeChatPaySignedMessage Sign(string body, DateTimeOffset? signedAt = null)
    {
        var timestamp = (signedAt ?? _timeProvider.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPayMerchantSigner.NewNonce();
        var message = WeChatPaySignatureMessage.ForResponse(timestamp, nonce, body);
        var signature = Convert.ToBase64String(
            _platformKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [WeChatPayHeaders.Timestamp] = timestamp,
            [WeChatPayHeaders.Nonce] = nonce,
            [WeChatPayHeaders.Signature] = signature,
            [WeChatPayHeaders.Serial] = PublicKeyId,
            [WeChatPayHeaders.SignatureType] = WeChatPayHeaders.SignatureTypeValue,
        };
        return new WeChatPaySignedMessage(headers, body);
    }

    /// <summary>A signed answer as the API would send it; a null body makes a bodiless answer (e.g. 204).</summary>
    public HttpResponseMessage CreateResponse(HttpStatusCode status, string? body)
    {
        var signed = Sign(body ?? "");
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in signed.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        response.Headers.TryAddWithoutValidation(WeChatPayHeaders.RequestId, "SANDBOX-" + signed.Headers[WeChatPayHeaders.Nonce]);
        return response;
    }

    public WeChatPaySignedMessage CreateTransactionNotification(WeChatPayTransaction transaction) =>
        CreateNotification(WeChatPayEventTypes.TransactionSuccess, "transaction", "支付成功", WeChatJson.Serialize(transaction));

    public WeChatPaySignedMessage CreateCombineTransactionNotification(CombineTransaction transaction) =>
        CreateNotification(WeChatPayEventTypes.TransactionSuccess, "transaction", "支付成功", WeChatJson.Serialize(transaction));

    public WeChatPaySignedMessage CreateRefundNotification(RefundNotification refund)
    {
        var eventType = refund.RefundStatus switch
        {
            RefundStatuses.Success => WeChatPayEventTypes.RefundSuccess,
            RefundStatuses.Closed => WeChatPayEventTypes.RefundClosed,
            _ => WeChatPayEventTypes.RefundAbnormal,
        };
        return CreateNotification(eventType, "refund", "退款状态变更", WeChatJson.Serialize(refund));
    }

    /// <summary>Encrypts <paramref name="resourceJson"/> into a notification envelope and signs it.</summary>
    public WeChatPaySignedMessage CreateNotification(string eventType, string originalType, string summary, string resourceJson)
    {
        var nonce = RandomAlphanumeric(12);
        var envelope = new WeChatPayNotificationEnvelope
        {
            Id = "EV-" + RandomDigits(20),
            CreateTime = _timeProvider.GetUtcNow().ToOffset(TimeSpan.FromHours(8)),
            EventType = eventType,
            ResourceType = "encrypt-resource",
            Summary = summary,
            Resource = new EncryptedResource
            {
                OriginalType = originalType,
                Algorithm = AeadAes256Gcm.Algorithm,
                Ciphertext = _aead.Encrypt(originalType, nonce, resourceJson),
                AssociatedData = originalType,
                Nonce = nonce,
            },
        };
        return Sign(WeChatJson.Serialize(envelope));
    }

    public void Dispose()
    {
        if (_ownsPlatformKey)
        {
            _platformKey.Dispose();
        }
    }

    private static string RandomDigits(int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    private static string RandomAlphanumeric(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}
