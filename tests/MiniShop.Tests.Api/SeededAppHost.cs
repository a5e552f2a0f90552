using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Api;

/// <summary>
/// Another instance of the whole app for tests that need different settings (sandbox on, timeouts in seconds): its own
/// database on the local Cosmos server, the demo shop seeded, <see cref="Api"/> for HTTP calls, deleted afterwards.
/// </summary>
public abstract class SeededAppHost(string databasePrefix) : IAsyncLifetime
{
    private WebApplication? _app;

    public ApiHost Api { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The settings that make this host different.</summary>
    protected abstract void Configure(Dictionary<string, string?> settings);

    public async ValueTask InitializeAsync()
    {
        var settings = TestCosmos.AppSettings(TestCosmos.NewDatabaseName(databasePrefix));
        settings["Logging:LogLevel:Default"] = "Warning";
        Configure(settings);
        _app = LocalHostBuilder.Create(new LocalHostOptions { Settings = settings, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        await Services.GetRequiredService<DemoShopSeeder>().SeedAsync(ApiHost.OperatorPassword, CancellationToken.None);
        Api = ApiHost.ForRunningApp(new Uri(_app.Urls.First() + "/api/"), settings, Services);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        var db = Services.GetRequiredService<CosmosDb>();
        try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); } catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _app.DisposeAsync();
    }
}
