using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Identity;

/// <summary>Operator sign-in with hashed passwords and a lockout after repeated failures.</summary>
public sealed class OperatorLoginService(CosmosDb db, SessionStore sessions, AccessTokenService tokens, IOptions<AuthOptions> options, TimeProvider time, ILogger<OperatorLoginService> log)
{
    // Verified when the user does not exist, so timing does not reveal which user names are real.
    private static readonly string DummyHash = PasswordHasher.Hash("not-a-real-password", 10_000);

    private Container Operators => db.Container(CosmosSchema.Operators);

    private LockoutPolicy Policy => new(options.Value.AdminMaxFailedLogins, TimeSpan.FromMinutes(options.Value.AdminLockoutMinutes));

    public async Task<AdminLoginResult> LoginAsync(string? userName, string? password, CancellationToken ct)
    {
        var v = new Validator();
        v.Required(userName, "userName", 64);
        v.Required(password, "password", 256);
        v.ThrowIfInvalid();

        var id = OperatorDocument.IdFor(userName!);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var read = await Operators.ReadOrNullAsync<OperatorDocument>(id, id, ct);
            if (read is null)
            {
                PasswordHasher.Verify(password!, DummyHash);
                throw BadCredentials();
            }

            var op = read.Value;
            var now = time.GetUtcNow();
            var state = new LoginAttemptState(op.FailedAttempts, op.LockedUntil);
            if (state.IsLocked(now))
                throw new TooManyRequestsException("Too many failed sign-ins; this account is locked for a while.", op.LockedUntil!.Value - now);
            if (op.Disabled) throw new ForbiddenException("This operator account is disabled.");

            var ok = PasswordHasher.Verify(password!, op.PasswordHash);
            var next = ok ? LoginAttemptState.AfterSuccess : state.AfterFailure(now, Policy);
            var updated = op with { FailedAttempts = next.FailedAttempts, LockedUntil = next.LockedUntil, LastLoginAt = ok ? now : op.LastLoginAt };
            try
            {
                await Operators.ReplaceItemAsync(updated, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = read.ETag }, ct);
            }
            catch (CosmosException e) when (e.IsPreconditionFailed())
            {
                continue; // A concurrent attempt changed the counters: count this one against the fresh state.
            }

            if (!ok)
            {
                log.LogWarning("Failed operator sign-in for {OperatorId} ({Failures} in a row, locked: {Locked})", id, next.FailedAttempts, next.LockedUntil is not null);
                throw BadCredentials();
            }

            return await IssueAsync(updated, ct);
        }
        throw new TooManyRequestsException("Too many concurrent sign-in attempts.", TimeSpan.FromSeconds(1));
    }

    public async Task<AdminLoginResult> RefreshAsync(string? refreshToken, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(refreshToken)) throw ValidationException.For("refreshToken", "is required.");
        var rotated = await sessions.RotateAsync(refreshToken, SessionSubject.Admin, ct);
        var op = await Operators.ReadOrNullAsync<OperatorDocument>(rotated.Session.SubjectId, rotated.Session.SubjectId, ct);
        if (op is null || op.Value.Disabled)
        {
            await sessions.RevokeAsync(rotated.Session.Id, "operator disabled", ct);
            throw new UnauthorizedException("This operator account is no longer active.");
        }
        // Roles and shops are read again, so a changed assignment takes effect at the next refresh.
        var access = tokens.IssueForAdmin(op.Value.Id, op.Value.Roles, op.Value.ShopIds, rotated.Session.Id);
        return new AdminLoginResult(new TokenPair(access.Token, access.ExpiresAt, rotated.Token, rotated.ExpiresAt), op.Value.Id, op.Value.DisplayName, op.Value.Roles, op.Value.ShopIds);
    }

    private async Task<AdminLoginResult> IssueAsync(OperatorDocument op, CancellationToken ct)
    {
        var refresh = await sessions.CreateAsync(SessionSubject.Admin, op.Id, ct);
        var access = tokens.IssueForAdmin(op.Id, op.Roles, op.ShopIds, refresh.Session.Id);
        return new AdminLoginResult(new TokenPair(access.Token, access.ExpiresAt, refresh.Token, refresh.ExpiresAt), op.Id, op.DisplayName, op.Roles, op.ShopIds);
    }

    private static UnauthorizedException BadCredentials() => new("The user name or password is wrong.");
}
