using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.MiniProgram;

public sealed class WeChatMiniProgramClient(
    HttpClient http,
    IWeChatAccessTokenProvider accessTokens,
    IOptions<WeChatMiniProgramOptions> options,
    TimeProvider timeProvider,
    ILogger<WeChatMiniProgramClient>? logger = null) : IWeChatMiniProgramClient
{
    private readonly ILogger _logger = logger ?? NullLogger<WeChatMiniProgramClient>.Instance;

    public async Task<WeChatSession> Code2SessionAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var settings = options.Value;
        var url = WeChatUrl.Build(
            settings.BaseUrl,
            "sns/jscode2session",
            ("appid", settings.AppId),
            ("secret", settings.AppSecret),
            ("js_code", code),
            ("grant_type", "authorization_code"));

        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var answer = await ReadAnswerAsync<Code2SessionResponse>(response, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            _logger.LogWarning("code2Session failed: errcode {ErrCode}, errmsg {ErrMsg}", answer.Errcode, answer.Errmsg);
            throw answer.ToException();
        }

        if (string.IsNullOrEmpty(answer.Openid) || string.IsNullOrEmpty(answer.SessionKey))
        {
            throw new WeChatApiException(-1, "code2Session response without openid/session_key");
        }

        return new WeChatSession(answer.Openid, answer.Unionid, answer.SessionKey);
    }

    public async Task UploadShippingInfoAsync(UploadShippingInfoRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.UploadTime is null
            ? request with { UploadTime = timeProvider.GetUtcNow() }
            : request;

        var answer = await PostWithAccessTokenAsync("wxa/sec/order/upload_shipping_info", body, cancellationToken)
            .ConfigureAwait(false);
        if (answer.Failed)
        {
            _logger.LogWarning("upload_shipping_info failed: errcode {ErrCode}, errmsg {ErrMsg}", answer.Errcode, answer.Errmsg);
            throw answer.ToException();
        }
    }

    /// <summary>Reads WeChat's JSON answer whatever its content type (WeChat often says text/plain).</summary>
    internal static async Task<T> ReadAnswerAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new WeChatApiException(-1, $"HTTP {(int)response.StatusCode}");
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return WeChatJson.Deserialize<T>(text) ?? throw new WeChatApiException(-1, "empty response");
        }
        catch (JsonException)
        {
            throw new WeChatApiException(-1, "response is not JSON");
        }
    }

    /// <summary>POSTs with the cached access token; on 40001/42001 refreshes the token once and retries.</summary>
    private async Task<WeChatApiResponse> PostWithAccessTokenAsync<TBody>(
        string path, TBody body, CancellationToken cancellationToken)
    {
        var token = await accessTokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await PostAsync(path, token, body, cancellationToken).ConfigureAwait(false);
        if (answer.Errcode is { } code && WeChatApiException.IsAccessTokenRejection(code))
        {
            _logger.LogInformation("WeChat rejected the access token (errcode {ErrCode}); refreshing once", code);
            token = await accessTokens.RefreshAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
            answer = await PostAsync(path, token, body, cancellationToken).ConfigureAwait(false);
        }

        return answer;
    }

    private async Task<WeChatApiResponse> PostAsync<TBody>(
        string path, string accessToken, TBody body, CancellationToken cancellationToken)
    {
        var url = WeChatUrl.Build(options.Value.BaseUrl, path, ("access_token", accessToken));
        using var content = WeChatJson.Content(body);
        using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        return await ReadAnswerAsync<WeChatApiResponse>(response, cancellationToken).ConfigureAwait(false);
    }
}
