using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>
/// Caches the access token until <see cref="WeChatMiniProgramOptions.AccessTokenRefreshMargin"/> before expiry.
/// A semaphore makes concurrent callers share one fetch: WeChat limits token calls per day.
/// </summary>
public sealed class WeChatAccessTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<WeChatMiniProgramOptions> options,
    TimeProvider timeProvider,
    ILogger<WeChatAccessTokenProvider>? logger = null) : IWeChatAccessTokenProvider, IDisposable
{
    public const string HttpClientName = "WeChat.MiniProgram.AccessToken";

    private readonly ILogger _logger = logger ?? NullLogger<WeChatAccessTokenProvider>.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _cached;

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        if (FreshToken() is { } token)
        {
            return token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return FreshToken() ?? await FetchAndCacheAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> RefreshAfterRejectionAsync(string rejectedToken, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (FreshToken() is { } current && current != rejectedToken)
            {
                return current;
            }

            var token = await FetchAndCacheAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
            if (token == rejectedToken && options.Value.UseStableAccessToken)
            {
                // stable_token hands back the same token while WeChat still deems it valid; force a new one.
                token = await FetchAndCacheAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
            }

            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? FreshToken() =>
        _cached is { } cached && timeProvider.GetUtcNow() < cached.RefreshAt ? cached.Value : null;

    private async Task<string> FetchAndCacheAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = httpClientFactory.CreateClient(HttpClientName);
        using var response = settings.UseStableAccessToken
            ? await PostStableTokenAsync(http, settings, forceRefresh, cancellationToken).ConfigureAwait(false)
            : await http.GetAsync(
                WeChatUrl.Build(
                    settings.BaseUrl,
                    "cgi-bin/token",
                    ("grant_type", "client_credential"),
                    ("appid", settings.AppId),
                    ("secret", settings.AppSecret)),
                cancellationToken).ConfigureAwait(false);

        var answer = await WeChatMiniProgramClient.ReadAnswerAsync<AccessTokenResponse>(response, cancellationToken)
            .ConfigureAwait(false);
        if (answer.Failed)
        {
            _logger.LogError("WeChat access token request failed: errcode {ErrCode}, errmsg {ErrMsg}", answer.Errcode, answer.Errmsg);
            throw answer.ToException();
        }

        if (string.IsNullOrEmpty(answer.AccessToken) || answer.ExpiresIn <= 0)
        {
            throw new WeChatApiException(-1, "access token response without access_token/expires_in");
        }

        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn);
        var margin = settings.AccessTokenRefreshMargin;
        var keepFor = lifetime > margin * 2 ? lifetime - margin : lifetime / 2;
        _cached = new CachedToken(answer.AccessToken, timeProvider.GetUtcNow() + keepFor);
        _logger.LogInformation("WeChat access token refreshed (force: {Force}), kept for {KeepFor}", forceRefresh, keepFor);
        return answer.AccessToken;
    }

    private static async Task<HttpResponseMessage> PostStableTokenAsync(
        HttpClient http, WeChatMiniProgramOptions settings, bool forceRefresh, CancellationToken cancellationToken)
    {
        using var content = WeChatJson.Content(
            new StableTokenRequest("client_credential", settings.AppId, settings.AppSecret, forceRefresh));
        return await http.PostAsync(WeChatUrl.Build(settings.BaseUrl, "cgi-bin/stable_token"), content, cancellationToken)
            .ConfigureAwait(false);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
