using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;
using Microsoft.DurableTask.Client;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.Checkout;

/// <summary>The confirm page and placing the orders. Prices are always computed here; a client total is never trusted.</summary>
public sealed class CheckoutFunctions(CheckoutService checkout, OrderLifecycleClients lifecycles)
{
    [Function(nameof(PreviewCheckout))]
    [ApiOperation("Checkout", "Price the selected cart lines (or the given items): per-shop groups, every discount and its source, shipping, points, total",
        Auth = ApiAuth.Member, Request = typeof(CheckoutRequest), Response = typeof(CheckoutPreview))]
    public async Task<IActionResult> PreviewCheckout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "checkout/preview")] HttpRequest req)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<CheckoutRequest>();
        return Api.Ok(await checkout.PreviewAsync(memberId, body, req.HttpContext.RequestAborted));
    }

    [Function(nameof(PlaceCheckout))]
    [ApiOperation("Checkout", "Place the orders: one per shop plus one payment order; stock reserved, coupons and points locked. Repeat-safe by Idempotency-Key",
        Auth = ApiAuth.Member, Request = typeof(CheckoutRequest), Response = typeof(CheckoutResult), SuccessStatus = 201, Headers = ["Idempotency-Key"])]
    public async Task<IActionResult> PlaceCheckout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "checkout")] HttpRequest req,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<CheckoutRequest>();
        var (result, created) = await checkout.PlaceAsync(memberId, req.Headers["Idempotency-Key"].ToString(), body, lifecycles.For(durable), req.HttpContext.RequestAborted);
        return created
            ? Api.Created(result, $"/api/payments/{result.PaymentOrderId}")
            : Api.Ok(result).WithHeader("Idempotent-Replayed", "true");
    }
}
