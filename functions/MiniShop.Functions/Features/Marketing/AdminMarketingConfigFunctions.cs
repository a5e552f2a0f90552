using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Marketing;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Marketing;

namespace MiniShop.Functions.Features.Marketing;

/// <summary>A shop's shipping template (shop marketing access) and the platform's points and stacking settings (platform admins, operators).</summary>
public sealed class AdminMarketingConfigFunctions(MarketingConfigService config)
{
    [Function(nameof(AdminGetShippingTemplate))]
    [ApiOperation("Admin marketing", "A shop's shipping template (404 when it has none: the shop ships free)", Auth = ApiAuth.Admin,
        Response = typeof(ShippingTemplateDefinition))]
    public async Task<IActionResult> AdminGetShippingTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/shops/{shopId}/shipping-template")] HttpRequest req, string shopId)
    {
        req.Caller().RequireMarketingAccess(shopId);
        var template = await config.GetShippingTemplateAsync(shopId, req.HttpContext.RequestAborted);
        return Api.Versioned(template, template.Version);
    }

    [Function(nameof(AdminPutShippingTemplate))]
    [ApiOperation("Admin marketing", "Create or replace a shop's shipping template; If-Match is required once one exists", Auth = ApiAuth.Admin,
        Request = typeof(ShippingTemplateDraft), Response = typeof(ShippingTemplateDefinition), Headers = ["If-Match?"])]
    public async Task<IActionResult> AdminPutShippingTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/shops/{shopId}/shipping-template")] HttpRequest req, string shopId)
    {
        req.Caller().RequireMarketingAccess(shopId);
        var version = ETags.OptionalIfMatch(req);
        var template = await config.PutShippingTemplateAsync(shopId, await req.ReadJsonAsync<ShippingTemplateDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(template, template.Version);
    }

    [Function(nameof(AdminGetMarketingSettings))]
    [ApiOperation("Admin marketing", "Points policy and stacking exclusions (defaults with ETag \"0\" until saved)", Auth = ApiAuth.Admin,
        Response = typeof(MarketingSettings))]
    public async Task<IActionResult> AdminGetMarketingSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/marketing/settings")] HttpRequest req)
    {
        req.Caller().RequireMarketingAccess(MarketingOwners.Platform);
        var settings = await config.GetSettingsAsync(req.HttpContext.RequestAborted);
        return Api.Versioned(settings, settings.Version);
    }

    [Function(nameof(AdminPutMarketingSettings))]
    [ApiOperation("Admin marketing", "Replace the points policy and stacking exclusions", Auth = ApiAuth.Admin,
        Request = typeof(MarketingSettingsDraft), Response = typeof(MarketingSettings), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminPutMarketingSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/marketing/settings")] HttpRequest req)
    {
        req.Caller().RequireMarketingAccess(MarketingOwners.Platform);
        var version = ETags.RequireIfMatch(req);
        var settings = await config.PutSettingsAsync(await req.ReadJsonAsync<MarketingSettingsDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(settings, settings.Version);
    }
}
