using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Sync;
using MiniShop.Tests.Integration.Catalog;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>
/// The real registration on a fresh database, with ERP and WMS configured to stub endpoints, a partner secret, and
/// short retry delays. No hosted service runs: tests start a relay themselves when they need one.
/// <see cref="StubPartners"/> = false keeps the real primary handler, for tests that point the partners at a real
/// local HTTP endpoint through <see cref="Settings"/>.
/// </summary>
public sealed class SyncServices : IAsyncLifetime
{
    public const string ErpSecret = "erp-outbound-secret";
    public const string WmsSecret = "wms-outbound-secret";
    public const string PartnerId = "erp-main";
    public const string PartnerSecret = "erp-inbound-secret";

    private ServiceProvider? _provider;

    public StubPartner Erp { get; } = new();

    public StubPartner Wms { get; } = new();

    public string DatabaseName { get; } = TestCosmos.NewDatabaseName("sync");

    public IServiceProvider Provider => _provider!;

    /// <summary>Replace the typed clients' primary handler by <see cref="Erp"/> / <see cref="Wms"/> (default). False: real sockets.</summary>
    public bool StubPartners { get; init; } = true;

    /// <summary>Settings applied over the defaults above (e.g. partner base URLs, timeouts, delivery counts).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        var settings = TestCosmos.AppSettings(DatabaseName);
        settings["Erp:BaseUrl"] = "https://erp.test/api";
        settings["Erp:HmacSecret"] = ErpSecret;
        settings["Erp:MaxRetryAttempts"] = "1";
        settings["Erp:RetryBaseDelayMilliseconds"] = "5";
        settings["Wms:BaseUrl"] = "https://wms.test";
        settings["Wms:HmacSecret"] = WmsSecret;
        settings["Wms:MaxRetryAttempts"] = "1";
        settings["Wms:RetryBaseDelayMilliseconds"] = "5";
        settings[$"Partners:{PartnerId}:Secret"] = PartnerSecret;
        settings["Partners:erp-shop2:Secret"] = "other-secret";
        settings["Partners:erp-shop2:ShopIds"] = "shop-2";
        settings["Sync:LocalMaxDeliveryCount"] = "2";
        settings["Sync:LocalRetryDelayMilliseconds"] = "5";
        settings["Sync:RelayPollIntervalMilliseconds"] = "100";
        foreach (var (key, value) in Settings) settings[key] = value;
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddMiniShopInfrastructure(config);
        if (StubPartners)
        {
            services.AddHttpClient<ErpClient>().ConfigurePrimaryHttpMessageHandler(() => Erp);
            services.AddHttpClient<WmsClient>().ConfigurePrimaryHttpMessageHandler(() => Wms);
        }
        _provider = services.BuildServiceProvider();
        await Get<CosmosDb>().EnsureSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        await Get<ShopStore>().CreateAsync("shop-1", new ShopDraft("Shop One", null, null, ShopStatus.Active), ct);
        await Get<ShopStore>().CreateAsync("shop-2", new ShopDraft("Shop Two", null, null, ShopStatus.Active), ct);
        var categories = Get<CategoryStore>();
        await categories.CreateAsync(new CategoryDraft("apparel", null, "Apparel", 1, null), ct);
        await categories.CreateAsync(new CategoryDraft("tops", "apparel", "Tops", 1, null), ct);
        await categories.CreateAsync(new CategoryDraft("tshirts", "tops", "T-shirts", 1, null), ct);
        await Get<MemberLevelDirectory>().UpsertAsync(new MemberLevel("L1", "Basic", 0, 0, 1), ct);
        await Get<MemberLevelDirectory>().UpsertAsync(new MemberLevel("L2", "Silver", 1, 1000, 1), ct);
    }

    public Task<Product> NewProductAsync(long stock, string shopId = "shop-1")
        => Get<ProductAdminService>().CreateAsync(CatalogServices.Draft(shopId: shopId, stock: stock), "op", TestContext.Current.CancellationToken);

    public async Task<Product> ProductAsync(string id) => (await Get<ProductAdminService>().GetAsync(id, TestContext.Current.CancellationToken)).Value;

    public async ValueTask DisposeAsync()
    {
        if (_provider is null) return;
        try { await Get<CosmosDb>().Client.GetDatabase(DatabaseName).DeleteAsync(); }
        catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _provider.DisposeAsync();
    }
}
