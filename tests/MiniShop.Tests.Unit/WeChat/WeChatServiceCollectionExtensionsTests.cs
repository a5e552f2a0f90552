using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.WeChat;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat;

public sealed class WeChatServiceCollectionExtensionsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(PayTestContext.Now);
    private readonly WeChatPaySandbox _sandbox;

    public WeChatServiceCollectionExtensionsTests() => _sandbox = new WeChatPaySandbox(_time);

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Registers_working_clients_from_configuration()
    {
        var configuration = Configuration();
        using var provider = Services(configuration).BuildServiceProvider();

        var transaction = await provider.GetRequiredService<IWeChatPayClient>().QueryByOutTradeNoAsync("A1", TestContext.Current.CancellationToken);

        Assert.Equal("A1", transaction.OutTradeNo);
        Assert.NotNull(provider.GetRequiredService<IWeChatMiniProgramClient>());
        Assert.Same(provider.GetRequiredService<IWeChatAccessTokenProvider>(), provider.GetRequiredService<IWeChatAccessTokenProvider>());
        Assert.Equal("RSA", provider.GetRequiredService<JsapiPaymentParametersBuilder>().Build("wx1").SignType);
        var notification = _sandbox.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1", TradeState = TradeStates.Success });
        Assert.True(provider.GetRequiredService<WeChatPayNotificationParser>().Parse(notification.SignatureHeaders, notification.Body).IsParsed);
        Assert.Equal("https://api.weixin.qq.com", provider.GetRequiredService<IOptions<WeChatMiniProgramOptions>>().Value.BaseUrl);
    }

    [Fact]
    public void Reloaded_configuration_rotates_the_verification_keys()
    {
        var configuration = Configuration();
        using var provider = Services(configuration).BuildServiceProvider();
        var verifier = provider.GetRequiredService<WeChatPaySignatureVerifier>();
        using var next = new WeChatPaySandbox(_time, _sandbox.ApiV3Key);
        var oldSigned = _sandbox.Sign("{}");
        var newSigned = next.Sign("{}");

        Reconfigure(configuration, (_sandbox.PublicKeyId, _sandbox.PublicKeyPem), (next.PublicKeyId, next.PublicKeyPem));
        Assert.True(verifier.Verify(oldSigned.SignatureHeaders, "{}").IsValid);
        Assert.True(verifier.Verify(newSigned.SignatureHeaders, "{}").IsValid);

        Reconfigure(configuration, (next.PublicKeyId, next.PublicKeyPem));
        Assert.Equal(WeChatPaySignatureFailure.UnknownSerial, verifier.Verify(oldSigned.SignatureHeaders, "{}").Failure);
        Assert.True(verifier.Verify(newSigned.SignatureHeaders, "{}").IsValid);
    }

    [Fact]
    public void Missing_pay_configuration_fails_when_pay_is_first_used()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WeChat:AppId"] = "wx-app", ["WeChat:AppSecret"] = "s" })
            .Build();
        using var provider = Services(configuration).BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<IWeChatMiniProgramClient>());
        var signer = provider.GetRequiredService<WeChatPayMerchantSigner>(); // built: what depends on it can still answer "not configured"
        var error = Assert.Throws<OptionsValidationException>(() => signer.Sign([1, 2, 3]));
        Assert.Contains(error.Failures, f => f.Contains("WeChatPay:MchId", StringComparison.Ordinal));
    }

    private IServiceCollection Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddWeChat(configuration);
        services.AddHttpClient<IWeChatPayClient, WeChatPayClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new WeChatPaySandboxHandler(
                _sandbox, _ => (HttpStatusCode.OK, """{"out_trade_no":"A1","trade_state":"NOTPAY"}"""), PayTestContext.MerchantPublicKey()));
        return services;
    }

    /// <summary>Replaces the configuration's sources, which reloads it as an app-settings refresh would.</summary>
    private void Reconfigure(ConfigurationManager configuration, params (string Id, string Pem)[] keys)
    {
        var values = Values();
        values.Remove("WeChatPay:VerificationKeys:0:Id");
        values.Remove("WeChatPay:VerificationKeys:0:PublicKeyPem");
        for (var i = 0; i < keys.Length; i++)
        {
            values[$"WeChatPay:VerificationKeys:{i}:Id"] = keys[i].Id;
            values[$"WeChatPay:VerificationKeys:{i}:PublicKeyPem"] = keys[i].Pem;
        }

        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(values);
    }

    private ConfigurationManager Configuration()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(Values());
        return configuration;
    }

    private Dictionary<string, string?> Values() => new()
        {
            ["WeChat:AppId"] = "wx-app",
            ["WeChat:AppSecret"] = "app-secret",
            ["WeChatPay:MchId"] = PayTestContext.MchId,
            ["WeChatPay:AppId"] = PayTestContext.AppId,
            ["WeChatPay:MerchantCertificateSerialNo"] = PayTestContext.MerchantSerial,
            ["WeChatPay:MerchantPrivateKeyPem"] = PayTestContext.MerchantKey.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal),
            ["WeChatPay:ApiV3Key"] = _sandbox.ApiV3Key,
            ["WeChatPay:VerificationKeys:0:Id"] = _sandbox.PublicKeyId,
            ["WeChatPay:VerificationKeys:0:PublicKeyPem"] = _sandbox.PublicKeyPem,
            ["WeChatPay:NotifyUrl"] = "https://shop.example.com/api/pay/notify",
        };
}
