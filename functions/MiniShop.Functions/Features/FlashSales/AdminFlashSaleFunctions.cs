using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.FlashSales;

/// <summary>
/// Flash-sale sessions of a shop: platform admins and operators for any shop, merchant admins for theirs
/// (<see cref="AdminPermission.MarketingWrite"/>). Creating takes the flash stock out of the products; edits before the
/// start need If-Match; ending (on time or early) returns what is left.
/// </summary>
public sealed class AdminFlashSaleFunctions(FlashSaleAdminService sales, OrderLifecycleClients lifecycles)
{
    [Function(nameof(AdminListFlashSales))]
    [ApiOperation("Admin flash sales", "Flash-sale sessions, latest start first", Auth = ApiAuth.Admin, Response = typeof(IReadOnlyList<FlashSaleSession>),
        Query = ["shopId:a shop id; required unless the caller spans every shop"])]
    public async Task<IActionResult> AdminListFlashSales([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/flash-sales")] HttpRequest req)
    {
        var caller = req.Caller();
        var shopId = req.QueryValue("shopId");
        if (shopId is null)
        {
            caller.RequireAdmin(AdminPermission.MarketingWrite);
            if (!caller.SpansAllShops) throw ValidationException.For("shopId", "is required: one of your shops.");
        }
        else caller.RequireAdmin(AdminPermission.MarketingWrite, shopId);
        return Api.Ok(await sales.ListAsync(shopId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminCreateFlashSale))]
    [ApiOperation("Admin flash sales", "Create a session: each item's flash stock is taken out of the product's available stock and split over shards",
        Auth = ApiAuth.Admin, Request = typeof(FlashSaleDraft), Response = typeof(FlashSaleSession), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/flash-sales")] HttpRequest req,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = req.Caller();
        var actor = caller.RequireAdmin(AdminPermission.MarketingWrite);
        var draft = await req.ReadJsonAsync<FlashSaleDraft>();
        if (string.IsNullOrWhiteSpace(draft.ShopId)) throw ValidationException.For("shopId", "is required.");
        caller.RequireAdmin(AdminPermission.MarketingWrite, draft.ShopId);
        var session = await sales.CreateAsync(draft, actor, req.HttpContext.RequestAborted);
        await lifecycles.For(durable).StartOnceAsync(FlashSaleLifecycle.Name, FlashSaleLifecycle.InstanceId(session.Id),
            new FlashSaleLifecycleInput(session.Id), req.HttpContext.RequestAborted);
        return Api.Versioned(session, session.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/flash-sales/{session.Id}");
    }

    [Function(nameof(AdminGetFlashSale))]
    [ApiOperation("Admin flash sales", "A session; the ETag is its version", Auth = ApiAuth.Admin, Response = typeof(FlashSaleSession))]
    public async Task<IActionResult> AdminGetFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/flash-sales/{id}")] HttpRequest req, string id)
    {
        var session = await ScopedAsync(req, id);
        return Api.Versioned(session, session.Version);
    }

    [Function(nameof(AdminUpdateFlashSale))]
    [ApiOperation("Admin flash sales", "Replace a session's name, window and items before it starts (stock follows: more taken, less given back)",
        Auth = ApiAuth.Admin, Request = typeof(FlashSaleDraft), Response = typeof(FlashSaleSession), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/flash-sales/{id}")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var version = ETags.RequireIfMatch(req);
        await ScopedAsync(req, id);
        var session = await sales.UpdateAsync(id, await req.ReadJsonAsync<FlashSaleDraft>(), version, req.Caller().SubjectId!, req.HttpContext.RequestAborted);
        await lifecycles.For(durable).RaiseAsync(FlashSaleLifecycle.InstanceId(id), FlashSaleLifecycle.Changed, "edited", req.HttpContext.RequestAborted);
        return Api.Versioned(session, session.Version);
    }

    [Function(nameof(AdminPauseFlashSale))]
    [ApiOperation("Admin flash sales", "Pause a session: nothing sells until it is resumed", Auth = ApiAuth.Admin, Response = typeof(FlashSaleSession), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminPauseFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/flash-sales/{id}/pause")] HttpRequest req, string id)
        => SetPausedAsync(req, id, paused: true);

    [Function(nameof(AdminResumeFlashSale))]
    [ApiOperation("Admin flash sales", "Resume a paused session", Auth = ApiAuth.Admin, Response = typeof(FlashSaleSession), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminResumeFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/flash-sales/{id}/resume")] HttpRequest req, string id)
        => SetPausedAsync(req, id, paused: false);

    [Function(nameof(AdminEndFlashSale))]
    [ApiOperation("Admin flash sales", "End a session now: nothing more sells and the stock left goes back to the products (unpaid orders' units follow when they close)",
        Auth = ApiAuth.Admin, Response = typeof(FlashSaleSession), Headers = ["If-Match?"])]
    public async Task<IActionResult> AdminEndFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/flash-sales/{id}/end")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        await ScopedAsync(req, id);
        var session = await sales.EndAsync(id, ETags.OptionalIfMatch(req), req.Caller().SubjectId!, req.HttpContext.RequestAborted);
        await lifecycles.For(durable).RaiseAsync(FlashSaleLifecycle.InstanceId(id), FlashSaleLifecycle.Changed, "ended", req.HttpContext.RequestAborted);
        return Api.Versioned(session, session.Version);
    }

    private async Task<IActionResult> SetPausedAsync(HttpRequest req, string id, bool paused)
    {
        await ScopedAsync(req, id);
        var session = await sales.SetPausedAsync(id, paused, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(session, session.Version);
    }

    [Function(nameof(AdminFlashSaleResults))]
    [ApiOperation("Admin flash sales", "How a session did per item: units sold, unpaid and remaining, orders paid and unpaid, sales",
        Auth = ApiAuth.Admin, Response = typeof(FlashSaleResults))]
    public async Task<IActionResult> AdminFlashSaleResults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/flash-sales/{id}/results")] HttpRequest req, string id)
    {
        await ScopedAsync(req, id);
        return Api.Ok(await sales.ResultsAsync(id, req.HttpContext.RequestAborted));
    }

    /// <summary>Loads the session and checks the caller may act on its shop (403 otherwise).</summary>
    private async Task<FlashSaleSession> ScopedAsync(HttpRequest req, string id)
    {
        var caller = req.Caller();
        caller.RequireAdmin(AdminPermission.MarketingWrite);
        var session = (await sales.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        caller.RequireAdmin(AdminPermission.MarketingWrite, session.ShopId);
        return session;
    }
}
