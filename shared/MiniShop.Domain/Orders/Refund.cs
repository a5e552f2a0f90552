using MiniShop.Domain.Common;

namespace MiniShop.Domain.Orders;

public enum RefundStatus { Requested, Approved, Rejected, Processing, Succeeded, Failed }

public sealed record RefundLine(string LineId, string SkuId, string ProductId, int Quantity, long AmountFen);

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
    bool GoodsReceived = false)
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
    public static long LineAmount(OrderLine line, int quantity, int alreadyRefunded)
        => line.PayableFen * (alreadyRefunded + quantity) / line.Quantity - line.PayableFen * alreadyRefunded / line.Quantity;
}
