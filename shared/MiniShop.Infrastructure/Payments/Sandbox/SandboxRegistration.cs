using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.WeChat.Pay;

namespace MiniShop.Infrastructure.Payments.Sandbox;

/// <summary>Settings section "WeChatPay:Sandbox". Off unless configured: run.sh turns it on for local runs.</summary>
public sealed class SandboxOptions
{
    public const string Section = "WeChatPay:Sandbox";

    public bool Enabled { get; set; }
}

public static class SandboxRegistration
{
    /// <summary>
    /// Points the WeChat Pay client at the in-memory sandbox, with merchant and platform keys generated now, so the full
    /// flow (prepay, signed encrypted notifications, refunds) runs without WeChat.
    /// </summary>
    public static IServiceCollection AddWeChatPaySandboxWhenEnabled(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SandboxOptions>().Bind(config.GetSection(SandboxOptions.Section));
        if (!config.GetSection(SandboxOptions.Section).GetValue<bool>(nameof(SandboxOptions.Enabled))) return services;

        services.AddSingleton(sp => new SandboxWeChatPayServer(sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<WeChatPayOptions>().PostConfigure<SandboxWeChatPayServer>((o, server) =>
        {
            o.MchId = string.IsNullOrEmpty(o.MchId) ? "1900000109" : o.MchId;
            o.AppId = string.IsNullOrEmpty(o.AppId) ? config["WeChat:AppId"] ?? "wx-sandbox" : o.AppId;
            o.MerchantCertificateSerialNo = "SANDBOX0000000000000000000000000000000000";
            o.MerchantPrivateKeyPem = server.MerchantKey.ExportPkcs8PrivateKeyPem();
            o.ApiV3Key = server.Platform.ApiV3Key;
            o.VerificationKeys = [server.Platform.VerificationKey];
            o.BaseUrl = "https://sandbox.wechatpay.local";
        });
        services.AddHttpClient<IWeChatPayClient, WeChatPayClient>()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SandboxWeChatPayServer>().CreateHandler());
        return services;
    }
}
