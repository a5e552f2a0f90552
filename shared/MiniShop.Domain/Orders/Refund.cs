using MiniShop.Domain.Common;

namespace MiniShop.Domain.Orders;

public enum RefundStatus { Requested, Approved, Rejected, Processing, Succeeded, Failed }

public sealed record RefundLine(string LineId, string SkuId, string ProductId, int Quantity, long AmountFen);

/// <summary>
/// The share of a refund taken from one payment. A presale order paid twice (deposit, balance) is refunded from both,
/// in proportion to what each paid; every part has its own fixed out_refund_no.
/// </summary>
public sealed record RefundPart(string OutRefundNo, string PaymentOrderId, long AmountFen);

/// <summary>
/// An after-sales refund of some lines (or all) of one shop order. Its id is the out_refund_no WeChat Pay knows, fixed
/// at creation, so however often the refund is retried WeChat refunds it once. Transitions are guarded here.
/// </summary>
public sealed record Refund(
    string Id,
    string MemberId,
    string OrderId,
    string ShopId,
    string PaymentOrderId,
    IReadOnlyList<RefundLine> Lines,
    long ShippingFen,
    long AmountFen,
    string Reason,
    bool ReturnGoods,
    RefundStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    IReadOnlyList<OrderEvent> Timeline,
    long Version,
    string? WeChatRefundId = null,
    bool GoodsReceived = false,
    IReadOnlyList<RefundPart>? Parts = null)
{
    public string Type => "refund";

    public bool IsOpen => Status is RefundStatus.Requested or RefundStatus.Approved or RefundStatus.Processing;

    public Refund Approve(DateTimeOffset at, string actor, string? note) => Move(RefundStatus.Requested, RefundStatus.Approved, at, "approved", actor, note);

    public Refund Reject(DateTimeOffset at, string actor, string reason) => Move(RefundStatus.Requested, RefundStatus.Rejected, at, "rejected", actor, reason);

    public Refund StartProcessing(DateTimeOffset at) => Move(RefundStatus.Approved, RefundStatus.Processing, at, "refund sent to WeChat Pay", "system", null);

    public Refund Succeed(DateTimeOffset at, string? wechatRefundId) => Move(RefundStatus.Processing, RefundStatus.Succeeded, at, "refunded", "wechatpay", null) with { WeChatRefundId = wechatRefundId };

    public Refund Fail(DateTimeOffset at, string reason) => Move(RefundStatus.Processing, RefundStatus.Failed, at, "refund failed", "wechatpay", reason);

    private Refund Move(RefundStatus from, RefundStatus to, DateTimeOffset at, string action, string actor, string? reason)
    {
        if (Status != from) throw new ConflictException("refund_state", $"The refund is {Status}; it must be {from} to be {action}.");
        return this with { Status = to, Timeline = [.. Timeline, new OrderEvent(at, action, actor, reason)], Version = Version + 1 };
    }

    /// <summary>
    /// What refunding <paramref name="quantity"/> more units of a line returns, exact to the fen: the cumulative share
    /// floor(payable x refunded / quantity) minus what earlier refunds returned, so the refunds of a line always add up
    /// to exactly what was paid for it once every unit is back.
    /// </summary>
    /// <summary>
    /// Splits <paramref name="amountFen"/> between the deposit and the balance of a presale order in proportion to what each
    /// paid (the balance share rounded down, the deposit takes the rest), never more from either than it paid.
    /// </summary>
    public static IReadOnlyList<RefundPart> SplitPresale(string refundId, long amountFen, PresaleTerms terms)
    {
        var balance = terms.BalanceFen ?? 0;
        var fromBalance = Math.Min(balance, amountFen * balance / Math.Max(1, terms.DepositFen + balance));
        var fromDeposit = Math.Min(terms.DepositFen, amountFen - fromBalance);
        fromBalance = amountFen - fromDeposit;
        var parts = new List<RefundPart>();
        if (fromDeposit > 0) parts.Add(new RefundPart(refundId + "D", terms.DepositPaymentOrderId, fromDeposit));
        if (fromBalance > 0) parts.Add(new RefundPart(refundId + "B", terms.BalancePaymentOrderId!, fromBalance));
        return parts;
    }

    public static long LineAmount(OrderLine line, int quantity, int alreadyRefunded)
        => line.PayableFen * (alreadyRefunded + quantity) / line.Quantity - line.PayableFen * alreadyRefunded / line.Quantity;
}
