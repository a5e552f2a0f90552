using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure;

namespace MiniShop.Functions;

/// <summary>The app's one service registration, used by Program.cs under the Functions host and by the in-process host.</summary>
public static class AppRegistration
{
    public static IServiceCollection AddMiniShopApp(this IServiceCollection services, IConfiguration config)
    {
        services.AddMiniShopInfrastructure(config);
        services.AddOptions<HttpOptions>().Bind(config.GetSection(HttpOptions.Section));
        services.AddSingleton<HttpPipeline>();
        return services;
    }
}
