namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Configuration section <c>WeChat</c>: the mini-program's credentials and API host.</summary>
public sealed class WeChatMiniProgramOptions
{
    public const string SectionName = "WeChat";

    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Use <c>POST /cgi-bin/stable_token</c> (recommended by WeChat) instead of <c>GET /cgi-bin/token</c>.</summary>
    public bool UseStableAccessToken { get; set; } = true;

    /// <summary>A cached access token is replaced this long before WeChat says it expires.</summary>
    public TimeSpan AccessTokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
}
