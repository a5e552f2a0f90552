using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Fulfilment;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Functions.Features.Fulfilment;

public sealed record ShipmentAccepted(string OrderId, string Status);

/// <summary>The warehouse (WMS) and carriers: shipments and parcel updates, HMAC-signed per partner.</summary>
public sealed class WmsWebhookFunctions(PartnerRequestVerifier verifier, FulfilmentService fulfilment, OrderLifecycleClients lifecycles)
{
    [Function(nameof(WmsShipmentWebhook))]
    [ApiOperation("Partner webhooks", "Shipment created by the WMS: the order is shipped (carrier + tracking number)", Auth = ApiAuth.PartnerSignature,
        Request = typeof(ShipmentNotice), Response = typeof(ShipmentAccepted),
        Headers = [PartnerSignature.PartnerIdHeader, PartnerSignature.TimestampHeader, PartnerSignature.NonceHeader, PartnerSignature.SignatureHeader])]
    public async Task<IActionResult> WmsShipmentWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/wms/shipments")] HttpRequest req,
        [DurableClient] DurableTaskClient durable)
    {
        var request = await req.ReadVerifiedPartnerRequestAsync(verifier);
        var order = await fulfilment.RecordShipmentAsync(request.Partner, request.ReadJson<ShipmentNotice>(), req.HttpContext.RequestAborted);
        await lifecycles.For(durable).RaiseAsync(order.Id, LifecycleEvents.Shipped, request.Partner.PartnerId, req.HttpContext.RequestAborted);
        return Api.Ok(new ShipmentAccepted(order.Id, Features.Orders.OrderView.Camel(order.Status)));
    }

    [Function(nameof(LogisticsWebhook))]
    [ApiOperation("Partner webhooks", "Parcel updates from the carrier or WMS: they join the order's trace; \"delivered\" confirms delivery", Auth = ApiAuth.PartnerSignature,
        Request = typeof(LogisticsNotice), Response = typeof(ShipmentAccepted),
        Headers = [PartnerSignature.PartnerIdHeader, PartnerSignature.TimestampHeader, PartnerSignature.NonceHeader, PartnerSignature.SignatureHeader])]
    public async Task<IActionResult> LogisticsWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/wms/logistics")] HttpRequest req,
        [DurableClient] DurableTaskClient durable)
    {
        var request = await req.ReadVerifiedPartnerRequestAsync(verifier);
        var (order, delivered) = await fulfilment.RecordLogisticsAsync(request.Partner, request.ReadJson<LogisticsNotice>(), req.HttpContext.RequestAborted);
        if (delivered) await lifecycles.For(durable).RaiseAsync(order.Id, LifecycleEvents.Delivered, "carrier", req.HttpContext.RequestAborted);
        return Api.Ok(new ShipmentAccepted(order.Id, Features.Orders.OrderView.Camel(order.Status)));
    }
}
