using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Functions.Features.Identity;

/// <summary>Operator sign-in (password with lockout), refresh and sign-out.</summary>
public sealed class AdminAuthFunctions(OperatorLoginService login, OperatorAdminService operators, SessionStore sessions)
{
    [Function(nameof(AdminLogin))]
    [ApiOperation("Admin identity", "Operator sign-in; locked for a while after repeated failures",
        Request = typeof(AdminLoginRequest), Response = typeof(AdminSessionView))]
    public async Task<IActionResult> AdminLogin([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/auth/login")] HttpRequest req)
    {
        var body = await req.ReadJsonAsync<AdminLoginRequest>();
        return Api.Ok(ToView(await login.LoginAsync(body.UserName, body.Password, req.HttpContext.RequestAborted)));
    }

    [Function(nameof(AdminRefresh))]
    [ApiOperation("Admin identity", "Exchange an operator refresh token; roles and shops are re-read",
        Request = typeof(RefreshRequest), Response = typeof(AdminSessionView))]
    public async Task<IActionResult> AdminRefresh([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/auth/refresh")] HttpRequest req)
    {
        var body = await req.ReadJsonAsync<RefreshRequest>();
        return Api.Ok(ToView(await login.RefreshAsync(body.RefreshToken, req.HttpContext.RequestAborted)));
    }

    [Function(nameof(AdminLogout))]
    [ApiOperation("Admin identity", "Operator sign-out: revokes the session", Auth = ApiAuth.Admin, SuccessStatus = 204)]
    public async Task<IActionResult> AdminLogout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/auth/logout")] HttpRequest req)
    {
        var caller = req.Caller();
        if (caller.Kind != CallerKind.Admin) throw new UnauthorizedException("Sign in as an operator first.");
        await sessions.RevokeAsync(caller.SessionId!, "signed out", req.HttpContext.RequestAborted);
        return Api.NoContent();
    }

    [Function(nameof(GetAdminMe))]
    [ApiOperation("Admin identity", "The signed-in operator, roles and shop scope", Auth = ApiAuth.Admin, Response = typeof(AdminMeView))]
    public IActionResult GetAdminMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/me")] HttpRequest req)
    {
        var caller = req.Caller();
        var id = caller.RequireAdmin(AdminPermission.CatalogRead);
        return Api.Ok(new AdminMeView(id, caller.Roles.Order().ToList(), caller.ShopIds.Order().ToList(), caller.SpansAllShops));
    }

    [Function(nameof(CreateOperator))]
    [ApiOperation("Admin identity", "Create an operator account (platform admins)", Auth = ApiAuth.Admin,
        Request = typeof(OperatorDraft), Response = typeof(AdminMeView), SuccessStatus = 201)]
    public async Task<IActionResult> CreateOperator([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/operators")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.OperatorManage);
        var draft = await req.ReadJsonAsync<OperatorDraft>();
        var op = await operators.CreateAsync(draft, req.HttpContext.RequestAborted);
        return Api.Created(new AdminMeView(op.Id, op.Roles, op.ShopIds, op.Roles.Any(AdminRole.SpansAllShops)), $"/api/admin/operators/{op.Id}");
    }

    private static AdminSessionView ToView(AdminLoginResult r)
        => new(AuthFunctions.ToView(r.Tokens), r.OperatorId, r.DisplayName, r.Roles, r.ShopIds);
}
