using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Orders;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Functions.Features.Orders;

/// <summary>The shopper's orders: list, detail with timeline, cancel while unpaid, confirm receipt, ask for a refund.</summary>
public sealed class OrderFunctions(
    OrderQueries queries, PaymentDocuments docs, PaymentSettlement settlement, OrderCommands commands, RefundService refunds,
    OrderLifecycleClients lifecycles, IFieldEncryptor encryptor)
{
    [Function(nameof(ListOrders))]
    [ApiOperation("Orders", "The caller's orders, newest first", Auth = ApiAuth.Member, Response = typeof(OrderListView),
        Query = ["status:pendingPayment, awaitingShipment, shipped, delivered, completed, cancelled, closed", "cursor", "take:1-50, default 20"])]
    public async Task<IActionResult> ListOrders([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders")] HttpRequest req)
    {
        var memberId = req.Caller().RequireMember();
        OrderStatus? status = req.QueryValue("status") is null ? null : req.QueryEnum("status", OrderStatus.PendingPayment);
        var page = await queries.ForMemberAsync(memberId, status, req.QueryValue("cursor"), req.QueryInt("take", 20), req.HttpContext.RequestAborted);
        return Api.Ok(new OrderListView(page.Items.Select(o => OrderView.From(o, encryptor, true)).ToList(), page.NextCursor));
    }

    [Function(nameof(GetOrder))]
    [ApiOperation("Orders", "One of the caller's orders with its timeline", Auth = ApiAuth.Member, Response = typeof(OrderView))]
    public async Task<IActionResult> GetOrder([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{id}")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        var order = await docs.FindOrderAsync(memberId, id, req.HttpContext.RequestAborted) ?? throw new NotFoundException("Order", id);
        return Api.Ok(OrderView.From(order.Value, encryptor, true));
    }

    [Function(nameof(CancelOrder))]
    [ApiOperation("Orders", "Cancel an unpaid order (with the other shops' orders of the same payment): stock, coupons and points return",
        Auth = ApiAuth.Member, Response = typeof(OrderView))]
    public async Task<IActionResult> CancelOrder([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{id}/cancel")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var order = await docs.FindOrderAsync(memberId, id, ct) ?? throw new NotFoundException("Order", id);
        var outcome = await settlement.CloseUnpaidAsync(memberId, order.Value.PaymentOrderId, memberId, "cancelled by the shopper", ct);
        if (outcome == CloseOutcome.AlreadyPaid) throw new ConflictException("already_paid", "The order is paid; ask for a refund instead.");
        await settlement.ReleaseClosedAsync(memberId, order.Value.PaymentOrderId, ct);
        await lifecycles.For(durable).RaiseAsync(order.Value.PaymentOrderId, LifecycleEvents.PaymentClosed, "shopper", ct);
        return Api.Ok(OrderView.From((await docs.FindOrderAsync(memberId, id, ct))!.Value, encryptor, true));
    }

    [Function(nameof(ConfirmReceipt))]
    [ApiOperation("Orders", "Confirm receipt of a shipped order", Auth = ApiAuth.Member, Response = typeof(OrderView))]
    public async Task<IActionResult> ConfirmReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{id}/confirm-receipt")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var order = await commands.ConfirmDeliveryAsync(memberId, id, memberId, "receipt confirmed by the shopper", req.HttpContext.RequestAborted);
        await lifecycles.For(durable).RaiseAsync(id, LifecycleEvents.Delivered, "shopper", req.HttpContext.RequestAborted);
        return Api.Ok(OrderView.From(order, encryptor, true));
    }

    [Function(nameof(RequestRefund))]
    [ApiOperation("Orders", "Ask for a refund of the whole order or some lines; the amounts come from what was paid for each line",
        Auth = ApiAuth.Member, Request = typeof(RefundDraft), Response = typeof(Refund), SuccessStatus = 201)]
    public async Task<IActionResult> RequestRefund([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{id}/refunds")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var refund = await refunds.RequestAsync(memberId, id, await req.ReadJsonAsync<RefundDraft>(), req.HttpContext.RequestAborted);
        await lifecycles.For(durable).StartRefundAsync(refund, req.HttpContext.RequestAborted);
        return Api.Created(refund, $"/api/orders/{id}/refunds");
    }

    [Function(nameof(GetOrderLogistics))]
    [ApiOperation("Orders", "The parcel's journey: carrier, tracking number and every update", Auth = ApiAuth.Member, Response = typeof(LogisticsView))]
    public async Task<IActionResult> GetOrderLogistics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{id}/logistics")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        var order = (await docs.FindOrderAsync(memberId, id, req.HttpContext.RequestAborted) ?? throw new NotFoundException("Order", id)).Value;
        return Api.Ok(new LogisticsView(order.Id, order.Shipment, (order.Logistics ?? []).OrderByDescending(e => e.At).ToList()));
    }

    [Function(nameof(ListOrderRefunds))]
    [ApiOperation("Orders", "The refunds of one of the caller's orders", Auth = ApiAuth.Member, Response = typeof(RefundListView))]
    public async Task<IActionResult> ListOrderRefunds([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{id}/refunds")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        _ = await docs.FindOrderAsync(memberId, id, req.HttpContext.RequestAborted) ?? throw new NotFoundException("Order", id);
        return Api.Ok(new RefundListView(await refunds.RefundsOfAsync(memberId, id, req.HttpContext.RequestAborted)));
    }
}
