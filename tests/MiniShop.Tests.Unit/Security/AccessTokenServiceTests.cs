using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Unit.Security;

public class AccessTokenServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private AccessTokenService Service(string? key = null) => new(Options.Create(new AuthOptions
    {
        JwtSigningKey = key ?? Key, AccessTokenMinutes = 15,
    }), _time);

    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_member_token_round_trips_its_claims()
    {
        var service = Service();
        var token = service.IssueForMember("mbr_1", "L2", "ses_1");
        var caller = await service.ValidateAsync(token.Token);

        Assert.Equal(CallerKind.Member, caller.Kind);
        Assert.Equal(("mbr_1", "L2", "ses_1"), (caller.SubjectId, caller.MemberLevelId, caller.SessionId));
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), token.ExpiresAt);
    }

    [Fact]
    public async Task An_admin_token_carries_roles_and_shops()
    {
        var service = Service();
        var caller = await service.ValidateAsync(service.IssueForAdmin("op", [AdminRole.MerchantAdmin, AdminRole.CustomerService], ["s1", "s2"], "ses").Token);

        Assert.Equal(CallerKind.Admin, caller.Kind);
        Assert.True(caller.Roles.SetEquals([AdminRole.MerchantAdmin, AdminRole.CustomerService]));
        Assert.True(caller.ShopIds.SetEquals(["s1", "s2"]));
    }

    [Fact]
    public async Task An_expired_token_is_anonymous_and_says_so()
    {
        var service = Service();
        var token = service.IssueForMember("m", null, "s");
        _time.Advance(TimeSpan.FromMinutes(16));

        var caller = await service.ValidateAsync(token.Token);
        Assert.Equal(CallerKind.Anonymous, caller.Kind);
        Assert.Equal("it has expired", caller.TokenProblem);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_altered_is_rejected()
    {
        var forged = Service(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).IssueForMember("m", null, "s").Token;
        Assert.Equal(CallerKind.Anonymous, (await Service().ValidateAsync(forged)).Kind);

        var genuine = Service().IssueForMember("m", null, "s").Token;
        var parts = genuine.Split('.');
        var tampered = $"{parts[0]}.{parts[1].Replace(parts[1][5], parts[1][5] == 'A' ? 'B' : 'A')}.{parts[2]}";
        Assert.Equal(CallerKind.Anonymous, (await Service().ValidateAsync(tampered)).Kind);
        Assert.Equal(CallerKind.Anonymous, (await Service().ValidateAsync("not-a-jwt")).Kind);
    }

    [Fact]
    public void A_short_signing_key_is_refused_at_start_up()
        => Assert.Throws<InvalidOperationException>(() => Service(Convert.ToBase64String(new byte[16])));
}
