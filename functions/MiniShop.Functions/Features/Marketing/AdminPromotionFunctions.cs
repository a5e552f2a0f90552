using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Marketing;

namespace MiniShop.Functions.Features.Marketing;

/// <summary>
/// Promotions of a shop (merchant admins of that shop, platform admins, operators) or of the platform ("platform":
/// platform admins and operators only). Updates need If-Match with the promotion's ETag.
/// </summary>
public sealed class AdminPromotionFunctions(PromotionAdminService promotions)
{
    [Function(nameof(AdminListPromotions))]
    [ApiOperation("Admin marketing", "An owner's promotions, any status, newest first", Auth = ApiAuth.Admin,
        Response = typeof(IReadOnlyList<PromotionDefinition>), Query = ["ownerId:required: a shop id or 'platform'"])]
    public async Task<IActionResult> AdminListPromotions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/promotions")] HttpRequest req)
    {
        var ownerId = RequiredOwner(req);
        req.Caller().RequireMarketingAccess(ownerId);
        return Api.Ok(await promotions.ListAsync(ownerId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminCreatePromotion))]
    [ApiOperation("Admin marketing", "Create a promotion (active) for a shop or the platform", Auth = ApiAuth.Admin,
        Request = typeof(PromotionDraft), Response = typeof(PromotionDefinition), SuccessStatus = 201, Query = ["ownerId:required: a shop id or 'platform'"])]
    public async Task<IActionResult> AdminCreatePromotion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/promotions")] HttpRequest req)
    {
        var ownerId = RequiredOwner(req);
        req.Caller().RequireMarketingAccess(ownerId);
        var promotion = await promotions.CreateAsync(ownerId, await req.ReadJsonAsync<PromotionDraft>(), req.HttpContext.RequestAborted);
        return Api.Versioned(promotion, promotion.Version, StatusCodes.Status201Created)
            .WithHeader("Location", $"/api/admin/promotions/{promotion.OwnerId}/{promotion.Id}");
    }

    [Function(nameof(AdminGetPromotion))]
    [ApiOperation("Admin marketing", "A promotion; the ETag is its version", Auth = ApiAuth.Admin, Response = typeof(PromotionDefinition))]
    public async Task<IActionResult> AdminGetPromotion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/promotions/{ownerId}/{id}")] HttpRequest req, string ownerId, string id)
    {
        req.Caller().RequireMarketingAccess(ownerId);
        var promotion = (await promotions.GetAsync(ownerId, id, req.HttpContext.RequestAborted)).Value;
        return Api.Versioned(promotion, promotion.Version);
    }

    [Function(nameof(AdminUpdatePromotion))]
    [ApiOperation("Admin marketing", "Replace a promotion's content (status is kept)", Auth = ApiAuth.Admin,
        Request = typeof(PromotionDraft), Response = typeof(PromotionDefinition), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdatePromotion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/promotions/{ownerId}/{id}")] HttpRequest req, string ownerId, string id)
    {
        req.Caller().RequireMarketingAccess(ownerId);
        var version = ETags.RequireIfMatch(req);
        var promotion = await promotions.UpdateAsync(ownerId, id, await req.ReadJsonAsync<PromotionDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(promotion, promotion.Version);
    }

    [Function(nameof(AdminPausePromotion))]
    [ApiOperation("Admin marketing", "Pause a promotion: checkout stops applying it", Auth = ApiAuth.Admin, Response = typeof(PromotionDefinition), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminPausePromotion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/promotions/{ownerId}/{id}/pause")] HttpRequest req, string ownerId, string id)
        => SetStatusAsync(req, ownerId, id, MarketingStatus.Paused);

    [Function(nameof(AdminResumePromotion))]
    [ApiOperation("Admin marketing", "Resume a paused promotion", Auth = ApiAuth.Admin, Response = typeof(PromotionDefinition), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminResumePromotion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/promotions/{ownerId}/{id}/resume")] HttpRequest req, string ownerId, string id)
        => SetStatusAsync(req, ownerId, id, MarketingStatus.Active);

    private async Task<IActionResult> SetStatusAsync(HttpRequest req, string ownerId, string id, MarketingStatus status)
    {
        req.Caller().RequireMarketingAccess(ownerId);
        var promotion = await promotions.SetStatusAsync(ownerId, id, status, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(promotion, promotion.Version);
    }

    private static string RequiredOwner(HttpRequest req)
        => req.QueryValue("ownerId") ?? throw ValidationException.For("ownerId", "is required: a shop id or 'platform'.");
}
