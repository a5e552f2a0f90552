using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Signs with the merchant API private key: SHA256withRSA (PKCS#1 v1.5), base64.</summary>
public sealed class WeChatPayMerchantSigner : IDisposable
{
    private readonly Lazy<(string MchId, string CertificateSerialNo, RSA PrivateKey)> _key;

    public WeChatPayMerchantSigner(string mchId, string certificateSerialNo, RSA privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mchId);
        ArgumentException.ThrowIfNullOrWhiteSpace(certificateSerialNo);
        ArgumentNullException.ThrowIfNull(privateKey);
        _key = new(() => (mchId, certificateSerialNo, privateKey));
    }

    /// <summary>
    /// Reads (and validates) the settings on first use, not when built: an app without WeChat Pay settings can still
    /// construct what depends on the signer and answer "payments not configured" (503) instead of failing (500).
    /// </summary>
    public WeChatPayMerchantSigner(IOptions<WeChatPayOptions> options)
    {
        _key = new(() => (options.Value.MchId, options.Value.MerchantCertificateSerialNo, PemKeys.LoadPrivateKey(options.Value.MerchantPrivateKeyPem)));
    }

    public string MchId => _key.Value.MchId;

    public string CertificateSerialNo => _key.Value.CertificateSerialNo;

    public string Sign(byte[] message) =>
        Convert.ToBase64String(_key.Value.PrivateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>32 upper-case hex characters from a CSPRNG, like WeChat's own examples.</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.PrivateKey.Dispose();
    }
}
