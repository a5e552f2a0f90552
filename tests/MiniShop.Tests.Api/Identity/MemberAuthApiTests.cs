using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Api.Identity;

public class MemberAuthApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dev_code_signs_in_and_the_token_opens_the_member_api()
    {
        var session = await host.MemberSessionAsync("alice");
        var token = session.GetProperty("tokens").GetProperty("accessToken").GetString();

        var me = await Json.ReadAsync(await host.Client(token).GetAsync("me", Ct), 200);
        Assert.Equal(session.GetProperty("memberId").GetString(), me.GetProperty("memberId").GetString());
        Assert.Equal("L1", me.GetProperty("levelId").GetString());
        Assert.DoesNotContain("sessionKey", me.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Refresh_rotates_and_the_previous_refresh_token_stops_working()
    {
        var session = await host.MemberSessionAsync("bob");
        var first = session.GetProperty("tokens").GetProperty("refreshToken").GetString();

        var refreshed = await Json.ReadAsync(await host.Client().PostAsJsonAsync("auth/refresh", new { refreshToken = first }, Ct), 200);
        var second = refreshed.GetProperty("tokens").GetProperty("refreshToken").GetString();
        Assert.NotEqual(first, second);
        Assert.Equal(session.GetProperty("memberId").GetString(), refreshed.GetProperty("memberId").GetString());

        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/refresh", new { refreshToken = first }, Ct), 401);
        await Json.ReadAsync(await host.Client().PostAsJsonAsync("auth/refresh", new { refreshToken = second }, Ct), 200);
    }

    [Fact]
    public async Task Logout_revokes_the_session_so_its_refresh_token_is_dead()
    {
        var session = await host.MemberSessionAsync("carol");
        var tokens = session.GetProperty("tokens");

        var logout = await host.Client(tokens.GetProperty("accessToken").GetString()).PostAsync("auth/logout", null, Ct);
        Assert.Equal(204, (int)logout.StatusCode);
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() }, Ct), 401);
    }

    [Fact]
    public async Task Missing_forged_and_expired_tokens_get_401()
    {
        await Json.ProblemAsync(await host.Client().GetAsync("me", Ct), 401);
        await Json.ProblemAsync(await host.Client("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").GetAsync("me", Ct), 401);

        // A token the server itself signed 20 minutes ago: genuine but expired.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-20));
        var issuer = new AccessTokenService(Options.Create(new AuthOptions { JwtSigningKey = host.Settings["Auth:JwtSigningKey"]!, AccessTokenMinutes = 15 }), past);
        var expired = issuer.IssueForMember("mbr_x", "L1", "ses_x").Token;
        var problem = await Json.ProblemAsync(await host.Client(expired).GetAsync("me", Ct), 401);
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_bad_login_body_names_the_field()
    {
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/wechat-login", new { code = "" }, Ct), 400, "code");
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/wechat-login", new { code = "dev-bad name!" }, Ct), 400, "code");
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/refresh", new { }, Ct), 400, "refreshToken");
    }

    [Fact]
    public async Task A_real_code_without_wechat_configured_is_a_clear_503()
    {
        var problem = await Json.ProblemAsync(await host.Client().PostAsJsonAsync("auth/wechat-login", new { code = "081abcDEF" }, Ct), 503);
        Assert.Equal("wechat_not_configured", problem.GetProperty("code").GetString());
    }
}
