namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>Names shared by the orchestrations, the Functions host and the in-process host.</summary>
public static class LifecycleNames
{
    public const string PaymentLifecycle = nameof(PaymentLifecycle);
    public const string ShopOrderLifecycle = nameof(ShopOrderLifecycle);
    public const string RefundLifecycle = nameof(RefundLifecycle);
    public const string PresaleLifecycle = nameof(PresaleLifecycle);

    public const string ReconcilePayment = nameof(ReconcilePayment);
    public const string ConfirmFreePayment = nameof(ConfirmFreePayment);
    public const string ClosePayment = nameof(ClosePayment);
    public const string SettlePaidPayment = nameof(SettlePaidPayment);
    public const string ReleaseClosedPayment = nameof(ReleaseClosedPayment);
    public const string AutoConfirmDelivery = nameof(AutoConfirmDelivery);
    public const string CompleteOrder = nameof(CompleteOrder);
    public const string AutoApproveRefund = nameof(AutoApproveRefund);
    public const string ExecuteRefund = nameof(ExecuteRefund);
    public const string ReconcileRefund = nameof(ReconcileRefund);
    public const string IsOrderClosed = nameof(IsOrderClosed);
    public const string GetOrderStatus = nameof(GetOrderStatus);
    public const string NotifyBalanceDue = nameof(NotifyBalanceDue);
    public const string UploadShippingInfo = nameof(UploadShippingInfo);
    public const string ForfeitDeposit = nameof(ForfeitDeposit);
}

/// <summary>External events. The state change is already in Cosmos when one is raised: events only steer the timers.</summary>
public static class LifecycleEvents
{
    public const string PaymentConfirmed = nameof(PaymentConfirmed);
    public const string PaymentClosed = nameof(PaymentClosed);
    public const string Shipped = nameof(Shipped);
    public const string Delivered = nameof(Delivered);
    public const string OrderClosed = nameof(OrderClosed);
    public const string RefundDecided = nameof(RefundDecided);
    public const string RefundSettled = nameof(RefundSettled);
    public const string BalancePaid = nameof(BalancePaid);
}

/// <summary>Every timeout an order waits on, carried in the input (production defaults in OrderOptions; tests use seconds).</summary>
public sealed record ShopOrderTimeouts(int AutoConfirmSeconds, int ReviewWindowSeconds, int StatusPollSeconds = 6 * 3600);

/// <param name="NothingToPay">Coupons and points covered everything: the payment is confirmed at once, without WeChat Pay.</param>
public sealed record PaymentLifecycleInput(string PaymentOrderId, string MemberId, DateTime DeadlineUtc, int ReconcileLeadSeconds, ShopOrderTimeouts OrderTimeouts,
    bool NothingToPay = false);

public sealed record ShopOrderLifecycleInput(string OrderId, string MemberId, ShopOrderTimeouts Timeouts);

public sealed record RefundLifecycleInput(string RefundId, string OrderId, string MemberId, DateTime DecisionDueUtc, int PollSeconds, int MaxPolls);

public sealed record PaymentRef(string MemberId, string PaymentOrderId);

public sealed record OrderRef(string MemberId, string OrderId);

public sealed record RefundRef(string RefundId);

public sealed record PresaleLifecycleInput(string OrderId, string MemberId, DateTime BalanceStartsUtc, DateTime BalanceEndsUtc);

/// <summary>What runs for an order once its payment settles: its shop-order lifecycle, or (after a presale deposit) the balance window.</summary>
public sealed record OrderNext(string OrderId, string Lifecycle, PresaleLifecycleInput? Presale = null, bool BalancePaid = false)
{
    public static string PresaleInstanceId(string orderId) => $"presale-{orderId}";
}

/// <summary>An external event for another instance, produced by an activity and sent by its orchestration.</summary>
public sealed record LifecycleSignal(string InstanceId, string EventName, string Payload);

/// <summary>
/// What a payment came to: "paid", "closed" or "pending"; once settled, what each order does next and the events its
/// campaigns asked for (e.g. a group-buy group is full).
/// </summary>
public sealed record PaymentState(string State, IReadOnlyList<string> OrderIds, IReadOnlyList<OrderNext>? Next = null, IReadOnlyList<LifecycleSignal>? Signals = null)
{
    public const string Paid = "paid";
    public const string Closed = "closed";
    public const string Pending = "pending";
}
