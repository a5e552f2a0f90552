using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.Infrastructure.Sync;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Api.Sync;

/// <summary>
/// A second app host for the sync tests: ERP and WMS configured to stub endpoints (no Service Bus, so events go through
/// the in-process publisher to the same delivery handlers the Service Bus functions use), a partner secret for the
/// webhooks, short retries. Its relay runs as a hosted service, as in ./run.sh.
/// </summary>
public sealed class SyncApiHost : IAsyncLifetime
{
    public const string ErpSecret = "api-erp-outbound";
    public const string PartnerId = "erp-api";
    public const string PartnerSecret = "api-erp-inbound";

    private WebApplication? _app;

    public StubPartner Erp { get; } = new();

    public StubPartner Wms { get; } = new();

    public Dictionary<string, string?> Settings { get; } = TestCosmos.AppSettings(TestCosmos.NewDatabaseName("apisync"));

    public IServiceProvider Services => _app!.Services;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Settings["Logging:LogLevel:Default"] = "Warning";
        Settings["Demo:OperatorPassword"] = ApiHost.OperatorPassword;
        Settings["Erp:BaseUrl"] = "https://erp.test";
        Settings["Erp:HmacSecret"] = ErpSecret;
        Settings["Erp:MaxRetryAttempts"] = "1";
        Settings["Erp:RetryBaseDelayMilliseconds"] = "5";
        Settings["Wms:BaseUrl"] = "https://wms.test";
        Settings["Wms:HmacSecret"] = "api-wms-outbound";
        Settings[$"Partners:{PartnerId}:Secret"] = PartnerSecret;
        Settings["Sync:LocalMaxDeliveryCount"] = "2";
        Settings["Sync:LocalRetryDelayMilliseconds"] = "5";
        Settings["Sync:RelayPollIntervalMilliseconds"] = "100";
        _app = LocalHostBuilder.Create(new LocalHostOptions
        {
            Settings = Settings,
            Urls = "http://127.0.0.1:0",
            ConfigureServices = services =>
            {
                services.AddHttpClient<ErpClient>().ConfigurePrimaryHttpMessageHandler(() => Erp);
                services.AddHttpClient<WmsClient>().ConfigurePrimaryHttpMessageHandler(() => Wms);
            },
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First() + "/api/");
        await Services.GetRequiredService<DemoShopSeeder>().SeedAsync(ApiHost.OperatorPassword, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        var db = Services.GetRequiredService<CosmosDb>();
        try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); }
        catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _app.DisposeAsync();
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async Task<string> AdminTokenAsync(string user = DemoShopSeeder.AdminUser)
    {
        using var response = await Client().PostAsJsonAsync("admin/auth/login", new { userName = user, password = ApiHost.OperatorPassword });
        return (await Json.ReadAsync(response, 200)).GetProperty("tokens").GetProperty("accessToken").GetString()!;
    }

    /// <summary>A webhook request signed like a partner would sign it; every part can be overridden to forge one.</summary>
    public static HttpRequestMessage PartnerRequest(string path, string body, string partnerId = PartnerId, string secret = PartnerSecret,
        DateTimeOffset? at = null, string? nonce = null, string? signature = null)
    {
        var timestamp = PartnerSignature.Timestamp(at ?? DateTimeOffset.UtcNow);
        nonce ??= Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Partner-Id", partnerId);
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Nonce", nonce);
        request.Headers.Add("X-Signature", signature ?? PartnerSignature.SignInbound(secret, timestamp, nonce, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    public static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage original)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Content = new StringContent(await original.Content!.ReadAsStringAsync(), Encoding.UTF8, "application/json") };
        foreach (var h in original.Headers) copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
        return copy;
    }
}
