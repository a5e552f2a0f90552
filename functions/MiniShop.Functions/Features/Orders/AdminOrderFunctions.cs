using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Domain.Identity;
using MiniShop.Domain.Orders;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Orders;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Functions.Features.Orders;

/// <summary>Operators: a shop's orders, shipping, refund decisions. Every call checks the role and the shop.</summary>
public sealed class AdminOrderFunctions(OrderQueries queries, OrderCommands commands, RefundService refunds, OrderLifecycleClients lifecycles, IFieldEncryptor encryptor)
{
    [Function(nameof(AdminListOrders))]
    [ApiOperation("Admin orders", "A shop's orders, newest first; q matches the start of an order id", Auth = ApiAuth.Admin, Response = typeof(OrderListView),
        Query = ["shopId:required", "status", "q", "cursor", "take:1-50, default 20"])]
    public async Task<IActionResult> AdminListOrders([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/orders")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId") ?? throw Domain.Common.ValidationException.For("shopId", "is required.");
        req.Caller().RequireAdmin(AdminPermission.OrdersRead, shopId);
        OrderStatus? status = req.QueryValue("status") is null ? null : req.QueryEnum("status", OrderStatus.PendingPayment);
        var page = await queries.ForShopAsync(shopId, status, req.QueryValue("q"), req.QueryValue("cursor"), req.QueryInt("take", 20), req.HttpContext.RequestAborted);
        var full = req.Caller().Roles.Any(r => AdminPermissions.RoleGrants(r, AdminPermission.OrdersWrite));
        return Api.Ok(new OrderListView(page.Items.Select(o => OrderView.From(o, encryptor, full)).ToList(), page.NextCursor));
    }

    [Function(nameof(AdminGetOrder))]
    [ApiOperation("Admin orders", "An order with its timeline", Auth = ApiAuth.Admin, Response = typeof(OrderView))]
    public async Task<IActionResult> AdminGetOrder([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/orders/{id}")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.OrdersRead);
        var order = await queries.FindAnyAsync(id, req.HttpContext.RequestAborted);
        req.Caller().RequireAdmin(AdminPermission.OrdersRead, order.ShopId);
        var full = req.Caller().Roles.Any(r => AdminPermissions.RoleGrants(r, AdminPermission.OrdersWrite));
        return Api.Ok(OrderView.From(order, encryptor, full));
    }

    [Function(nameof(AdminShipOrder))]
    [ApiOperation("Admin orders", "Ship an order: carrier and tracking number", Auth = ApiAuth.Admin, Request = typeof(ShipRequest), Response = typeof(OrderView))]
    public async Task<IActionResult> AdminShipOrder([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/orders/{id}/ship")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable)
    {
        var ct = req.HttpContext.RequestAborted;
        var operatorId = req.Caller().RequireAdmin(AdminPermission.OrdersWrite);
        var order = await queries.FindAnyAsync(id, ct);
        req.Caller().RequireAdmin(AdminPermission.OrdersWrite, order.ShopId);
        var shipped = await commands.ShipAsync(order.MemberId, id, await req.ReadJsonAsync<ShipRequest>(), operatorId, ct);
        await lifecycles.For(durable).RaiseAsync(id, LifecycleEvents.Shipped, operatorId, ct);
        return Api.Ok(OrderView.From(shipped, encryptor, true));
    }

    [Function(nameof(AdminListRefunds))]
    [ApiOperation("Admin orders", "A shop's open refunds", Auth = ApiAuth.Admin, Response = typeof(RefundListView), Query = ["shopId:required"])]
    public async Task<IActionResult> AdminListRefunds([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/refunds")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId") ?? throw Domain.Common.ValidationException.For("shopId", "is required.");
        req.Caller().RequireAdmin(AdminPermission.RefundsDecide, shopId);
        return Api.Ok(new RefundListView(await queries.OpenRefundsForShopAsync(shopId, req.HttpContext.RequestAborted)));
    }

    [Function(nameof(AdminApproveRefund))]
    [ApiOperation("Admin orders", "Approve a refund: it is sent to WeChat Pay", Auth = ApiAuth.Admin, Request = typeof(DecisionRequest), Response = typeof(Refund))]
    public Task<IActionResult> AdminApproveRefund([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/refunds/{id}/approve")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable) => DecideAsync(req, id, true, durable);

    [Function(nameof(AdminRejectRefund))]
    [ApiOperation("Admin orders", "Reject a refund, with a reason", Auth = ApiAuth.Admin, Request = typeof(DecisionRequest), Response = typeof(Refund))]
    public Task<IActionResult> AdminRejectRefund([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/refunds/{id}/reject")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient durable) => DecideAsync(req, id, false, durable);

    [Function(nameof(AdminRefundGoodsReceived))]
    [ApiOperation("Admin orders", "The returned goods arrived: they go back on sale", Auth = ApiAuth.Admin, Response = typeof(Refund))]
    public async Task<IActionResult> AdminRefundGoodsReceived([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/refunds/{id}/goods-received")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.OrdersWrite);
        var refund = (await refunds.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        req.Caller().RequireAdmin(AdminPermission.OrdersWrite, refund.ShopId);
        return Api.Ok(await refunds.GoodsReceivedAsync(id, req.HttpContext.RequestAborted));
    }

    private async Task<IActionResult> DecideAsync(HttpRequest req, string id, bool approve, DurableTaskClient durable)
    {
        var ct = req.HttpContext.RequestAborted;
        var operatorId = req.Caller().RequireAdmin(AdminPermission.RefundsDecide);
        var refund = (await refunds.GetAsync(id, ct)).Value;
        req.Caller().RequireAdmin(AdminPermission.RefundsDecide, refund.ShopId);
        var body = await req.ReadJsonOrDefaultAsync(new DecisionRequest(null));
        var decided = await refunds.DecideAsync(id, approve, operatorId, body.Reason, ct);
        await lifecycles.For(durable).RaiseAsync(id, LifecycleEvents.RefundDecided, approve ? "approved" : "rejected", ct);
        return Api.Ok(decided);
    }
}
