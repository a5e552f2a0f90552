using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniShop.Infrastructure;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Integration;

/// <summary>The app's real infrastructure registration pointed at a fresh database on the local Cosmos server.</summary>
public sealed class Services : IAsyncLifetime
{
    private ServiceProvider? _provider;

    public IServiceProvider Provider => _provider!;

    public string DatabaseName { get; } = TestCosmos.NewDatabaseName("it");

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        var settings = TestCosmos.AppSettings(DatabaseName);
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddMiniShopInfrastructure(config);
        _provider = services.BuildServiceProvider();
        try
        {
            await Get<MiniShop.Infrastructure.Cosmos.CosmosDb>().EnsureSchemaAsync();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"No Cosmos endpoint answers at {TestCosmos.Endpoint}. Start the local services: tools/local-services/start.sh", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is null) return;
        try { await Get<MiniShop.Infrastructure.Cosmos.CosmosDb>().Client.GetDatabase(DatabaseName).DeleteAsync(); }
        catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _provider.DisposeAsync();
    }

    public static string RandomKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
