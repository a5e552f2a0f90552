using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Identity;

/// <summary>
/// Accepts "dev-&lt;name&gt;" codes without calling WeChat when Auth:DevLoginEnabled is on (local runs, demos);
/// everything else goes to the real exchanger. Off by default, so production never honours dev codes.
/// </summary>
public sealed class DevLoginExchanger(IWeChatLoginExchanger inner, IOptions<AuthOptions> auth, string appId) : IWeChatLoginExchanger
{
    public const string Prefix = "dev-";

    public Task<WeChatLoginIdentity> ExchangeAsync(string code, CancellationToken ct)
    {
        if (!auth.Value.DevLoginEnabled || !code.StartsWith(Prefix, StringComparison.Ordinal))
            return inner.ExchangeAsync(code, ct);
        var name = code[Prefix.Length..];
        if (name.Length is 0 or > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw ValidationException.For("code", "a dev code is 'dev-' followed by 1-40 letters, digits, '-' or '_'.");
        return Task.FromResult(new WeChatLoginIdentity(appId, $"dev-openid-{name}", $"dev-unionid-{name}", Ids.Secret(16)));
    }
}
