using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.GroupBuys;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Durable;

/// <summary>
/// Every orchestrator and activity the app declares, registered for the in-process Durable host with the same names and
/// logic the Functions host runs through <see cref="Features.Orders.OrderLifecycleFunctions"/> and
/// <see cref="Features.GroupBuys.GroupBuyLifecycleFunctions"/>. A test checks that the two
/// sets of names are identical.
/// </summary>
public static class DurableTasks
{
    private static readonly List<string> Registered = [];

    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Registered)
            {
                if (Registered.Count == 0) Register(new DurableTaskRegistry());
                return Registered.ToList();
            }
        }
    }

    public static void Register(DurableTaskRegistry registry)
    {
        var names = new List<string>();
        void Orchestrator<TIn>(string name, Func<TaskOrchestrationContext, TIn, Task<string>> run)
        {
            registry.AddOrchestratorFunc<TIn, string>(name, (context, input) => run(context, input!));
            names.Add(name);
        }
        void Activity<TIn, TOut>(string name, Func<OrderLifecycleActivities, TIn, CancellationToken, Task<TOut>> run) => ActivityOf(name, run);
        void ActivityOf<TService, TIn, TOut>(string name, Func<TService, TIn, CancellationToken, Task<TOut>> run) where TService : notnull
        {
            registry.AddActivity(name, sp => new DelegateActivity<TIn, TOut>(input => run(sp.GetRequiredService<TService>(), input, CancellationToken.None)));
            names.Add(name);
        }

        Orchestrator<PaymentLifecycleInput>(LifecycleNames.PaymentLifecycle, PaymentLifecycle.RunAsync);
        Orchestrator<ShopOrderLifecycleInput>(LifecycleNames.ShopOrderLifecycle, ShopOrderLifecycle.RunAsync);
        Orchestrator<RefundLifecycleInput>(LifecycleNames.RefundLifecycle, RefundLifecycle.RunAsync);
        Orchestrator<PresaleLifecycleInput>(LifecycleNames.PresaleLifecycle, PresaleLifecycle.RunAsync);
        Activity<PaymentRef, PaymentState>(LifecycleNames.ReconcilePayment, (a, i, ct) => a.ReconcilePaymentAsync(i, ct));
        Activity<PaymentRef, PaymentState>(LifecycleNames.ConfirmFreePayment, (a, i, ct) => a.ConfirmFreePaymentAsync(i, ct));
        Activity<PaymentRef, PaymentState>(LifecycleNames.ClosePayment, (a, i, ct) => a.ClosePaymentAsync(i, ct));
        Activity<PaymentRef, PaymentState>(LifecycleNames.SettlePaidPayment, (a, i, ct) => a.SettlePaidPaymentAsync(i, ct));
        Activity<PaymentRef, bool>(LifecycleNames.ReleaseClosedPayment, async (a, i, ct) => { await a.ReleaseClosedPaymentAsync(i, ct); return true; });
        Activity<OrderRef, bool>(LifecycleNames.AutoConfirmDelivery, (a, i, ct) => a.AutoConfirmDeliveryAsync(i, ct));
        Activity<OrderRef, bool>(LifecycleNames.CompleteOrder, (a, i, ct) => a.CompleteOrderAsync(i, ct));
        Activity<OrderRef, string>(LifecycleNames.GetOrderStatus, (a, i, ct) => a.GetOrderStatusAsync(i, ct));
        Activity<OrderRef, bool>(LifecycleNames.IsOrderClosed, (a, i, ct) => a.IsOrderClosedAsync(i, ct));
        Activity<OrderRef, bool>(LifecycleNames.UploadShippingInfo, (a, i, ct) => a.UploadShippingInfoAsync(i, ct));
        Activity<OrderRef, bool>(LifecycleNames.NotifyBalanceDue, (a, i, ct) => a.NotifyBalanceDueAsync(i, ct));
        Activity<OrderRef, string>(LifecycleNames.ForfeitDeposit, (a, i, ct) => a.ForfeitDepositAsync(i, ct));
        Activity<RefundRef, string>(LifecycleNames.AutoApproveRefund, (a, i, ct) => a.AutoApproveRefundAsync(i, ct));
        Activity<RefundRef, string>(LifecycleNames.ExecuteRefund, (a, i, ct) => a.ExecuteRefundAsync(i, ct));
        Activity<RefundRef, string>(LifecycleNames.ReconcileRefund, (a, i, ct) => a.ReconcileRefundAsync(i, ct));
        names.AddRange(Features.FlashSales.FlashSaleLifecycleFunctions.Register(registry));

        Orchestrator<GroupBuyLifecycleInput>(GroupBuyNames.GroupBuyLifecycle, GroupBuyLifecycle.RunAsync);
        ActivityOf<GroupBuyActivities, DecideGroupInput, GroupState>(GroupBuyNames.DecideGroup, (a, i, ct) => a.DecideGroupAsync(i, ct));
        ActivityOf<GroupBuyActivities, GroupRef, int>(GroupBuyNames.PromoteGroupOrders, (a, i, ct) => a.PromoteGroupOrdersAsync(i, ct));
        ActivityOf<GroupBuyActivities, GroupRef, GroupSweep>(GroupBuyNames.SweepFailedGroup, (a, i, ct) => a.SweepFailedGroupAsync(i, ct));

        lock (Registered)
        {
            Registered.Clear();
            Registered.AddRange(names);
        }
    }

    private sealed class DelegateActivity<TIn, TOut>(Func<TIn, Task<TOut>> run) : TaskActivity<TIn, TOut>
    {
        public override Task<TOut> RunAsync(TaskActivityContext context, TIn input) => run(input);
    }
}
