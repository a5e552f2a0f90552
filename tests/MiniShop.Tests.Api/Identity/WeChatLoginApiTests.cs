using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;
using Moq;

namespace MiniShop.Tests.Api.Identity;

/// <summary>A host configured for real WeChat sign-in, with WeChat itself (which cannot run here) replaced by a mock.</summary>
public sealed class WeChatHost : IAsyncLifetime
{
    public Mock<IWeChatMiniProgramClient> WeChat { get; } = new();

    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = TestCosmos.AppSettings(TestCosmos.NewDatabaseName("apiwx"));
        settings["WeChat:AppSecret"] = "test-secret";
        settings["Auth:DevLoginEnabled"] = "false";
        settings["Logging:LogLevel:Default"] = "Warning";
        _app = LocalHostBuilder.Create(new LocalHostOptions
        {
            Settings = settings, Urls = "http://127.0.0.1:0",
            ConfigureServices = s => s.AddSingleton(WeChat.Object),
        });
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/api/") };
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        var db = _app.Services.GetRequiredService<MiniShop.Infrastructure.Cosmos.CosmosDb>();
        try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); } catch (Microsoft.Azure.Cosmos.CosmosException) { }
        await _app.DisposeAsync();
    }
}

public class WeChatLoginApiTests(WeChatHost host) : IClassFixture<WeChatHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_code_wechat_accepts_signs_in_and_the_same_openid_finds_the_same_member()
    {
        host.WeChat.Setup(w => w.Code2SessionAsync("code-a", It.IsAny<CancellationToken>())).ReturnsAsync(new WeChatSession("openid-a", null, "sk-1"));
        host.WeChat.Setup(w => w.Code2SessionAsync("code-b", It.IsAny<CancellationToken>())).ReturnsAsync(new WeChatSession("openid-a", "union-a", "sk-2"));

        var first = await Json.ReadAsync(await host.Client.PostAsJsonAsync("auth/wechat-login", new { code = "code-a" }, Ct), 200);
        var second = await Json.ReadAsync(await host.Client.PostAsJsonAsync("auth/wechat-login", new { code = "code-b" }, Ct), 200);

        Assert.True(first.GetProperty("isNewMember").GetBoolean());
        Assert.False(second.GetProperty("isNewMember").GetBoolean());
        Assert.Equal(first.GetProperty("memberId").GetString(), second.GetProperty("memberId").GetString());
        Assert.DoesNotContain("sk-", second.ToString());
    }

    [Fact]
    public async Task A_used_code_is_a_400_on_the_code_field_and_dev_codes_are_refused_when_off()
    {
        host.WeChat.Setup(w => w.Code2SessionAsync("used", It.IsAny<CancellationToken>())).ThrowsAsync(new WeChatApiException(40163, "code been used"));
        host.WeChat.Setup(w => w.Code2SessionAsync("dev-x", It.IsAny<CancellationToken>())).ThrowsAsync(new WeChatApiException(40029, "invalid code"));

        await Json.ProblemAsync(await host.Client.PostAsJsonAsync("auth/wechat-login", new { code = "used" }, Ct), 400, "code");
        await Json.ProblemAsync(await host.Client.PostAsJsonAsync("auth/wechat-login", new { code = "dev-x" }, Ct), 400, "code");
    }
}
