using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Inventory;

namespace MiniShop.Infrastructure.FlashSales;

public static class FlashSaleServices
{
    /// <summary>The flash-sale feature: settings, catalog cache, stock pool (also registered as an <see cref="IActivityStock"/>), limits, throttle, services.</summary>
    public static IServiceCollection AddFlashSales(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<FlashSaleOptions>().Bind(config.GetSection(FlashSaleOptions.Section));
        services.AddSingleton<FlashSaleCatalog>();
        services.AddSingleton<FlashStockMemo>();
        services.AddSingleton<FlashLimits>();
        services.AddSingleton<MemberThrottle>();
        services.AddSingleton<FlashStock>();
        services.AddSingleton<IActivityStock>(sp => sp.GetRequiredService<FlashStock>());
        services.AddSingleton<FlashSaleAdminService>();
        services.AddSingleton<FlashSaleCheckout>();
        services.AddSingleton<FlashSaleLifecycleActivities>();
        return services;
    }
}
