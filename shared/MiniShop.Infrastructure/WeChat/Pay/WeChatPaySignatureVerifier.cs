using System.Globalization;
using System.Security.Cryptography;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// Verifies <c>timestamp\nnonce\nbody\n</c> against the key named by <c>Wechatpay-Serial</c>, and rejects
/// timestamps more than <see cref="AllowedClockSkew"/> from our clock in either direction (replays).
/// </summary>
public sealed class WeChatPaySignatureVerifier(WeChatPayVerificationKeyRing keys, TimeProvider timeProvider)
{
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    public WeChatPayVerificationKeyRing Keys => keys;

    public WeChatPaySignatureVerification Verify(WeChatPaySignatureHeaders headers, string body) =>
        Verify(headers, System.Text.Encoding.UTF8.GetBytes(body));

    public WeChatPaySignatureVerification Verify(WeChatPaySignatureHeaders headers, ReadOnlySpan<byte> body)
    {
        var serial = headers.Serial;
        if (string.IsNullOrWhiteSpace(headers.Timestamp) || string.IsNullOrWhiteSpace(headers.Nonce)
            || string.IsNullOrWhiteSpace(headers.Signature) || string.IsNullOrWhiteSpace(serial))
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.MissingHeader, serial);
        }

        if (headers.Signature.StartsWith(WeChatPayHeaders.SignatureProbePrefix, StringComparison.Ordinal))
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.SignatureProbe, serial);
        }

        if (!long.TryParse(headers.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.MalformedHeader, serial);
        }

        var skew = timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew.Duration() > AllowedClockSkew)
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.StaleTimestamp, serial);
        }

        if (!keys.TryGet(serial, out var key))
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.UnknownSerial, serial);
        }

        var signature = new byte[headers.Signature.Length];
        if (!Convert.TryFromBase64String(headers.Signature, signature, out var length))
        {
            return WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.BadSignature, serial);
        }

        var message = WeChatPaySignatureMessage.ForResponse(headers.Timestamp, headers.Nonce, body);
        var valid = key.VerifyData(message, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return valid
            ? WeChatPaySignatureVerification.Valid(serial)
            : WeChatPaySignatureVerification.Failed(WeChatPaySignatureFailure.BadSignature, serial);
    }
}
