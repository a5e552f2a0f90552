namespace MiniShop.Infrastructure.Identity;

/// <summary>Who WeChat says a login code belongs to.</summary>
public sealed record WeChatLoginIdentity(string AppId, string OpenId, string? UnionId, string SessionKey);

/// <summary>Exchanges a wx.login code (code2Session). Failures surface as problem exceptions with a clear cause.</summary>
public interface IWeChatLoginExchanger
{
    Task<WeChatLoginIdentity> ExchangeAsync(string code, CancellationToken ct);
}
