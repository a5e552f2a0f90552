using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// The <c>Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."</c>
/// credentials. Parsing exists for the sandbox (which plays WeChat's side) and for tests.
/// </summary>
public sealed partial record WeChatPayAuthorization(
    string MchId, string NonceStr, string Signature, string Timestamp, string SerialNo)
{
    /// <summary>The header value after the scheme.</summary>
    public string ToParameter() =>
        $"mchid=\"{MchId}\",nonce_str=\"{NonceStr}\",signature=\"{Signature}\",timestamp=\"{Timestamp}\",serial_no=\"{SerialNo}\"";

    public override string ToString() => $"{WeChatPayHeaders.AuthorizationScheme} {ToParameter()}";

    /// <summary>Accepts the full header value or just the parameter; field order does not matter.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out WeChatPayAuthorization? authorization)
    {
        authorization = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parameter = value.Trim();
        if (parameter.StartsWith(WeChatPayHeaders.AuthorizationScheme + " ", StringComparison.Ordinal))
        {
            parameter = parameter[(WeChatPayHeaders.AuthorizationScheme.Length + 1)..];
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in FieldPattern().Matches(parameter))
        {
            fields[match.Groups["name"].Value] = match.Groups["value"].Value;
        }

        if (fields.TryGetValue("mchid", out var mchId)
            && fields.TryGetValue("nonce_str", out var nonce)
            && fields.TryGetValue("signature", out var signature)
            && fields.TryGetValue("timestamp", out var timestamp)
            && fields.TryGetValue("serial_no", out var serial))
        {
            authorization = new WeChatPayAuthorization(mchId, nonce, signature, timestamp, serial);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"(?<name>[a-z_]+)=""(?<value>[^""]*)""")]
    private static partial Regex FieldPattern();
}
