using System.Net.Http.Headers;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>The four signature headers of a WeChat Pay response or notification.</summary>
public sealed record WeChatPaySignatureHeaders(string? Timestamp, string? Nonce, string? Signature, string? Serial)
{
    /// <summary>From any header collection, e.g. <c>name => request.Headers[name]</c> in ASP.NET Core.</summary>
    public static WeChatPaySignatureHeaders From(Func<string, string?> header) => new(
        header(WeChatPayHeaders.Timestamp),
        header(WeChatPayHeaders.Nonce),
        header(WeChatPayHeaders.Signature),
        header(WeChatPayHeaders.Serial));

    public static WeChatPaySignatureHeaders From(IReadOnlyDictionary<string, string> headers)
    {
        var ignoringCase = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return From(name => ignoringCase.GetValueOrDefault(name));
    }

    public static WeChatPaySignatureHeaders From(HttpHeaders headers) =>
        From(name => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null);
}
