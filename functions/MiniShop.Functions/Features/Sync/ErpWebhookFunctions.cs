using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Functions.Features.Sync;

/// <summary>Webhooks the ERP calls. Anonymous at the HTTP level, authenticated by the partner's HMAC signature.</summary>
public sealed class ErpWebhookFunctions(PartnerRequestVerifier verifier, ErpStockSync stock)
{
    [Function(nameof(ErpStockWebhook))]
    [ApiOperation("Partner webhooks", "ERP stock: snapshots set available (reserved kept), deltas add or remove units idempotently by reference; one outcome per item",
        Auth = ApiAuth.PartnerSignature, Request = typeof(ErpStockUpdate), Response = typeof(ErpStockUpdateResult),
        Headers = [PartnerSignature.PartnerIdHeader, PartnerSignature.TimestampHeader, PartnerSignature.NonceHeader, PartnerSignature.SignatureHeader])]
    public async Task<IActionResult> ErpStockWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/erp/stock")] HttpRequest req)
    {
        var request = await req.ReadVerifiedPartnerRequestAsync(verifier);
        var update = request.ReadJson<ErpStockUpdate>();
        return Api.Ok(await stock.ApplyAsync(request.Partner, update, req.HttpContext.RequestAborted));
    }
}
