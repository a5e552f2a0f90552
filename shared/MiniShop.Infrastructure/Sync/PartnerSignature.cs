using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MiniShop.Infrastructure.Sync;

/// <summary>
/// HMAC-SHA256 signatures between MiniShop and its partners. The key is the shared secret's UTF-8 bytes; the signature
/// is the base64 of the MAC over UTF-8 text lines joined by '\n'. docs/erp-wms.md gives worked examples.
/// <list type="bullet">
/// <item>Outbound (we call ERP/WMS): <c>X-MiniShop-Timestamp</c> (Unix seconds) and <c>X-MiniShop-Signature</c> over
/// <c>timestamp\nMETHOD\npath\nbody</c> (path with query, as sent).</item>
/// <item>Inbound (partners call our webhooks): <c>X-Timestamp</c>, <c>X-Nonce</c> and <c>X-Signature</c> over
/// <c>timestamp\nnonce\nbody</c>.</item>
/// </list>
/// </summary>
public static class PartnerSignature
{
    public const string OutboundTimestampHeader = "X-MiniShop-Timestamp";
    public const string OutboundSignatureHeader = "X-MiniShop-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const string PartnerIdHeader = "X-Partner-Id";
    public const string TimestampHeader = "X-Timestamp";
    public const string NonceHeader = "X-Nonce";
    public const string SignatureHeader = "X-Signature";

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string SignOutbound(string secret, string timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body)
        => Sign(secret, Prefix($"{timestamp}\n{method.ToUpperInvariant()}\n{pathAndQuery}\n"), body);

    public static string SignInbound(string secret, string timestamp, string nonce, ReadOnlySpan<byte> body)
        => Sign(secret, Prefix($"{timestamp}\n{nonce}\n"), body);

    public static bool VerifyOutbound(string secret, string timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body, string? signature)
        => FixedTimeEquals(SignOutbound(secret, timestamp, method, pathAndQuery, body), signature);

    public static bool VerifyInbound(string secret, string timestamp, string nonce, ReadOnlySpan<byte> body, string? signature)
        => FixedTimeEquals(SignInbound(secret, timestamp, nonce, body), signature);

    private static byte[] Prefix(string text) => Encoding.UTF8.GetBytes(text);

    private static string Sign(string secret, byte[] prefix, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return Convert.ToBase64String(hmac.GetHashAndReset());
    }

    private static bool FixedTimeEquals(string expected, string? actual)
    {
        if (string.IsNullOrEmpty(actual)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual.Trim()));
    }
}
