using MiniShop.Domain.Identity;

namespace MiniShop.Tests.Unit.Identity;

public class PasswordAndLockoutTests
{
    [Fact]
    public void A_hash_verifies_only_its_password_and_salts_differ()
    {
        var a = PasswordHasher.Hash("correct horse battery", 1000);
        var b = PasswordHasher.Hash("correct horse battery", 1000);

        Assert.NotEqual(a, b);
        Assert.True(PasswordHasher.Verify("correct horse battery", a));
        Assert.False(PasswordHasher.Verify("correct horse batterY", a));
        Assert.False(PasswordHasher.Verify("x", "not-a-hash"));
        Assert.StartsWith("pbkdf2-sha256$1000$", a);
    }

    [Fact]
    public void The_fifth_failure_locks_for_the_policy_duration_and_success_resets()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var policy = new LockoutPolicy(5, TimeSpan.FromMinutes(15));
        var state = LoginAttemptState.AfterSuccess;
        for (var i = 0; i < 4; i++) state = state.AfterFailure(now, policy);
        Assert.False(state.IsLocked(now));
        Assert.Equal(4, state.FailedAttempts);

        state = state.AfterFailure(now, policy);
        Assert.True(state.IsLocked(now.AddMinutes(14)));
        Assert.False(state.IsLocked(now.AddMinutes(15)));
        Assert.Equal(LoginAttemptState.AfterSuccess, new LoginAttemptState(0, null));
    }
}
