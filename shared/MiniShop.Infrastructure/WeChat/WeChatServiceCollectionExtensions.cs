using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;

namespace MiniShop.Infrastructure.WeChat;

public static class WeChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers the mini-program client (section <c>WeChat</c>) and the WeChat Pay client, notification
    /// parser and JSAPI parameter builder (section <c>WeChatPay</c>). Options are validated on first use,
    /// so a host that never pays does not need the WeChatPay section.
    /// </summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        AddMiniProgram(services, configuration.GetSection(WeChatMiniProgramOptions.SectionName));
        AddPay(services, configuration.GetSection(WeChatPayOptions.SectionName));
        return services;
    }

    private static void AddMiniProgram(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<WeChatMiniProgramOptions>()
            .Bind(section)
            .Validate(o => o.AppId.Length > 0 && o.AppSecret.Length > 0, "WeChat:AppId and WeChat:AppSecret are required.")
            .Validate(o => Uri.IsWellFormedUriString(o.BaseUrl, UriKind.Absolute), "WeChat:BaseUrl must be an absolute URL.");

        // The token cache is process-wide; its HttpClient comes from the factory per fetch.
        services.AddHttpClient(WeChatAccessTokenProvider.HttpClientName);
        services.TryAddSingleton<IWeChatAccessTokenProvider, WeChatAccessTokenProvider>();
        services.AddHttpClient<IWeChatMiniProgramClient, WeChatMiniProgramClient>();
    }

    private static void AddPay(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<WeChatPayOptions>()
            .Bind(section)
            .Validate(o => o.MchId.Length > 0 && o.AppId.Length > 0, "WeChatPay:MchId and WeChatPay:AppId are required.")
            .Validate(
                o => o.MerchantCertificateSerialNo.Length > 0 && o.MerchantPrivateKeyPem.Length > 0,
                "WeChatPay:MerchantCertificateSerialNo and WeChatPay:MerchantPrivateKeyPem are required.")
            .Validate(o => Encoding.UTF8.GetByteCount(o.ApiV3Key) == 32, "WeChatPay:ApiV3Key must be 32 bytes.")
            .Validate(o => o.VerificationKeys.Count > 0, "WeChatPay:VerificationKeys needs at least one key.")
            .Validate(o => Uri.IsWellFormedUriString(o.BaseUrl, UriKind.Absolute), "WeChatPay:BaseUrl must be an absolute URL.");

        services.TryAddSingleton(sp => new WeChatPayMerchantSigner(sp.GetRequiredService<IOptions<WeChatPayOptions>>()));
        services.TryAddSingleton(sp => new AeadAes256Gcm(sp.GetRequiredService<IOptions<WeChatPayOptions>>()));
        services.TryAddSingleton(sp => CreateKeyRing(sp, section));
        services.TryAddSingleton<WeChatPaySignatureVerifier>();
        services.TryAddSingleton<WeChatPayNotificationParser>();
        services.TryAddSingleton<JsapiPaymentParametersBuilder>();
        services.TryAddTransient<WeChatPaySigningHandler>();
        services.AddHttpClient<IWeChatPayClient, WeChatPayClient>()
            .AddHttpMessageHandler(sp => new DeferredSigningHandler(sp.GetRequiredService<WeChatPaySigningHandler>));
    }

    /// <summary>
    /// Reloaded configuration replaces the trusted keys, so keys rotate without a restart. It listens to the
    /// section itself rather than IOptionsMonitor, whose validation would throw inside the reload callback.
    /// </summary>
    private static WeChatPayVerificationKeyRing CreateKeyRing(IServiceProvider services, IConfigurationSection section)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<WeChatPayVerificationKeyRing>();
        var ring = new WeChatPayVerificationKeyRing(services.GetRequiredService<IOptions<WeChatPayOptions>>().Value.VerificationKeys);
        ChangeToken.OnChange(section.GetReloadToken, () =>
        {
            try
            {
                var keys = section.GetSection(nameof(WeChatPayOptions.VerificationKeys)).Get<List<WeChatPayVerificationKey>>() ?? [];
                if (keys.Count == 0)
                {
                    logger?.LogError("Reloaded configuration has no WeChat Pay verification keys; keeping the previous keys");
                    return;
                }

                ring.ReplaceAll(keys);
                logger?.LogInformation("WeChat Pay verification keys reloaded: {KeyIds}", string.Join(", ", ring.Ids));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or CryptographicException)
            {
                logger?.LogError(e, "Reloaded WeChat Pay verification keys are invalid; keeping the previous keys");
            }
        });
        return ring;
    }
}
