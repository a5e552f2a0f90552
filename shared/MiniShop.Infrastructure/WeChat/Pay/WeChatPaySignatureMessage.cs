using System.Text;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// The exact byte strings WeChat Pay signs: every line ends with <c>\n</c>, including the body line.
/// Requests: <c>METHOD\nCANONICAL_URL\ntimestamp\nnonce\nbody\n</c>; responses and notifications:
/// <c>timestamp\nnonce\nbody\n</c>; JSAPI payment: <c>appId\ntimeStamp\nnonceStr\npackage\n</c>.
/// </summary>
public static class WeChatPaySignatureMessage
{
    public static byte[] ForRequest(string method, string canonicalUrl, string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        Lines(body, method, canonicalUrl, timestamp, nonce);

    public static byte[] ForRequest(string method, string canonicalUrl, string timestamp, string nonce, string body) =>
        ForRequest(method, canonicalUrl, timestamp, nonce, Encoding.UTF8.GetBytes(body));

    public static byte[] ForResponse(string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        Lines(body, timestamp, nonce);

    public static byte[] ForResponse(string timestamp, string nonce, string body) =>
        ForResponse(timestamp, nonce, Encoding.UTF8.GetBytes(body));

    public static byte[] ForJsapiPayment(string appId, string timeStamp, string nonceStr, string package) =>
        Encoding.UTF8.GetBytes($"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n");

    private static byte[] Lines(ReadOnlySpan<byte> body, params string[] headLines)
    {
        var head = Encoding.UTF8.GetBytes(string.Concat(headLines.Select(line => line + "\n")));
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}
