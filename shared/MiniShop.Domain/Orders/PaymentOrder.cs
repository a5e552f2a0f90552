using MiniShop.Domain.Common;

namespace MiniShop.Domain.Orders;

public enum PaymentStatus { Pending, Paid, Closed }

/// <summary>What a presale order's lines and amounts become once its balance payment is paid (priced when it was created).</summary>
public sealed record PresaleBalancePlan(string OrderId, IReadOnlyList<OrderLine> Lines, OrderAmounts Amounts);

/// <summary>What a payment pays for: a whole checkout, or a presale's deposit or balance.</summary>
public enum PaymentPurpose { Full, Deposit, Balance }

/// <summary>
/// One payment covering every shop order of a checkout (WeChat combined payment when there are several shops).
/// Its id is the out_trade_no WeChat Pay knows.
/// </summary>
public sealed record PaymentOrder(
    string Id,
    string MemberId,
    IReadOnlyList<string> OrderIds,
    long AmountFen,
    PaymentStatus Status,
    IReadOnlyList<string> CouponIds,
    long PointsUsed,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    long Version,
    string? TransactionId = null,
    DateTimeOffset? PaidAt = null,
    DateTimeOffset? ClosedAt = null,
    string? CloseReason = null,
    PaymentPurpose Purpose = PaymentPurpose.Full,
    PresaleBalancePlan? Balance = null)
{
    public string Type => "payment-order";

    /// <summary>The deadline as a number, so the reconciliation can find payments near it with one indexed query.</summary>
    public long ExpiresAtTs => ExpiresAt.ToUnixTimeSeconds();

    public PaymentOrder MarkPaid(string transactionId, DateTimeOffset at)
    {
        if (Status != PaymentStatus.Pending) throw new ConflictException("payment_state", $"The payment is {Status}; only a pending payment can be paid.");
        return this with { Status = PaymentStatus.Paid, TransactionId = transactionId, PaidAt = at, Version = Version + 1 };
    }

    public PaymentOrder Close(DateTimeOffset at, string reason)
    {
        if (Status != PaymentStatus.Pending) throw new ConflictException("payment_state", $"The payment is {Status}; only a pending payment can be closed.");
        return this with { Status = PaymentStatus.Closed, ClosedAt = at, CloseReason = reason, Version = Version + 1 };
    }
}
