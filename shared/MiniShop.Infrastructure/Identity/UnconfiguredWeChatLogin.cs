using MiniShop.Domain.Common;

namespace MiniShop.Infrastructure.Identity;

/// <summary>Stands in until the WeChat client is wired: real codes get a clear 503 instead of a crash.</summary>
public sealed class UnconfiguredWeChatLogin : IWeChatLoginExchanger
{
    public Task<WeChatLoginIdentity> ExchangeAsync(string code, CancellationToken ct)
        => throw new UpstreamException("wechat_not_configured", "WeChat login is not configured on this server.", 503);
}
