using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MiniShop.Infrastructure.Inventory;

namespace MiniShop.Infrastructure.GroupBuys;

public static class GroupBuyRegistration
{
    /// <summary>Group buying: its settings, store, services, the payment hooks of its orders and its lifecycle's activities.</summary>
    public static IServiceCollection AddGroupBuys(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<GroupBuyOptions>().Bind(config.GetSection(GroupBuyOptions.Section));
        services.AddSingleton<GroupBuyStore>();
        services.AddSingleton<GroupBuyOrders>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOrderActivityHooks, GroupBuyHooks>());
        services.AddSingleton<GroupBuyActivities>();
        services.AddSingleton<GroupBuyService>();
        services.AddSingleton<GroupBuyAdminService>();
        return services;
    }
}
