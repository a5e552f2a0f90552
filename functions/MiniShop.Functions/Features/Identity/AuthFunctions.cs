using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Functions.Features.Identity;

/// <summary>Shopper sign-in with wx.login codes, token refresh and sign-out.</summary>
public sealed class AuthFunctions(MemberLoginService login, SessionStore sessions, CosmosDb db, MemberLevelDirectory levels)
{
    [Function(nameof(WeChatLogin))]
    [ApiOperation("Identity", "Sign in with a wx.login() code: creates the member on first login",
        Request = typeof(WeChatLoginRequest), Response = typeof(MemberSessionView))]
    public async Task<IActionResult> WeChatLogin([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/wechat-login")] HttpRequest req)
    {
        var body = await req.ReadJsonAsync<WeChatLoginRequest>();
        return Api.Ok(ToView(await login.LoginAsync(body.Code, req.HttpContext.RequestAborted)));
    }

    [Function(nameof(RefreshMemberToken))]
    [ApiOperation("Identity", "Exchange a refresh token for new tokens; the old refresh token stops working",
        Request = typeof(RefreshRequest), Response = typeof(MemberSessionView))]
    public async Task<IActionResult> RefreshMemberToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequest req)
    {
        var body = await req.ReadJsonAsync<RefreshRequest>();
        return Api.Ok(ToView(await login.RefreshAsync(body.RefreshToken, req.HttpContext.RequestAborted)));
    }

    [Function(nameof(MemberLogout))]
    [ApiOperation("Identity", "Sign out: revokes the session of the access token", Auth = ApiAuth.Member, SuccessStatus = 204)]
    public async Task<IActionResult> MemberLogout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequest req)
    {
        req.Caller().RequireMember();
        await sessions.RevokeAsync(req.Caller().SessionId!, "signed out", req.HttpContext.RequestAborted);
        return Api.NoContent();
    }

    [Function(nameof(GetMe))]
    [ApiOperation("Identity", "The signed-in member", Auth = ApiAuth.Member, Response = typeof(MeView))]
    public async Task<IActionResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest req)
    {
        var memberId = req.Caller().RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var member = await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(memberId, memberId, ct)
                     ?? throw new Domain.Common.NotFoundException("Member", memberId);
        var level = (await levels.AllAsync(ct)).FirstOrDefault(l => l.Id == member.Value.LevelId);
        return Api.Ok(new MeView(member.Value.Id, member.Value.LevelId, level?.Name, member.Value.Growth, member.Value.CreatedAt));
    }

    internal static TokensView ToView(TokenPair t) => new(t.AccessToken, t.AccessTokenExpiresAt, t.RefreshToken, t.RefreshTokenExpiresAt, t.TokenType);

    private static MemberSessionView ToView(MemberLoginResult r) => new(ToView(r.Tokens), r.MemberId, r.LevelId, r.IsNewMember);
}
