namespace MiniShop.Domain.Identity;

/// <summary>Lockout after repeated failed logins: a guessing attacker gets a few tries, then waits.</summary>
public sealed record LockoutPolicy(int MaxFailures = 5, TimeSpan? LockDuration = null)
{
    public TimeSpan Duration => LockDuration ?? TimeSpan.FromMinutes(15);
}

public sealed record LoginAttemptState(int FailedAttempts, DateTimeOffset? LockedUntil)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public LoginAttemptState AfterFailure(DateTimeOffset now, LockoutPolicy policy)
    {
        var failures = FailedAttempts + 1;
        return failures >= policy.MaxFailures
            ? new LoginAttemptState(0, now + policy.Duration)
            : new LoginAttemptState(failures, LockedUntil);
    }

    public static LoginAttemptState AfterSuccess => new(0, null);
}
