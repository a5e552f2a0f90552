using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.MiniProgram;

public class WeChatAccessTokenProviderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 5, 20, 5, 0, 0, TimeSpan.Zero));
    private int _issued;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fetches_a_stable_token_with_our_credentials()
    {
        var server = TokenServer();

        var token = await Provider(server).GetAccessTokenAsync(Cancel);

        Assert.Equal("TOKEN-1", token);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.weixin.qq.com/cgi-bin/stable_token", request.Uri.ToString());
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("client_credential", body.RootElement.GetProperty("grant_type").GetString());
        Assert.Equal("wx-app", body.RootElement.GetProperty("appid").GetString());
        Assert.Equal("app-secret", body.RootElement.GetProperty("secret").GetString());
        Assert.False(body.RootElement.GetProperty("force_refresh").GetBoolean());
    }

    [Fact]
    public async Task Can_use_the_classic_token_endpoint()
    {
        var server = TokenServer();

        await Provider(server, o => o.UseStableAccessToken = false).GetAccessTokenAsync(Cancel);

        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/cgi-bin/token", request.Uri.AbsolutePath);
        Assert.Equal("client_credential", request.Query("grant_type"));
        Assert.Equal("wx-app", request.Query("appid"));
        Assert.Equal("app-secret", request.Query("secret"));
    }

    [Fact]
    public async Task Caches_until_five_minutes_before_expiry()
    {
        var server = TokenServer();
        var provider = Provider(server);

        Assert.Equal("TOKEN-1", await provider.GetAccessTokenAsync(Cancel));
        _time.Advance(TimeSpan.FromSeconds(7200 - 301));
        Assert.Equal("TOKEN-1", await provider.GetAccessTokenAsync(Cancel));
        Assert.Single(server.Requests);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("TOKEN-2", await provider.GetAccessTokenAsync(Cancel));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        var release = new TaskCompletionSource();
        var server = new StubHttpHandler(async _ =>
        {
            await release.Task;
            return TokenAnswer();
        });
        var provider = Provider(server);

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => provider.GetAccessTokenAsync(Cancel), Cancel)).ToArray();
        await Task.Delay(50, Cancel);
        release.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.All(tokens, token => Assert.Equal("TOKEN-1", token));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task After_a_rejection_a_token_refreshed_by_another_caller_is_reused()
    {
        var server = TokenServer();
        var provider = Provider(server);
        var first = await provider.GetAccessTokenAsync(Cancel);
        var second = await provider.RefreshAfterRejectionAsync(first, Cancel);

        var third = await provider.RefreshAfterRejectionAsync(first, Cancel);

        Assert.Equal("TOKEN-2", second);
        Assert.Equal("TOKEN-2", third);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task After_a_rejection_an_unchanged_stable_token_is_force_refreshed()
    {
        var server = new StubHttpHandler(request =>
            request.Body.Contains("\"force_refresh\":true", StringComparison.Ordinal)
                ? StubHttpHandler.Json("""{"access_token":"FORCED","expires_in":7200}""")
                : StubHttpHandler.Json("""{"access_token":"SAME","expires_in":7200}"""));
        var provider = Provider(server);

        var rejected = await provider.GetAccessTokenAsync(Cancel);
        var refreshed = await provider.RefreshAfterRejectionAsync(rejected, Cancel);

        Assert.Equal("FORCED", refreshed);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal("FORCED", await provider.GetAccessTokenAsync(Cancel));
    }

    [Fact]
    public async Task Credential_errors_are_reported_and_not_cached()
    {
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"errcode":40125,"errmsg":"invalid appsecret"}"""));
        var provider = Provider(server);

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => provider.GetAccessTokenAsync(Cancel));
        await Assert.ThrowsAsync<WeChatApiException>(() => provider.GetAccessTokenAsync(Cancel));

        Assert.Equal(WeChatApiErrorKind.InvalidCredentials, error.Kind);
        Assert.Equal(2, server.Requests.Count);
    }

    private StubHttpHandler TokenServer() => new(_ => TokenAnswer());

    private HttpResponseMessage TokenAnswer() =>
        StubHttpHandler.Json($$"""{"access_token":"TOKEN-{{Interlocked.Increment(ref _issued)}}","expires_in":7200}""");

    private WeChatAccessTokenProvider Provider(HttpMessageHandler server, Action<WeChatMiniProgramOptions>? configure = null)
    {
        var options = new WeChatMiniProgramOptions { AppId = "wx-app", AppSecret = "app-secret" };
        configure?.Invoke(options);
        return new WeChatAccessTokenProvider(new StubHttpClientFactory(server), Options.Create(options), _time);
    }
}
