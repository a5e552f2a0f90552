using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Coupons;

namespace MiniShop.Functions.Features.Coupons;

/// <summary>
/// Coupon templates of a shop (merchant admins of that shop, platform admins, operators) or of the platform (shopId
/// absent: platform admins and operators only). Updates need If-Match; the total can never go below what was issued.
/// </summary>
public sealed class AdminCouponTemplateFunctions(CouponTemplateAdminService templates)
{
    [Function(nameof(AdminListCouponTemplates))]
    [ApiOperation("Admin marketing", "An owner's coupon templates with their issued counts, newest first", Auth = ApiAuth.Admin,
        Response = typeof(IReadOnlyList<CouponTemplate>), Query = ["ownerId:required: a shop id or 'platform'"])]
    public async Task<IActionResult> AdminListCouponTemplates([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/coupon-templates")] HttpRequest req)
    {
        var ownerId = req.QueryValue("ownerId") ?? throw ValidationException.For("ownerId", "is required: a shop id or 'platform'.");
        req.Caller().RequireMarketingAccess(ownerId);
        return Api.Ok(await templates.ListAsync(ownerId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminCreateCouponTemplate))]
    [ApiOperation("Admin marketing", "Create a coupon template (active); shopId absent = a platform coupon", Auth = ApiAuth.Admin,
        Request = typeof(CouponTemplateDraft), Response = typeof(CouponTemplate), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateCouponTemplate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/coupon-templates")] HttpRequest req)
    {
        req.Caller().RequireAdmin(Domain.Identity.AdminPermission.MarketingWrite);
        var draft = await req.ReadJsonAsync<CouponTemplateDraft>();
        req.Caller().RequireMarketingAccess(MarketingOwners.OwnerOf(draft.ShopId));
        var template = await templates.CreateAsync(draft, req.HttpContext.RequestAborted);
        return Api.Versioned(template, template.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/coupon-templates/{template.Id}");
    }

    [Function(nameof(AdminGetCouponTemplate))]
    [ApiOperation("Admin marketing", "A coupon template with its issued count; the ETag is its version", Auth = ApiAuth.Admin, Response = typeof(CouponTemplate))]
    public async Task<IActionResult> AdminGetCouponTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/coupon-templates/{id}")] HttpRequest req, string id)
    {
        var template = await ScopedAsync(req, id);
        return Api.Versioned(template, template.Version);
    }

    [Function(nameof(AdminUpdateCouponTemplate))]
    [ApiOperation("Admin marketing", "Replace a template's terms; coupons already claimed keep theirs", Auth = ApiAuth.Admin,
        Request = typeof(CouponTemplateDraft), Response = typeof(CouponTemplate), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateCouponTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/coupon-templates/{id}")] HttpRequest req, string id)
    {
        var version = ETags.RequireIfMatch(req);
        await ScopedAsync(req, id);
        var template = await templates.UpdateAsync(id, await req.ReadJsonAsync<CouponTemplateDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(template, template.Version);
    }

    [Function(nameof(AdminPauseCouponTemplate))]
    [ApiOperation("Admin marketing", "Stop giving out a coupon (claimed coupons stay usable)", Auth = ApiAuth.Admin, Response = typeof(CouponTemplate), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminPauseCouponTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/coupon-templates/{id}/pause")] HttpRequest req, string id)
        => SetStatusAsync(req, id, MarketingStatus.Paused);

    [Function(nameof(AdminResumeCouponTemplate))]
    [ApiOperation("Admin marketing", "Resume giving out a paused coupon", Auth = ApiAuth.Admin, Response = typeof(CouponTemplate), Headers = ["If-Match?"])]
    public Task<IActionResult> AdminResumeCouponTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/coupon-templates/{id}/resume")] HttpRequest req, string id)
        => SetStatusAsync(req, id, MarketingStatus.Active);

    private async Task<IActionResult> SetStatusAsync(HttpRequest req, string id, MarketingStatus status)
    {
        await ScopedAsync(req, id);
        var template = await templates.SetStatusAsync(id, status, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(template, template.Version);
    }

    /// <summary>Loads the template and checks the caller may act on its owner (403 otherwise).</summary>
    private async Task<CouponTemplate> ScopedAsync(HttpRequest req, string id)
    {
        var caller = req.Caller();
        caller.RequireAdmin(Domain.Identity.AdminPermission.MarketingWrite);
        var template = (await templates.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        caller.RequireMarketingAccess(template.OwnerId);
        return template;
    }
}
