using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Domain.Common;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.FlashSales;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.FlashSales;

/// <summary>
/// Shoppers and flash sales: what is on (served from memory, refreshed about once a second), the confirm page and
/// buying. Buying answers fast and clearly: 201 with the payment order, 409 sold_out / limit_reached /
/// flash_sale_not_running, 429 with Retry-After when one member fires too many requests.
/// </summary>
public sealed class FlashSaleFunctions(FlashSaleCatalog catalog, FlashSaleCheckout purchases, OrderLifecycleClients lifecycles)
{
    [Function(nameof(CurrentFlashSales))]
    [ApiOperation("Flash sales", "Running and upcoming sessions with their items, flash prices and remaining stock (at most a second or two old)",
        Response = typeof(CurrentFlashSales))]
    public async Task<IActionResult> CurrentFlashSales([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "flash-sales/current")] HttpRequest req)
        => Api.Ok(await catalog.CurrentAsync(req.HttpContext.RequestAborted)).WithHeader("Cache-Control", "public, max-age=1");

    [Function(nameof(GetFlashSale))]
    [ApiOperation("Flash sales", "One session with its items and remaining stock", Response = typeof(FlashSaleView))]
    public async Task<IActionResult> GetFlashSale([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "flash-sales/{sessionId}")] HttpRequest req, string sessionId)
        => Api.Ok(await catalog.ViewAsync(sessionId, req.HttpContext.RequestAborted) ?? throw new NotFoundException("Flash sale", sessionId));

    [Function(nameof(PreviewFlashSaleOrder))]
    [ApiOperation("Flash sales", "Price a flash-sale purchase (flash price, coupons where the item allows them, shipping, total) without taking stock",
        Auth = ApiAuth.Member, Request = typeof(FlashPurchaseRequest), Response = typeof(CheckoutPreview))]
    public async Task<IActionResult> PreviewFlashSaleOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flash-sales/{sessionId}/items/{itemId}/preview")] HttpRequest req, string sessionId, string itemId)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<FlashPurchaseRequest>();
        return Api.Ok(await purchases.PreviewAsync(memberId, sessionId, itemId, body, req.HttpContext.RequestAborted));
    }

    [Function(nameof(BuyFlashSaleItem))]
    [ApiOperation("Flash sales", "Buy a flash-sale item: limit checked, units taken from the sale's shards, order placed with a short payment deadline. Repeat-safe by Idempotency-Key",
        Auth = ApiAuth.Member, Request = typeof(FlashPurchaseRequest), Response = typeof(CheckoutResult), SuccessStatus = 201, Headers = ["Idempotency-Key"])]
    public async Task<IActionResult> BuyFlashSaleItem(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flash-sales/{sessionId}/items/{itemId}/orders")] HttpRequest req, string sessionId, string itemId,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<FlashPurchaseRequest>();
        var (result, created) = await purchases.BuyAsync(memberId, sessionId, itemId, req.Headers["Idempotency-Key"].ToString(), body,
            lifecycles.For(durable), req.HttpContext.RequestAborted);
        return created
            ? Api.Created(result, $"/api/payments/{result.PaymentOrderId}")
            : Api.Ok(result).WithHeader("Idempotent-Replayed", "true");
    }
}
