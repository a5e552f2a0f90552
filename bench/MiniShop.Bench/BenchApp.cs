using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

namespace MiniShop.Bench;

/// <summary>What the parts share: the app in the in-process host on its own database, and a shopper's address.</summary>
public static class BenchApp
{
    /// <summary>Settings for a fresh database of the configured Cosmos endpoint, with a random operator password.</summary>
    public static Dictionary<string, string?> Settings(string databasePrefix = "bench")
    {
        var settings = TestCosmos.AppSettings(TestCosmos.NewDatabaseName(databasePrefix));
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Demo:OperatorPassword"] = TestCosmos.RandomKey();
        return settings;
    }

    /// <summary>Starts the app on a free port; null (and a message) when no Cosmos endpoint answers.</summary>
    public static async Task<WebApplication?> StartAsync(LocalHostOptions options)
    {
        Console.WriteLine($"bench: Cosmos endpoint {TestCosmos.Endpoint}, database {options.Settings["Cosmos:DatabaseName"]}");
        var app = LocalHostBuilder.Create(options);
        try
        {
            await app.StartAsync();
            return app;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"bench: no Cosmos endpoint answers at {TestCosmos.Endpoint} ({e.Message}). Start the local services (tools/local-services/start.sh) or use bench/run.sh.");
            await app.DisposeAsync();
            return null;
        }
    }

    /// <summary>Adds the same Shenzhen address to the shopper's book; the answer (201 expected) is the caller's to read.</summary>
    public static async Task<HttpResponseMessage> AddAddressAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "addresses")
        {
            Content = JsonContent.Create(new
            {
                recipientName = "张三", phone = "13800138000", provinceCode = "440000", provinceName = "广东省", cityCode = "440300", cityName = "深圳市",
                districtCode = "440305", districtName = "南山区", detail = "科技园路 1 号", tag = "home",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
