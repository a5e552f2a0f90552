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
    Inventory.StockReservations stock,
    Fulfilment.FulfilmentService fulfilment,
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

    /// <summary>A payment order of 0 fen: confirmed as paid without WeChat Pay (which refuses a zero amount). Idempotent.</summary>
    public async Task<PaymentState> ConfirmFreePaymentAsync(PaymentRef p, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(p.MemberId, p.PaymentOrderId, ct)).Value;
        if (payment.Status == PaymentStatus.Pending && payment.AmountFen == 0)
            await settlement.ConfirmPaidAsync(PaymentConfirmation.NothingToPay(payment.Id, time.GetUtcNow()), ct);
        return await StateAsync(p, ct);
    }

    public async Task<PaymentState> ClosePaymentAsync(PaymentRef p, CancellationToken ct)
    {
        await settlement.CloseUnpaidAsync(p.MemberId, p.PaymentOrderId, "system", "not paid in time", ct);
        return await StateAsync(p, ct);
    }

    /// <summary>Settles a paid payment and says what each order does next: ship, or (after a presale deposit) wait for the balance.</summary>
    public async Task<PaymentState> SettlePaidPaymentAsync(PaymentRef p, CancellationToken ct)
    {
        var signals = await settlement.SettlePaidAsync(p.MemberId, p.PaymentOrderId, ct);
        var state = await StateAsync(p, ct);
        var payment = (await docs.GetPaymentAsync(p.MemberId, p.PaymentOrderId, ct)).Value;
        var next = new List<OrderNext>();
        foreach (var order in await docs.OrdersAsync(p.MemberId, payment.OrderIds, ct))
        {
            var o = order.Value;
            next.Add(payment.Purpose == PaymentPurpose.Deposit && o.Presale is { } terms
                ? new OrderNext(o.Id, LifecycleNames.PresaleLifecycle, new PresaleLifecycleInput(o.Id, o.MemberId, terms.BalanceStartsAt.UtcDateTime, terms.BalanceEndsAt.UtcDateTime))
                : new OrderNext(o.Id, LifecycleNames.ShopOrderLifecycle, BalancePaid: payment.Purpose == PaymentPurpose.Balance));
        }
        return state with { Next = next, Signals = signals.Count == 0 ? null : signals };
    }

    /// <summary>The balance window opened: the member is told (a timeline entry the mini-program shows; a subscribe message hook).</summary>
    public async Task<bool> NotifyBalanceDueAsync(OrderRef o, CancellationToken ct)
    {
        var order = await docs.FindOrderAsync(o.MemberId, o.OrderId, ct) ?? throw new NotFoundException("Order", o.OrderId);
        if (order.Value.Status != OrderStatus.AwaitingBalance || order.Value.Timeline.Any(e => e.Action == "balance due")) return false;
        await orders.ChangeAsync(o.MemberId, o.OrderId, x => x.Timeline.Any(e => e.Action == "balance due"),
            x => x.Note(time.GetUtcNow(), "balance due", "system", $"pay the balance by {x.Presale!.BalanceEndsAt:yyyy-MM-dd HH:mm} UTC"), ct);
        return true;
    }

    /// <summary>The balance window closed unpaid: the deposit is forfeited or refunded, and the units go back on sale. Idempotent.</summary>
    public async Task<string> ForfeitDepositAsync(OrderRef o, CancellationToken ct)
    {
        var order = await docs.FindOrderAsync(o.MemberId, o.OrderId, ct) ?? throw new NotFoundException("Order", o.OrderId);
        if (order.Value.Status != OrderStatus.AwaitingBalance && order.Value.Status != OrderStatus.Closed) return "balancePaid";
        var terms = order.Value.Presale!;
        var closed = await orders.ChangeAsync(o.MemberId, o.OrderId, x => x.Status == OrderStatus.Closed,
            x => x.ForfeitDeposit(time.GetUtcNow(), terms.DepositRefundable), ct);
        if (closed.Status != OrderStatus.Closed) return "balancePaid";
        if (terms.DepositRefundable)
            await wechat.RefundAsync(terms.DepositPaymentOrderId, "DP" + o.OrderId[..Math.Min(30, o.OrderId.Length)], terms.DepositFen, terms.DepositFen, "预售尾款未付，退还定金", ct);
        await stock.ReturnUnitsAsync($"forfeit-{o.OrderId}", closed.Lines.Select(l => new Inventory.StockRequest(l.ProductId, l.SkuId, l.Quantity)).ToList(),
            "presale balance not paid", ct);
        return terms.DepositRefundable ? "depositRefunded" : "depositForfeited";
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

    public async Task<string> GetOrderStatusAsync(OrderRef o, CancellationToken ct)
    {
        var order = await docs.FindOrderAsync(o.MemberId, o.OrderId, ct) ?? throw new NotFoundException("Order", o.OrderId);
        return System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(order.Value.Status.ToString());
    }

    public Task<bool> UploadShippingInfoAsync(OrderRef o, CancellationToken ct) => fulfilment.UploadShippingInfoAsync(o.MemberId, o.OrderId, ct);

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
