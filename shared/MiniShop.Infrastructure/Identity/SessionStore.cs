using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Identity;

public sealed record IssuedRefreshToken(string Token, DateTimeOffset ExpiresAt, SessionDocument Session);

/// <summary>Rotating, revocable refresh tokens "{sessionId}.{secret}".</summary>
public sealed class SessionStore(CosmosDb db, IOptions<AuthOptions> options, TimeProvider time, ILogger<SessionStore> log)
{
    /// <summary>A client that sends the same refresh twice (a retried request) within this window is not treated as a thief.</summary>
    private static readonly TimeSpan ReuseGrace = TimeSpan.FromSeconds(10);

    private Container Sessions => db.Container(CosmosSchema.Sessions);

    public async Task<IssuedRefreshToken> CreateAsync(SessionSubject subject, string subjectId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lifetime = Lifetime(subject);
        var secret = Ids.Secret();
        var session = new SessionDocument(Ids.New("ses"), subject, subjectId, Hash(secret), null, 1, now, now, now + lifetime, null, null, TtlSeconds(lifetime));
        await Sessions.CreateItemAsync(session, new PartitionKey(session.Id), cancellationToken: ct);
        return new IssuedRefreshToken($"{session.Id}.{secret}", session.ExpiresAt, session);
    }

    /// <summary>Exchanges a refresh token for a new one; the old one stops working.</summary>
    public async Task<IssuedRefreshToken> RotateAsync(string refreshToken, SessionSubject expected, CancellationToken ct)
    {
        var (sessionId, secret) = Parse(refreshToken);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var read = await Sessions.ReadOrNullAsync<SessionDocument>(sessionId, sessionId, ct) ?? throw Invalid();
            var session = read.Value;
            var now = time.GetUtcNow();
            if (session.Subject != expected || session.RevokedAt is not null || session.ExpiresAt <= now) throw Invalid();

            var presented = Hash(secret);
            if (!FixedEquals(presented, session.SecretHash))
            {
                if (session.PreviousSecretHash is { } previous && FixedEquals(presented, previous))
                {
                    if (now - session.RotatedAt > ReuseGrace)
                    {
                        log.LogWarning("Refresh token reuse detected for session {SessionId}; revoking it", session.Id);
                        await RevokeAsync(session.Id, "refresh token reused", ct);
                    }
                    throw new UnauthorizedException("This refresh token was already used.");
                }
                throw Invalid();
            }

            var next = Ids.Secret();
            var rotated = session with
            {
                SecretHash = Hash(next), PreviousSecretHash = session.SecretHash, Generation = session.Generation + 1, RotatedAt = now,
            };
            try
            {
                await Sessions.ReplaceItemAsync(rotated, session.Id, new PartitionKey(session.Id), new ItemRequestOptions { IfMatchEtag = read.ETag }, ct);
                return new IssuedRefreshToken($"{session.Id}.{next}", rotated.ExpiresAt, rotated);
            }
            catch (CosmosException e) when (e.IsPreconditionFailed())
            {
                // Someone refreshed or revoked concurrently: re-read and judge again.
            }
        }
        throw new UnauthorizedException("This refresh token was already used.");
    }

    /// <summary>Revokes a session; idempotent.</summary>
    public async Task RevokeAsync(string sessionId, string reason, CancellationToken ct)
    {
        try
        {
            await Sessions.PatchItemAsync<SessionDocument>(sessionId, new PartitionKey(sessionId),
                [PatchOperation.Set("/revokedAt", time.GetUtcNow()), PatchOperation.Set("/revokeReason", reason)],
                new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE NOT IS_DEFINED(c.revokedAt) OR IS_NULL(c.revokedAt)" }, ct);
        }
        catch (CosmosException e) when (e.IsNotFound() || e.IsPreconditionFailed())
        {
            // Unknown or already revoked: nothing to do.
        }
    }

    /// <summary>The session a refresh token names, if the token's secret is current (used by logout with a refresh token).</summary>
    public async Task<SessionDocument?> FindCurrentAsync(string refreshToken, CancellationToken ct)
    {
        var (sessionId, secret) = Parse(refreshToken);
        var read = await Sessions.ReadOrNullAsync<SessionDocument>(sessionId, sessionId, ct);
        return read is not null && FixedEquals(Hash(secret), read.Value.SecretHash) ? read.Value : null;
    }

    private TimeSpan Lifetime(SessionSubject subject) => subject == SessionSubject.Member
        ? TimeSpan.FromDays(options.Value.MemberRefreshTokenDays)
        : TimeSpan.FromHours(options.Value.AdminRefreshTokenHours);

    // Keep revoked/expired sessions a day for the audit trail, then let TTL remove them.
    private static int TtlSeconds(TimeSpan lifetime) => (int)(lifetime + TimeSpan.FromDays(1)).TotalSeconds;

    private static (string SessionId, string Secret) Parse(string token)
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (dot <= 0 || dot == token!.Length - 1 || token.Length > 200) throw Invalid();
        return (token[..dot], token[(dot + 1)..]);
    }

    private static UnauthorizedException Invalid() => new("The refresh token is not valid; sign in again.");

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool FixedEquals(string a, string b)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
