using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Marketing;

namespace MiniShop.Functions.Features.Marketing;

/// <summary>What the mini-program shows of the marketing configuration.</summary>
public sealed class MarketingFunctions(MarketingCatalog catalog, TimeProvider time)
{
    [Function(nameof(ListActivePromotions))]
    [ApiOperation("Marketing", "Promotions running now: the shop's own and the platform's that can cover it (platform only without shopId)",
        Response = typeof(IReadOnlyList<PromotionView>), Query = ["shopId"])]
    public async Task<IActionResult> ListActivePromotions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "marketing/promotions")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId");
        var shops = shopId is null || MarketingOwners.IsPlatform(shopId) ? Array.Empty<string>() : [shopId];
        var running = await catalog.ActiveDefinitionsAsync(shops, time.GetUtcNow(), req.HttpContext.RequestAborted);
        // A platform promotion scoped to other shops never applies in this one.
        var visible = running.Where(p => shopId is null || p.Scope.Kind != ScopeKind.Shops || p.Scope.Ids.Contains(shopId));
        return Api.Ok(visible.Select(PromotionView.From).ToList());
    }
}
