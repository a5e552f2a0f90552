using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.GroupBuys;

namespace MiniShop.Functions.Features.GroupBuys;

/// <summary>
/// Group-buy activities of a shop (MarketingWrite for that shop: its merchant admins, platform admins, operators).
/// Content edits only before the start, with If-Match; pausing or ending stops new groups and joins, open groups run on.
/// </summary>
public sealed class AdminGroupBuyFunctions(GroupBuyAdminService groupBuys)
{
    [Function(nameof(AdminListGroupBuys))]
    [ApiOperation("Admin group buys", "A shop's group-buy activities, newest first", Auth = ApiAuth.Admin,
        Response = typeof(IReadOnlyList<GroupBuyActivity>), Query = ["shopId:required"])]
    public async Task<IActionResult> AdminListGroupBuys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/group-buys")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId") ?? throw ValidationException.For("shopId", "is required.");
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite, shopId);
        return Api.Ok(await groupBuys.ListAsync(shopId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminCreateGroupBuy))]
    [ApiOperation("Admin group buys", "Create a group-buy activity on SKUs of one product (active from its start)", Auth = ApiAuth.Admin,
        Request = typeof(GroupBuyDraft), Response = typeof(GroupBuyActivity), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/group-buys")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite);
        var draft = await req.ReadJsonAsync<GroupBuyDraft>();
        if (!string.IsNullOrWhiteSpace(draft.ShopId)) req.Caller().RequireAdmin(AdminPermission.MarketingWrite, draft.ShopId);
        var activity = await groupBuys.CreateAsync(draft, req.HttpContext.RequestAborted);
        return Api.Versioned(activity, activity.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/group-buys/{activity.Id}");
    }

    [Function(nameof(AdminGetGroupBuy))]
    [ApiOperation("Admin group buys", "A group-buy activity; the ETag is its version", Auth = ApiAuth.Admin, Response = typeof(GroupBuyActivity))]
    public async Task<IActionResult> AdminGetGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/group-buys/{id}")] HttpRequest req, string id)
    {
        var activity = await ScopedAsync(req, id);
        return Api.Versioned(activity, activity.Version);
    }

    [Function(nameof(AdminUpdateGroupBuy))]
    [ApiOperation("Admin group buys", "Replace an activity's content before it starts (409 once started)", Auth = ApiAuth.Admin,
        Request = typeof(GroupBuyDraft), Response = typeof(GroupBuyActivity), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/group-buys/{id}")] HttpRequest req, string id)
    {
        await ScopedAsync(req, id);
        var version = ETags.RequireIfMatch(req);
        var activity = await groupBuys.UpdateAsync(id, await req.ReadJsonAsync<GroupBuyDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(activity, activity.Version);
    }

    [Function(nameof(AdminPauseGroupBuy))]
    [ApiOperation("Admin group buys", "Pause: no new groups or joins; open groups run on to their deadline", Auth = ApiAuth.Admin,
        Response = typeof(GroupBuyActivity), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminPauseGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/group-buys/{id}/pause")] HttpRequest req, string id)
        => SetStatusAsync(req, id, GroupBuyStatus.Paused);

    [Function(nameof(AdminResumeGroupBuy))]
    [ApiOperation("Admin group buys", "Resume a paused activity", Auth = ApiAuth.Admin, Response = typeof(GroupBuyActivity), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminResumeGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/group-buys/{id}/resume")] HttpRequest req, string id)
        => SetStatusAsync(req, id, GroupBuyStatus.Active);

    [Function(nameof(AdminEndGroupBuy))]
    [ApiOperation("Admin group buys", "End for good: no new groups or joins; open groups run on to their deadline", Auth = ApiAuth.Admin,
        Response = typeof(GroupBuyActivity), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminEndGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/group-buys/{id}/end")] HttpRequest req, string id)
        => SetStatusAsync(req, id, GroupBuyStatus.Ended);

    [Function(nameof(AdminGroupBuyResults))]
    [ApiOperation("Admin group buys", "Results: groups opened, open, formed and failed; orders and units sold and refunded", Auth = ApiAuth.Admin,
        Response = typeof(GroupBuyResults))]
    public async Task<IActionResult> AdminGroupBuyResults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/group-buys/{id}/results")] HttpRequest req, string id)
    {
        var activity = await ScopedAsync(req, id);
        return Api.Ok(await groupBuys.ResultsAsync(activity, req.HttpContext.RequestAborted));
    }

    private async Task<IActionResult> SetStatusAsync(HttpRequest req, string id, GroupBuyStatus status)
    {
        await ScopedAsync(req, id);
        var activity = await groupBuys.SetStatusAsync(id, status, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(activity, activity.Version);
    }

    /// <summary>Loads the activity and checks the caller may act on its shop (403 otherwise).</summary>
    private async Task<GroupBuyActivity> ScopedAsync(HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite);
        var activity = (await groupBuys.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite, activity.ShopId);
        return activity;
    }
}
