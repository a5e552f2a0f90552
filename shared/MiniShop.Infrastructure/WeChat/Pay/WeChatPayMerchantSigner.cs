using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Signs with the merchant API private key: SHA256withRSA (PKCS#1 v1.5), base64.</summary>
public sealed class WeChatPayMerchantSigner : IDisposable
{
    private readonly RSA _privateKey;

    public WeChatPayMerchantSigner(string mchId, string certificateSerialNo, RSA privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mchId);
        ArgumentException.ThrowIfNullOrWhiteSpace(certificateSerialNo);
        MchId = mchId;
        CertificateSerialNo = certificateSerialNo;
        _privateKey = privateKey ?? throw new ArgumentNullException(nameof(privateKey));
    }

    public WeChatPayMerchantSigner(IOptions<WeChatPayOptions> options)
        : this(
            options.Value.MchId,
            options.Value.MerchantCertificateSerialNo,
            PemKeys.LoadPrivateKey(options.Value.MerchantPrivateKeyPem))
    {
    }

    public string MchId { get; }

    public string CertificateSerialNo { get; }

    public string Sign(byte[] message) =>
        Convert.ToBase64String(_privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>32 upper-case hex characters from a CSPRNG, like WeChat's own examples.</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public void Dispose() => _privateKey.Dispose();
}
