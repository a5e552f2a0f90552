using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.Infrastructure.Json;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

[assembly: AssemblyFixture(typeof(MiniShop.Tests.Api.ApiHost))]

namespace MiniShop.Tests.Api;

/// <summary>
/// The whole app served by the in-process host on a free port, against a fresh database on the local Cosmos server,
/// seeded with the demo shop. Tests talk to it over real HTTP.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string OperatorPassword = "api-tests-operator-pw";

    private WebApplication? _app;

    public Dictionary<string, string?> Settings { get; } = TestCosmos.AppSettings(TestCosmos.NewDatabaseName("api"));

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _services ?? _app!.Services;

    public async ValueTask InitializeAsync()
    {
        Settings["Logging:LogLevel:Default"] = "Warning";
        Settings["Demo:OperatorPassword"] = OperatorPassword;
        _app = LocalHostBuilder.Create(new LocalHostOptions { Settings = Settings, Urls = "http://127.0.0.1:0" });
        try
        {
            await _app.StartAsync();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"No Cosmos endpoint answers at {TestCosmos.Endpoint}. Start the local services: tools/local-services/start.sh", e);
        }
        BaseAddress = new Uri(_app.Urls.First() + "/api/");
        await Services.GetRequiredService<DemoShopSeeder>().SeedAsync(OperatorPassword, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        var db = Services.GetRequiredService<CosmosDb>();
        try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); }
        catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Client helpers for another host started by a test fixture.</summary>
    public static ApiHost ForRunningApp(Uri baseAddress, Dictionary<string, string?> settings, IServiceProvider services)
    {
        var host = new ApiHost { BaseAddress = baseAddress, _services = services };
        foreach (var (k, v) in settings) host.Settings[k] = v;
        return host;
    }

    private IServiceProvider? _services;

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async Task<JsonElement> MemberSessionAsync(string name)
    {
        using var response = await Client().PostAsJsonAsync("auth/wechat-login", new { code = $"dev-{name}" });
        return await Json.ReadAsync(response, 200);
    }

    public async Task<string> MemberTokenAsync(string name) => (await MemberSessionAsync(name)).GetProperty("tokens").GetProperty("accessToken").GetString()!;

    public async Task<string> AdminTokenAsync(string user = DemoShopSeeder.AdminUser, string password = OperatorPassword)
    {
        using var response = await Client().PostAsJsonAsync("admin/auth/login", new { userName = user, password });
        return (await Json.ReadAsync(response, 200)).GetProperty("tokens").GetProperty("accessToken").GetString()!;
    }
}

public static class Json
{
    public static JsonSerializerOptions Options => JsonDefaults.Options;

    /// <summary>Reads the body after asserting the status; the body is in the failure message when it differs.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, int expectedStatus)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem with the status and, when given, errors on exactly these fields among others.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, params string[] fields)
    {
        var problem = await ReadAsync(response, status);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(problem.ToString().Contains("   at ", StringComparison.Ordinal), "a stack trace leaked");
        foreach (var field in fields)
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
        return problem;
    }
}
