using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.WeChat.MiniProgram;

namespace MiniShop.Infrastructure.Identity;

/// <summary>code2Session through the WeChat client, with WeChat's error codes turned into problems a client can act on.</summary>
public sealed class WeChatCode2SessionExchanger(IWeChatMiniProgramClient client, IOptions<WeChatMiniProgramOptions> options, ILogger<WeChatCode2SessionExchanger> log)
    : IWeChatLoginExchanger
{
    public async Task<WeChatLoginIdentity> ExchangeAsync(string code, CancellationToken ct)
    {
        try
        {
            var session = await client.Code2SessionAsync(code, ct);
            return new WeChatLoginIdentity(options.Value.AppId, session.OpenId, session.UnionId, session.SessionKey);
        }
        catch (WeChatApiException e)
        {
            throw Map(e);
        }
    }

    private ProblemException Map(WeChatApiException e)
    {
        switch (e.Kind)
        {
            case WeChatApiErrorKind.InvalidCode:
                return new ValidationException(new Dictionary<string, string[]> { ["code"] = ["is invalid or expired; call wx.login() again."] });
            case WeChatApiErrorKind.CodeUsed:
                return new ValidationException(new Dictionary<string, string[]> { ["code"] = ["was already used; call wx.login() again."] });
            case WeChatApiErrorKind.HighRiskUser:
                return new ForbiddenException("WeChat refuses this account as high risk.");
            case WeChatApiErrorKind.RateLimited or WeChatApiErrorKind.SystemBusy:
                return new UpstreamException("wechat_busy", "WeChat is busy; try again shortly.", 503);
            default:
                // Our appid/secret or token is wrong: an operator must act, the shopper cannot.
                log.LogError("WeChat code2Session failed: {ErrCode} {Kind}", e.ErrCode, e.Kind);
                return new UpstreamException("wechat_unavailable", "Sign-in with WeChat is unavailable right now.", 502);
        }
    }
}
