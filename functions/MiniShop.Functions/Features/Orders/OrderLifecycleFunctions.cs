using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.Orders;

/// <summary>
/// The Durable Functions entry points of the order lifecycles: thin wrappers over the orchestrations and activities in
/// shared/ (the in-process host registers the same logic under the same names in <see cref="Durable.DurableTasks"/>).
/// </summary>
public sealed class OrderLifecycleFunctions(OrderLifecycleActivities activities)
{
    [Function(LifecycleNames.PaymentLifecycle)]
    public static Task<string> RunPaymentLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, PaymentLifecycleInput input)
        => PaymentLifecycle.RunAsync(context, input);

    [Function(LifecycleNames.ShopOrderLifecycle)]
    public static Task<string> RunShopOrderLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, ShopOrderLifecycleInput input)
        => ShopOrderLifecycle.RunAsync(context, input);

    [Function(LifecycleNames.RefundLifecycle)]
    public static Task<string> RunRefundLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, RefundLifecycleInput input)
        => RefundLifecycle.RunAsync(context, input);

    [Function(LifecycleNames.PresaleLifecycle)]
    public static Task<string> RunPresaleLifecycle([OrchestrationTrigger] TaskOrchestrationContext context, PresaleLifecycleInput input)
        => PresaleLifecycle.RunAsync(context, input);

    [Function(LifecycleNames.UploadShippingInfo)]
    public Task<bool> UploadShippingInfo([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.UploadShippingInfoAsync(input, ct);

    [Function(LifecycleNames.NotifyBalanceDue)]
    public Task<bool> NotifyBalanceDue([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.NotifyBalanceDueAsync(input, ct);

    [Function(LifecycleNames.ForfeitDeposit)]
    public Task<string> ForfeitDeposit([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.ForfeitDepositAsync(input, ct);

    [Function(LifecycleNames.ReconcilePayment)]
    public Task<PaymentState> ReconcilePayment([ActivityTrigger] PaymentRef input, CancellationToken ct) => activities.ReconcilePaymentAsync(input, ct);

    [Function(LifecycleNames.ConfirmFreePayment)]
    public Task<PaymentState> ConfirmFreePayment([ActivityTrigger] PaymentRef input, CancellationToken ct) => activities.ConfirmFreePaymentAsync(input, ct);

    [Function(LifecycleNames.ClosePayment)]
    public Task<PaymentState> ClosePayment([ActivityTrigger] PaymentRef input, CancellationToken ct) => activities.ClosePaymentAsync(input, ct);

    [Function(LifecycleNames.SettlePaidPayment)]
    public Task<PaymentState> SettlePaidPayment([ActivityTrigger] PaymentRef input, CancellationToken ct) => activities.SettlePaidPaymentAsync(input, ct);

    [Function(LifecycleNames.ReleaseClosedPayment)]
    public async Task<bool> ReleaseClosedPayment([ActivityTrigger] PaymentRef input, CancellationToken ct)
    {
        await activities.ReleaseClosedPaymentAsync(input, ct);
        return true;
    }

    [Function(LifecycleNames.AutoConfirmDelivery)]
    public Task<bool> AutoConfirmDelivery([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.AutoConfirmDeliveryAsync(input, ct);

    [Function(LifecycleNames.CompleteOrder)]
    public Task<bool> CompleteOrder([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.CompleteOrderAsync(input, ct);

    [Function(LifecycleNames.GetOrderStatus)]
    public Task<string> GetOrderStatus([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.GetOrderStatusAsync(input, ct);

    [Function(LifecycleNames.IsOrderClosed)]
    public Task<bool> IsOrderClosed([ActivityTrigger] OrderRef input, CancellationToken ct) => activities.IsOrderClosedAsync(input, ct);

    [Function(LifecycleNames.AutoApproveRefund)]
    public Task<string> AutoApproveRefund([ActivityTrigger] RefundRef input, CancellationToken ct) => activities.AutoApproveRefundAsync(input, ct);

    [Function(LifecycleNames.ExecuteRefund)]
    public Task<string> ExecuteRefund([ActivityTrigger] RefundRef input, CancellationToken ct) => activities.ExecuteRefundAsync(input, ct);

    [Function(LifecycleNames.ReconcileRefund)]
    public Task<string> ReconcileRefund([ActivityTrigger] RefundRef input, CancellationToken ct) => activities.ReconcileRefundAsync(input, ct);
}
