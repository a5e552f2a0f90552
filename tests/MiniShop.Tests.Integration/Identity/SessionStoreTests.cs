using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Tests.Integration.Identity;

public class SessionStoreTests(Services services) : IClassFixture<Services>
{
    private SessionStore Store => services.Get<SessionStore>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotation_issues_a_new_token_and_the_old_one_stops_working()
    {
        var first = await Store.CreateAsync(SessionSubject.Member, "mbr-1", Ct);
        var second = await Store.RotateAsync(first.Token, SessionSubject.Member, Ct);

        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(first.Session.Id, second.Session.Id);
        Assert.Equal(2, second.Session.Generation);
        await Assert.ThrowsAsync<UnauthorizedException>(() => Store.RotateAsync(first.Token, SessionSubject.Member, Ct));
        Assert.NotNull(await Store.RotateAsync(second.Token, SessionSubject.Member, Ct));
    }

    [Fact]
    public async Task Only_hashes_are_stored()
    {
        var issued = await Store.CreateAsync(SessionSubject.Member, "mbr-2", Ct);
        var stored = await services.Get<CosmosDb>().Container(CosmosSchema.Sessions).ReadOrNullAsync<SessionDocument>(issued.Session.Id, issued.Session.Id, Ct);
        var secret = issued.Token.Split('.')[1];

        Assert.NotNull(stored);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(stored.Value));
        Assert.True(stored.Value.Ttl > 0);
    }

    [Fact]
    public async Task Revocation_ends_the_session_for_good()
    {
        var issued = await Store.CreateAsync(SessionSubject.Admin, "op-1", Ct);
        await Store.RevokeAsync(issued.Session.Id, "signed out", Ct);
        await Store.RevokeAsync(issued.Session.Id, "signed out", Ct); // idempotent

        await Assert.ThrowsAsync<UnauthorizedException>(() => Store.RotateAsync(issued.Token, SessionSubject.Admin, Ct));
    }

    [Fact]
    public async Task A_token_of_one_kind_cannot_refresh_the_other_and_is_not_consumed_trying()
    {
        var member = await Store.CreateAsync(SessionSubject.Member, "mbr-3", Ct);
        await Assert.ThrowsAsync<UnauthorizedException>(() => Store.RotateAsync(member.Token, SessionSubject.Admin, Ct));
        Assert.NotNull(await Store.RotateAsync(member.Token, SessionSubject.Member, Ct));
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_let_exactly_one_win()
    {
        var issued = await Store.CreateAsync(SessionSubject.Member, "mbr-4", Ct);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try { return await Store.RotateAsync(issued.Token, SessionSubject.Member, Ct); }
            catch (UnauthorizedException) { return null; }
        }));

        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(2, winner!.Session.Generation);
    }

    [Fact]
    public async Task Malformed_tokens_are_unauthorized_not_errors()
    {
        foreach (var token in new[] { "", "nodot", ".x", "x.", "ses_unknown.secret", new string('a', 500) + ".b" })
            await Assert.ThrowsAsync<UnauthorizedException>(() => Store.RotateAsync(token, SessionSubject.Member, Ct));
    }
}
