using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Domain.Identity;
using MiniShop.Domain.Presales;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Presales;

namespace MiniShop.Functions.Features.Presales;

/// <summary>Presales (预售): operators set them up; shoppers pay a deposit, then the balance when its window opens.</summary>
public sealed class PresaleFunctions(PresaleAdminService admin, PresaleService presales, OrderLifecycleClients lifecycles)
{
    [Function(nameof(GetPresale))]
    [ApiOperation("Presales", "A presale: deposit, what it counts for, the two windows and the shipping promise", Response = typeof(Presale))]
    public async Task<IActionResult> GetPresale([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "presales/{id}")] HttpRequest req, string id)
        => Api.Ok((await admin.GetAsync(id, req.HttpContext.RequestAborted)).Value);

    [Function(nameof(PlacePresaleDeposit))]
    [ApiOperation("Presales", "Order with a deposit: one order whose first payment is the deposit (no coupons, shipping with the balance)",
        Auth = ApiAuth.Member, Request = typeof(DepositRequest), Response = typeof(CheckoutResult), SuccessStatus = 201, Headers = ["Idempotency-Key"])]
    public async Task<IActionResult> PlacePresaleDeposit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "presales/{id}/deposits")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<DepositRequest>();
        var (result, created) = await presales.PlaceDepositAsync(memberId, id, req.Headers["Idempotency-Key"].ToString(), body, lifecycles.For(durable), req.HttpContext.RequestAborted);
        return created ? Api.Created(result, $"/api/payments/{result.PaymentOrderId}") : Api.Ok(result);
    }

    [Function(nameof(PreviewPresaleBalance))]
    [ApiOperation("Presales", "The balance of a presale order at today's prices, promotions and coupons, less what the deposit counts for",
        Auth = ApiAuth.Member, Request = typeof(BalanceRequest), Response = typeof(BalancePreview))]
    public async Task<IActionResult> PreviewPresaleBalance([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderId}/balance/preview")] HttpRequest req, string orderId)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonOrDefaultAsync(new BalanceRequest(null, null, null, null));
        return Api.Ok(await presales.PreviewBalanceAsync(memberId, orderId, body, req.HttpContext.RequestAborted));
    }

    [Function(nameof(PlacePresaleBalance))]
    [ApiOperation("Presales", "Create the balance payment (pay it like any payment order); a repeat returns the same one",
        Auth = ApiAuth.Member, Request = typeof(BalanceRequest), Response = typeof(BalanceResult), SuccessStatus = 201)]
    public async Task<IActionResult> PlacePresaleBalance([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderId}/balance")] HttpRequest req, string orderId,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<BalanceRequest>();
        var result = await presales.PlaceBalanceAsync(memberId, orderId, body, lifecycles.For(durable), req.HttpContext.RequestAborted);
        return Api.Created(result, $"/api/payments/{result.PaymentOrderId}");
    }

    [Function(nameof(AdminListPresales))]
    [ApiOperation("Admin presales", "A shop's presales", Auth = ApiAuth.Admin, Response = typeof(IReadOnlyList<Presale>), Query = ["shopId:required"])]
    public async Task<IActionResult> AdminListPresales([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/presales")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId") ?? throw Domain.Common.ValidationException.For("shopId", "is required.");
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite, shopId);
        return Api.Ok(await admin.ListAsync(shopId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminCreatePresale))]
    [ApiOperation("Admin presales", "Create a presale", Auth = ApiAuth.Admin, Request = typeof(PresaleDraft), Response = typeof(Presale), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreatePresale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/presales")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite);
        var draft = await req.ReadJsonAsync<PresaleDraft>();
        if (draft.ShopId is not null) req.Caller().RequireAdmin(AdminPermission.MarketingWrite, draft.ShopId);
        var presale = await admin.CreateAsync(draft, req.HttpContext.RequestAborted);
        return Api.Versioned(presale, presale.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/presales/{presale.Id}");
    }

    [Function(nameof(AdminUpdatePresale))]
    [ApiOperation("Admin presales", "Edit a presale before its deposit window opens", Auth = ApiAuth.Admin, Request = typeof(PresaleDraft), Response = typeof(Presale), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdatePresale([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/presales/{id}")] HttpRequest req, string id)
    {
        var version = ETags.RequireIfMatch(req);
        await ScopedAsync(req, id);
        var presale = await admin.UpdateAsync(id, await req.ReadJsonAsync<PresaleDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(presale, presale.Version);
    }

    [Function(nameof(AdminSetPresaleStatus))]
    [ApiOperation("Admin presales", "Pause, resume or end a presale (status: active, paused, ended)", Auth = ApiAuth.Admin, Response = typeof(Presale))]
    public async Task<IActionResult> AdminSetPresaleStatus([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/presales/{id}/status/{status}")] HttpRequest req, string id, string status)
    {
        await ScopedAsync(req, id);
        if (!Enum.TryParse<PresaleStatus>(status, ignoreCase: true, out var parsed)) throw Domain.Common.ValidationException.For("status", "must be active, paused or ended.");
        var presale = await admin.SetStatusAsync(id, parsed, req.HttpContext.RequestAborted);
        return Api.Versioned(presale, presale.Version);
    }

    [Function(nameof(AdminPresaleResults))]
    [ApiOperation("Admin presales", "How a presale did: deposits, balances paid, deposits forfeited, money", Auth = ApiAuth.Admin, Response = typeof(PresaleResults))]
    public async Task<IActionResult> AdminPresaleResults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/presales/{id}/results")] HttpRequest req, string id)
        => Api.Ok(await admin.ResultsAsync(await ScopedAsync(req, id), req.HttpContext.RequestAborted));

    private async Task<Presale> ScopedAsync(HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite);
        var presale = (await admin.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        req.Caller().RequireAdmin(AdminPermission.MarketingWrite, presale.ShopId);
        return presale;
    }
}
