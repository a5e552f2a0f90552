using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Common;

namespace MiniShop.Infrastructure.Sync;

/// <summary>The partner a verified webhook request came from, and the shops it may act on (empty = every shop).</summary>
public sealed record PartnerIdentity(string PartnerId, IReadOnlySet<string> ShopIds)
{
    public bool MayActOn(string shopId) => ShopIds.Count == 0 || ShopIds.Contains(shopId);
}

/// <summary>The authentication headers of a partner webhook request, as received.</summary>
public sealed record PartnerRequestHeaders(string? PartnerId, string? Timestamp, string? Nonce, string? Signature);

/// <summary>
/// Authenticates inbound partner webhooks (ERP/WMS/logistics calling us). Each partner has its own secret
/// (<c>Partners:{partnerId}:Secret</c>, optionally <c>PreviousSecret</c> during a rotation, and <c>ShopIds</c> to limit
/// it to some shops). A request must carry <c>X-Partner-Id</c>, <c>X-Timestamp</c> (Unix seconds, at most 5 minutes
/// off our clock), <c>X-Nonce</c> (8-128 of <c>[A-Za-z0-9_-]</c>, never reused) and <c>X-Signature</c> =
/// base64(HMAC-SHA256(secret, timestamp\nnonce\nbody)). The nonce is recorded (create-if-absent, with a TTL longer than
/// the timestamp window) only after the signature checks out, so forged requests cannot burn nonces.
/// <para>
/// A forged, stale or malformed request gets 401, a replayed one 409; neither reaches the handler, and each is logged
/// as a security event. Call <see cref="VerifyAsync"/> first, with the raw body bytes, before parsing anything.
/// </para>
/// </summary>
public sealed class PartnerRequestVerifier(IConfiguration config, SyncStateStore state, TimeProvider time, ILogger<PartnerRequestVerifier> log)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Nonces are kept for twice the window: a request older than that is refused by its timestamp anyway.</summary>
    public static readonly TimeSpan NonceRetention = MaxClockSkew * 2;

    public static readonly EventId SecurityEvent = new(4401, "PartnerRequestRejected");

    /// <exception cref="UnauthorizedException">Unknown partner, missing or malformed header, stale timestamp, bad signature.</exception>
    /// <exception cref="ConflictException">The nonce was used before (a replay).</exception>
    public async Task<PartnerIdentity> VerifyAsync(PartnerRequestHeaders headers, ReadOnlyMemory<byte> body, string? endpoint, CancellationToken ct)
    {
        var partnerId = headers.PartnerId?.Trim();
        if (string.IsNullOrEmpty(partnerId) || partnerId.Length > 64 || !partnerId.All(IsTokenChar))
            throw Reject(partnerId, endpoint, "missing or malformed X-Partner-Id");
        var section = config.GetSection($"Partners:{partnerId}");
        var secrets = new[] { section["Secret"], section["PreviousSecret"] }.Where(s => !string.IsNullOrEmpty(s)).Cast<string>().ToList();
        if (secrets.Count == 0) throw Reject(partnerId, endpoint, "unknown partner (no Partners:{id}:Secret configured)");

        var timestamp = headers.Timestamp?.Trim();
        if (string.IsNullOrEmpty(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            throw Reject(partnerId, endpoint, "missing or malformed X-Timestamp");
        var skew = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (skew.Duration() > MaxClockSkew) throw Reject(partnerId, endpoint, $"X-Timestamp is {skew.TotalSeconds:0} s off (at most {MaxClockSkew.TotalSeconds:0} s)");

        var nonce = headers.Nonce?.Trim();
        if (string.IsNullOrEmpty(nonce) || nonce.Length is < 8 or > 128 || !nonce.All(IsTokenChar))
            throw Reject(partnerId, endpoint, "missing or malformed X-Nonce");
        if (!secrets.Any(secret => PartnerSignature.VerifyInbound(secret, timestamp, nonce, body.Span, headers.Signature)))
            throw Reject(partnerId, endpoint, "bad X-Signature");

        if (!await state.TryUseNonceAsync(partnerId, nonce, NonceRetention, ct))
        {
            log.LogWarning(SecurityEvent, "SECURITY partner request rejected: replayed nonce {Nonce} from partner {PartnerId} on {Endpoint}", nonce, partnerId, endpoint);
            throw new ConflictException("replayed_request", "This request (its X-Nonce) was already received.");
        }

        var shops = (section["ShopIds"] ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PartnerIdentity(partnerId, shops.ToHashSet(StringComparer.Ordinal));
    }

    private UnauthorizedException Reject(string? partnerId, string? endpoint, string reason)
    {
        log.LogWarning(SecurityEvent, "SECURITY partner request rejected: {Reason}; partner {PartnerId} on {Endpoint}", reason, partnerId ?? "(none)", endpoint);
        // One answer for every failure: the caller learns only that the request was not authenticated.
        return new UnauthorizedException("The partner request signature is missing, stale or invalid.");
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
