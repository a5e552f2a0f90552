using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.Payments;

/// <summary>A payment WeChat Pay reports (notification, query or sandbox).</summary>
public sealed record PaymentConfirmation(string PaymentOrderId, string TransactionId, long AmountFen, DateTimeOffset PaidAt, string Source, string? AppId = null, string? MchId = null)
{
    public const string NothingToPaySource = "nothing-to-pay";

    /// <summary>A payment order of 0 fen, paid by nobody: the transaction id says so.</summary>
    public static PaymentConfirmation NothingToPay(string paymentOrderId, DateTimeOffset at) => new(paymentOrderId, "FREE-" + paymentOrderId, 0, at, NothingToPaySource);

    public string Actor => Source == NothingToPaySource ? "system" : $"wechatpay:{Source}";
}

public enum ConfirmOutcome { Applied, AlreadyPaid, LatePaymentRefunded, Rejected }

public enum CloseOutcome { Closed, AlreadyClosed, AlreadyPaid }

/// <summary>
/// The money state machine of a payment order and its shop orders, in the member's partition. Each change is one
/// transactional batch guarded by ETags, so concurrent copies of a notification, a timeout and a shopper's cancel
/// resolve to exactly one outcome. The follow-ups (stock, coupons, points) are idempotent and may run any number of times.
/// </summary>
public sealed class PaymentSettlement(
    PaymentIndex index,
    PaymentDocuments docs,
    WeChatPayGateway wechat,
    StockHolds stock,
    IEnumerable<IOrderActivityHooks> hooks,
    CouponWallet coupons,
    TimeProvider time,
    ILogger<PaymentSettlement> log)
{
    public async Task<(ConfirmOutcome Outcome, string? MemberId)> ConfirmPaidAsync(PaymentConfirmation c, CancellationToken ct)
    {
        var entry = await index.FindAsync(c.PaymentOrderId, ct);
        if (entry is null)
        {
            log.LogWarning("Security: payment confirmation for unknown out_trade_no {OutTradeNo} from {Source}", c.PaymentOrderId, c.Source);
            return (ConfirmOutcome.Rejected, null);
        }
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var payment = await docs.FindPaymentAsync(entry.MemberId, c.PaymentOrderId, ct);
            if (payment is null) return (ConfirmOutcome.Rejected, entry.MemberId);
            if (!Matches(payment.Value, c)) return (ConfirmOutcome.Rejected, entry.MemberId);

            switch (payment.Value.Status)
            {
                case PaymentStatus.Paid:
                    if (payment.Value.TransactionId != c.TransactionId)
                        log.LogWarning("Payment {PaymentOrderId} already paid by {Existing}; ignoring {Other}", c.PaymentOrderId, payment.Value.TransactionId, c.TransactionId);
                    return (ConfirmOutcome.AlreadyPaid, entry.MemberId);
                case PaymentStatus.Closed:
                    await RefundLatePaymentAsync(payment.Value, c, ct);
                    return (ConfirmOutcome.LatePaymentRefunded, entry.MemberId);
            }

            var orders = await docs.OrdersAsync(entry.MemberId, payment.Value.OrderIds, ct);
            var expected = payment.Value.Purpose == PaymentPurpose.Balance ? OrderStatus.AwaitingBalance : OrderStatus.PendingPayment;
            if (orders.Any(o => o.Value.Status is OrderStatus.Closed or OrderStatus.Cancelled))
            {
                // e.g. a balance paid after the presale forfeited the deposit: the money goes back.
                await RefundLatePaymentAsync(payment.Value, c, ct);
                return (ConfirmOutcome.LatePaymentRefunded, entry.MemberId);
            }
            if (orders.Any(o => o.Value.Status != expected)) continue; // read between two writes of a concurrent copy: read again
            var paid = payment.Value.MarkPaid(c.TransactionId, c.PaidAt);
            var batch = docs.Members.CreateTransactionalBatch(new PartitionKey(entry.MemberId))
                .ReplaceItem(paid.Id, paid, new TransactionalBatchItemRequestOptions { IfMatchEtag = payment.ETag });
            foreach (var order in orders)
            {
                var actor = c.Actor;
                var updated = payment.Value.Balance is { } plan
                    ? order.Value.PayBalance(c.PaidAt, actor, paid.Id, paid.AmountFen, plan.Lines, plan.Amounts)
                    : order.Value.Pay(c.PaidAt, actor);
                batch.ReplaceItem(order.Value.Id, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag });
                // ERP/WMS hear of an order when it is to be fulfilled: paid in full, or a presale's balance paid; a group-buy
                // order only once its group forms (the group's lifecycle writes order.paid then).
                if (payment.Value.Purpose != PaymentPurpose.Deposit && updated.Status != OrderStatus.AwaitingGroup)
                    batch.CreateItem(OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, updated, c.PaidAt));
            }
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                log.LogInformation("Payment {PaymentOrderId} paid ({TransactionId}, {Source})", c.PaymentOrderId, c.TransactionId, c.Source);
                return (ConfirmOutcome.Applied, entry.MemberId);
            }
            if (!IsConcurrencyConflict(response)) throw new InvalidOperationException($"Payment batch failed: {response.StatusCode} {response.ErrorMessage}");
        }
        throw new ConflictException("payment_contended", "The payment changed too often; retry.");
    }

    /// <summary>
    /// Closes an unpaid payment order: WeChat first (so it can no longer be paid), then our documents.
    /// When WeChat or a concurrent notification says it was paid, the paid state wins.
    /// </summary>
    public async Task<CloseOutcome> CloseUnpaidAsync(string memberId, string paymentOrderId, string actor, string reason, CancellationToken ct)
    {
        var payment = await docs.GetPaymentAsync(memberId, paymentOrderId, ct);
        if (payment.Value.Status == PaymentStatus.Paid) return CloseOutcome.AlreadyPaid;
        if (payment.Value.Status == PaymentStatus.Closed) return CloseOutcome.AlreadyClosed;

        if (!await wechat.CloseAsync(payment.Value, ct))
        {
            var state = await wechat.QueryAsync(payment.Value, ct);
            if (state.Paid)
            {
                await ConfirmPaidAsync(new PaymentConfirmation(paymentOrderId, state.TransactionId ?? "unknown", state.AmountFen, state.PaidAt ?? time.GetUtcNow(), "close-race"), ct);
                return CloseOutcome.AlreadyPaid;
            }
        }

        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (attempt > 0) payment = await docs.GetPaymentAsync(memberId, paymentOrderId, ct);
            if (payment.Value.Status == PaymentStatus.Paid) return CloseOutcome.AlreadyPaid;
            if (payment.Value.Status == PaymentStatus.Closed) return CloseOutcome.AlreadyClosed;
            var now = time.GetUtcNow();
            var orders = await docs.OrdersAsync(memberId, payment.Value.OrderIds, ct);
            var batch = docs.Members.CreateTransactionalBatch(new PartitionKey(memberId))
                .ReplaceItem(paymentOrderId, payment.Value.Close(now, reason), new TransactionalBatchItemRequestOptions { IfMatchEtag = payment.ETag });
            foreach (var order in orders.Where(o => o.Value.Status == OrderStatus.PendingPayment))
            {
                var cancelled = order.Value.Cancel(now, actor, reason);
                batch.ReplaceItem(order.Value.Id, cancelled, new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag })
                    .CreateItem(OutboxEvent.ForOrder(OutboxEventTypes.OrderCancelled, cancelled, now, reason));
            }
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return CloseOutcome.Closed;
            if (!IsConcurrencyConflict(response)) throw new InvalidOperationException($"Close batch failed: {response.StatusCode} {response.ErrorMessage}");
        }
        throw new ConflictException("payment_contended", "The payment changed too often; retry.");
    }

    /// <summary>
    /// After payment: held stock becomes sold, locked coupons used, locked points spent, campaigns told. Idempotent.
    /// Returns the Durable events the campaigns asked for (the payment lifecycle sends them).
    /// </summary>
    public async Task<IReadOnlyList<LifecycleSignal>> SettlePaidAsync(string memberId, string paymentOrderId, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(memberId, paymentOrderId, ct)).Value;
        if (payment.Status != PaymentStatus.Paid) return [];
        var signals = new List<LifecycleSignal>();
        foreach (var order in await docs.OrdersAsync(memberId, payment.OrderIds, ct))
        {
            await stock.CommitAsync(order.Value, ct);
            if (hooks.For(order.Value) is not { } hook) continue;
            await hook.OnPaidAsync(order.Value, ct);
            signals.AddRange(await hook.SignalsAfterPaidAsync(order.Value, ct));
        }
        await coupons.ConsumeAsync(memberId, payment.Id, ct);
        await MovePointsAsync(memberId, payment, "spend", 0, -payment.PointsUsed, "spent on a paid order", ct);
        return signals;
    }

    /// <summary>After a close: held stock, coupons and points go back. Idempotent.</summary>
    public async Task ReleaseClosedAsync(string memberId, string paymentOrderId, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(memberId, paymentOrderId, ct)).Value;
        if (payment.Status != PaymentStatus.Closed) return;
        foreach (var order in await docs.OrdersAsync(memberId, payment.OrderIds, ct))
        {
            await stock.ReleaseAsync(order.Value, $"payment closed: {payment.CloseReason}", ct);
            if (hooks.For(order.Value) is { } hook) await hook.OnClosedAsync(order.Value, ct);
        }
        await coupons.ReleaseAsync(memberId, payment.Id, ct);
        await MovePointsAsync(memberId, payment, "unlock", payment.PointsUsed, -payment.PointsUsed, "returned from a cancelled order", ct);
    }

    /// <summary>A payment for an order we already cancelled for non-payment: we refund it in full (decided, documented).</summary>
    private async Task RefundLatePaymentAsync(PaymentOrder payment, PaymentConfirmation c, CancellationToken ct)
    {
        log.LogWarning("Payment {PaymentOrderId} arrived after it was closed ({Reason}); refunding {Amount} fen", payment.Id, payment.CloseReason, c.AmountFen);
        if (!WeChatPayGateway.IsCombined(payment))
            await wechat.RefundAsync(payment.Id, LateRefundNo(payment.Id), c.AmountFen, payment.AmountFen, "订单已超时取消，自动退款", ct);
        else
        {
            var orders = await docs.OrdersAsync(payment.MemberId, payment.OrderIds, ct);
            foreach (var order in orders)
                await wechat.RefundAsync(order.Value.Id, LateRefundNo(order.Value.Id), order.Value.Amounts.PayableFen, order.Value.Amounts.PayableFen, "订单已超时取消，自动退款", ct);
        }
        await docs.Members.PatchItemAsync<PaymentOrder>(payment.Id, new PartitionKey(payment.MemberId),
            [PatchOperation.Set("/lateTransactionId", c.TransactionId), PatchOperation.Set("/lateRefundedAt", time.GetUtcNow())], cancellationToken: ct);
    }

    /// <summary>Fixed per payment (or sub order), so a repeated notification asks WeChat for the same refund.</summary>
    public static string LateRefundNo(string outTradeNo) => "LR" + outTradeNo[..Math.Min(outTradeNo.Length, 30)];

    private async Task MovePointsAsync(string memberId, PaymentOrder payment, string action, long available, long locked, string reason, CancellationToken ct)
    {
        if (payment.PointsUsed == 0) return;
        using var response = await docs.Members.CreateTransactionalBatch(new PartitionKey(memberId))
            .MovePoints(memberId, action, payment.Id, available, locked, reason, time.GetUtcNow())
            .ExecuteAsync(ct);
        // 409 on the entry means it was already done: that is the idempotency.
        if (!response.IsSuccessStatusCode && response[0].StatusCode != HttpStatusCode.Conflict)
            throw new InvalidOperationException($"Points batch failed: {response.StatusCode} {response.ErrorMessage}");
    }

    private bool Matches(PaymentOrder payment, PaymentConfirmation c)
    {
        if (c.AmountFen != payment.AmountFen || (c.AppId is not null && c.AppId != wechat.AppId) || (c.MchId is not null && c.MchId != wechat.MchId))
        {
            log.LogWarning("Security: payment confirmation for {PaymentOrderId} does not match (amount {Got} vs {Expected}, appid {AppId}, mchid {MchId}) from {Source}",
                payment.Id, c.AmountFen, payment.AmountFen, c.AppId, c.MchId, c.Source);
            return false;
        }
        return true;
    }

    private static bool IsConcurrencyConflict(TransactionalBatchResponse response)
        => response.Any(r => r.StatusCode == HttpStatusCode.PreconditionFailed);
}
