using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;

namespace MiniShop.Tests.Unit.WeChat.Support;

/// <summary>
/// A merchant (key generated here) wired to a sandbox WeChat Pay (its own generated key and APIv3 key),
/// sharing one fake clock. Keys are generated once per test run: RSA generation is slow.
/// </summary>
public sealed class PayTestContext : IDisposable
{
    public const string MchId = "1900000109";
    public const string AppId = "wxd678efh567hg6787";
    public const string MerchantSerial = "5F1C72E2A8931B72A2E13AF8DEE92471EB397115";

    public static readonly DateTimeOffset Now = new(2025, 5, 20, 5, 29, 35, TimeSpan.Zero);

    private static readonly Lazy<RSA> SharedMerchantKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> SharedPlatformKey = new(() => RSA.Create(2048));

    public PayTestContext()
    {
        Time = new FakeTimeProvider(Now);
        Sandbox = new WeChatPaySandbox(Time, platformKey: SharedPlatformKey.Value);
        Options = Microsoft.Extensions.Options.Options.Create(new WeChatPayOptions
        {
            MchId = MchId,
            AppId = AppId,
            MerchantCertificateSerialNo = MerchantSerial,
            MerchantPrivateKeyPem = MerchantKey.ExportPkcs8PrivateKeyPem(),
            ApiV3Key = Sandbox.ApiV3Key,
            VerificationKeys = [Sandbox.VerificationKey],
            NotifyUrl = "https://shop.example.com/api/pay/notify",
            RefundNotifyUrl = "https://shop.example.com/api/pay/refund-notify",
        });
        Signer = new WeChatPayMerchantSigner(Options);
        Keys = new WeChatPayVerificationKeyRing(Options.Value.VerificationKeys);
        Verifier = new WeChatPaySignatureVerifier(Keys, Time);
        Aead = new AeadAes256Gcm(Options);
        Parser = new WeChatPayNotificationParser(Verifier, Aead);
    }

    public static RSA MerchantKey => SharedMerchantKey.Value;

    public FakeTimeProvider Time { get; }

    public WeChatPaySandbox Sandbox { get; }

    public IOptions<WeChatPayOptions> Options { get; }

    public WeChatPayMerchantSigner Signer { get; }

    public WeChatPayVerificationKeyRing Keys { get; }

    public WeChatPaySignatureVerifier Verifier { get; }

    public AeadAes256Gcm Aead { get; }

    public WeChatPayNotificationParser Parser { get; }

    /// <summary>An HttpClient that signs and verifies through the real handler, with <paramref name="server"/> behind it.</summary>
    public HttpClient CreateSigningClient(HttpMessageHandler server) =>
        new(new WeChatPaySigningHandler(Signer, Verifier, Options, Time) { InnerHandler = server });

    public WeChatPayClient CreateClient(HttpMessageHandler server) => new(CreateSigningClient(server), Options);

    public static RSA MerchantPublicKey()
    {
        var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(MerchantKey.ExportSubjectPublicKeyInfo(), out _);
        return key;
    }

    public void Dispose()
    {
        Sandbox.Dispose();
        Signer.Dispose();
    }
}
