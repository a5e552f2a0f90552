using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Addresses;
using MiniShop.Infrastructure.Cart;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.GroupBuys;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Security;
using MiniShop.Infrastructure.Payments.Sandbox;
using MiniShop.Infrastructure.Sync;
using MiniShop.Infrastructure.WeChat;

namespace MiniShop.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything below the HTTP layer: configuration, Cosmos, security, identity, catalog, address, cart, marketing and coupon services.</summary>
    public static IServiceCollection AddMiniShopInfrastructure(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CosmosOptions>().Bind(config.GetSection(CosmosOptions.Section));
        services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section));
        services.AddOptions<SecurityOptions>().Bind(config.GetSection(SecurityOptions.Section));

        services.AddSingleton(sp => CosmosClientFactory.Create(sp.GetRequiredService<IOptions<CosmosOptions>>().Value));
        services.AddSingleton<CosmosDb>();
        services.AddHostedService<CosmosSchemaInitializer>();

        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<IFieldEncryptor, AesGcmFieldEncryptor>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<MemberLoginService>();
        services.AddSingleton<OperatorLoginService>();
        services.AddSingleton<OperatorAdminService>();
        services.AddWeChat(config);
        services.TryAddSingleton<UnconfiguredWeChatLogin>();
        services.TryAddSingleton<WeChatCode2SessionExchanger>();
        services.AddSingleton<IWeChatLoginExchanger>(sp =>
        {
            // Without an app secret (local runs) real codes get a clear 503; dev codes work when the switch is on.
            IWeChatLoginExchanger real = string.IsNullOrEmpty(config["WeChat:AppSecret"])
                ? sp.GetRequiredService<UnconfiguredWeChatLogin>()
                : sp.GetRequiredService<WeChatCode2SessionExchanger>();
            return new DevLoginExchanger(real, sp.GetRequiredService<IOptions<AuthOptions>>(), config["WeChat:AppId"] ?? "dev-app");
        });

        services.AddSingleton<MemberLevelDirectory>();
        services.AddSingleton<ShopStore>();
        services.AddSingleton<CategoryStore>();
        services.AddSingleton<CatalogLookups>();
        services.AddSingleton<ProductCardProjector>();
        services.AddSingleton<CategoryMoves>();
        services.AddSingleton<ProductCardStockRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ProductCardStockRefresher>());
        services.AddSingleton<ProductAdminService>();
        services.AddSingleton<ProductQueries>();
        services.AddSingleton<Inventory.StockReservations>();
        services.AddSingleton<Inventory.StockHolds>();

        services.AddSingleton<AddressBook>();
        services.AddSingleton<CartStore>();
        services.AddSingleton<CartQueries>();

        services.AddSingleton<Marketing.MarketingCatalog>();
        services.AddSingleton<Marketing.PromotionAdminService>();
        services.AddSingleton<Marketing.MarketingConfigService>();
        services.AddSingleton<Coupons.CouponTemplateDirectory>();
        services.AddSingleton<Coupons.CouponTemplateAdminService>();
        services.AddSingleton<Coupons.CouponClaimService>();
        services.AddSingleton<Coupons.CouponWallet>();

        services.AddSingleton<MiniShop.Domain.Promotions.IPricingEngine, MiniShop.Domain.Promotions.PromotionEngine>();
        services.AddOptions<Checkout.OrderOptions>().Bind(config.GetSection(Checkout.OrderOptions.Section));
        services.AddSingleton<Checkout.CheckoutPricer>();
        services.AddSingleton<Checkout.CheckoutService>();

        services.AddWeChatPaySandboxWhenEnabled(config);
        services.AddSingleton<Payments.PaymentIndex>();
        services.AddSingleton<Payments.PaymentDocuments>();
        services.AddSingleton<Payments.WeChatPayGateway>();
        services.AddSingleton<Payments.PaymentSettlement>();
        services.AddSingleton<Payments.PrepayService>();
        services.AddSingleton<Payments.WeChatPayWebhooks>();
        services.AddSingleton<Payments.PaymentReconciliation>();
        services.AddSingleton<Orders.OrderQueries>();
        services.AddSingleton<Orders.OrderCommands>();
        services.AddSingleton<Orders.RefundService>();
        services.AddSingleton<Orders.Lifecycle.OrderLifecycleActivities>();
        services.AddSingleton<Orders.Lifecycle.OrderLifecycleClients>();
        services.AddSingleton<Presales.PresaleAdminService>();
        services.AddSingleton<Presales.PresaleService>();
        services.AddSingleton<Fulfilment.FulfilmentService>();

        services.AddMiniShopSync(config);
        services.AddGroupBuys(config);
        FlashSales.FlashSaleServices.AddFlashSales(services, config);

        services.AddOptions<Demo.DemoOptions>().Bind(config.GetSection(Demo.DemoOptions.Section));
        services.AddSingleton<Demo.DemoShopSeeder>();
        return services;
    }
}

/// <summary>Creates the database and containers at start-up when Cosmos:EnsureSchema is on (local runs and tests).</summary>
public sealed class CosmosSchemaInitializer(CosmosDb db, IOptions<CosmosOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => options.Value.EnsureSchema ? db.EnsureSchemaAsync(ct) : Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
