using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Integration.Identity;

public class MemberLoginServiceTests(Services services) : IClassFixture<Services>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemberLoginService Login => services.Get<MemberLoginService>();

    [Fact]
    public async Task The_first_login_creates_the_member_and_later_logins_find_it()
    {
        var first = await Login.LoginAsync("dev-first", Ct);
        var again = await Login.LoginAsync("dev-first", Ct);

        Assert.True(first.IsNewMember);
        Assert.False(again.IsNewMember);
        Assert.Equal(first.MemberId, again.MemberId);
    }

    [Fact]
    public async Task The_session_key_is_stored_encrypted_and_the_unionid_is_linked()
    {
        var result = await Login.LoginAsync("dev-keys", Ct);
        var db = services.Get<CosmosDb>();
        var member = (await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(result.MemberId, result.MemberId, Ct))!.Value;

        Assert.Equal("dev-unionid-keys", member.UnionId);
        Assert.StartsWith("k1:", member.SessionKeyEncrypted);
        Assert.Equal(22, services.Get<IFieldEncryptor>().Decrypt(member.SessionKeyEncrypted!).Length); // 16 random bytes, base64url
        var link = await db.Container(CosmosSchema.Identities).ReadOrNullAsync<IdentityLinkDocument>("wxunion:dev-unionid-keys", "wxunion:dev-unionid-keys", Ct);
        Assert.Equal(result.MemberId, link!.Value.MemberId);
    }

    [Fact]
    public async Task Concurrent_first_logins_of_one_openid_make_one_member()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Login.LoginAsync("dev-race", Ct)));

        Assert.Single(results.Select(r => r.MemberId).Distinct());
        Assert.Single(results, r => r.IsNewMember);
    }

    [Fact]
    public async Task A_refresh_issues_tokens_for_the_same_member()
    {
        var login = await Login.LoginAsync("dev-refresh", Ct);
        var refreshed = await Login.RefreshAsync(login.Tokens.RefreshToken, Ct);
        var caller = await services.Provider.GetRequiredService<AccessTokenService>().ValidateAsync(refreshed.Tokens.AccessToken);

        Assert.Equal(login.MemberId, caller.SubjectId);
        Assert.NotEqual(login.Tokens.RefreshToken, refreshed.Tokens.RefreshToken);
    }
}
