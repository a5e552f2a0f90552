namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Every mini-program API answer carries these two fields; 0 (or absent) means success.</summary>
internal record WeChatApiResponse
{
    public int? Errcode { get; init; }

    public string? Errmsg { get; init; }

    public bool Failed => Errcode is { } code && code != 0;

    public WeChatApiException ToException() => new(Errcode ?? 0, Errmsg);
}

internal sealed record Code2SessionResponse : WeChatApiResponse
{
    public string? Openid { get; init; }

    public string? Unionid { get; init; }

    public string? SessionKey { get; init; }
}

internal sealed record AccessTokenResponse : WeChatApiResponse
{
    public string? AccessToken { get; init; }

    public int ExpiresIn { get; init; }
}

internal sealed record StableTokenRequest(string GrantType, string Appid, string Secret, bool ForceRefresh);
