using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Payments;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// The work behind each lifecycle activity. Everything is idempotent: an activity retried after a crash, or racing a
/// webhook or an operator, finds the change already made and returns the current state.
/// </summary>
public sealed class OrderLifecycleActivities(
    PaymentDocuments docs,
    PaymentSettlement settlement,
    WeChatPayGateway wechat,
    OrderCommands orders,
    RefundService refunds,
    TimeProvider time)
{
    /// <summary>Near the deadline: asks WeChat Pay whether a still-pending payment was in fact paid.</summary>
    public async Task<PaymentState> ReconcilePaymentAsync(PaymentRef p, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(p.MemberId, p.PaymentOrderId, ct)).Value;
        if (payment.Status == PaymentStatus.Pending)
        {
            var state = await wechat.QueryAsync(payment, ct);
            if (state.Paid)
                await settlement.ConfirmPaidAsync(new PaymentConfirmation(payment.Id, state.TransactionId ?? "unknown", state.AmountFen,
                    state.PaidAt ?? time.GetUtcNow(), "reconciliation", state.AppId, state.MchId), ct);
        }
        return await StateAsync(p, ct);
    }

    public async Task<PaymentState> ClosePaymentAsync(PaymentRef p, CancellationToken ct)
    {
        await settlement.CloseUnpaidAsync(p.MemberId, p.PaymentOrderId, "system", "not paid in time", ct);
        return await StateAsync(p, ct);
    }

    public async Task<PaymentState> SettlePaidPaymentAsync(PaymentRef p, CancellationToken ct)
    {
        await settlement.SettlePaidAsync(p.MemberId, p.PaymentOrderId, ct);
        return await StateAsync(p, ct);
    }

    public Task ReleaseClosedPaymentAsync(PaymentRef p, CancellationToken ct) => settlement.ReleaseClosedAsync(p.MemberId, p.PaymentOrderId, ct);

    public async Task<bool> AutoConfirmDeliveryAsync(OrderRef o, CancellationToken ct)
    {
        var order = await docs.FindOrderAsync(o.MemberId, o.OrderId, ct) ?? throw new NotFoundException("Order", o.OrderId);
        if (order.Value.Status != OrderStatus.Shipped) return false; // delivered already, or closed by a refund
        await orders.ConfirmDeliveryAsync(o.MemberId, o.OrderId, "system", "auto-confirmed: not confirmed in time", ct);
        return true;
    }

    public async Task<bool> CompleteOrderAsync(OrderRef o, CancellationToken ct)
    {
        var order = await docs.FindOrderAsync(o.MemberId, o.OrderId, ct) ?? throw new NotFoundException("Order", o.OrderId);
        if (order.Value.Status != OrderStatus.Delivered) return false;
        await orders.CompleteAsync(o.MemberId, o.OrderId, ct);
        return true;
    }

    /// <summary>The decision is due and the merchant has not answered: approved automatically (a decision already made stands).</summary>
    public async Task<string> AutoApproveRefundAsync(RefundRef r, CancellationToken ct)
    {
        var refund = (await refunds.GetAsync(r.RefundId, ct)).Value;
        if (refund.Status == RefundStatus.Requested)
            refund = await refunds.DecideAsync(r.RefundId, approve: true, "system", "approved automatically: no decision in time", ct);
        return refund.Status == RefundStatus.Rejected ? "rejected" : "approved";
    }

    public async Task<string> ExecuteRefundAsync(RefundRef r, CancellationToken ct) => StatusOf(await refunds.ExecuteAsync(r.RefundId, ct));

    public async Task<string> ReconcileRefundAsync(RefundRef r, CancellationToken ct) => StatusOf(await refunds.ReconcileAsync(r.RefundId, ct));

    public async Task<bool> IsOrderClosedAsync(OrderRef o, CancellationToken ct)
        => (await docs.FindOrderAsync(o.MemberId, o.OrderId, ct))?.Value.Status == OrderStatus.Closed;

    public static string StatusOf(Refund refund) => refund.Status switch
    {
        RefundStatus.Succeeded => "succeeded",
        RefundStatus.Failed => "failed",
        RefundStatus.Rejected => "rejected",
        _ => "processing",
    };

    private async Task<PaymentState> StateAsync(PaymentRef p, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(p.MemberId, p.PaymentOrderId, ct)).Value;
        var state = payment.Status switch { PaymentStatus.Paid => PaymentState.Paid, PaymentStatus.Closed => PaymentState.Closed, _ => PaymentState.Pending };
        return new PaymentState(state, payment.OrderIds);
    }
}
