using Microsoft.DurableTask;

namespace MiniShop.Infrastructure.Orders.Lifecycle;

/// <summary>
/// One instance per paid shop order (instance id = order id): awaiting shipment until shipped; then delivered (confirmed
/// by the shopper or the carrier) or auto-confirmed after the timeout; then the review window; then completed. A full
/// refund closes the order at any point and ends the lifecycle.
/// </summary>
public static class ShopOrderLifecycle
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context, ShopOrderLifecycleInput input)
    {
        var order = new OrderRef(input.MemberId, input.OrderId);
        // Events are steering, the order document is the truth: an event raised before this instance existed is missed,
        // so the state is read at the start and again whenever a long wait polls.
        var status = await context.CallActivityAsync<string>(LifecycleNames.GetOrderStatus, order, Retry);
        while (status is "awaitingShipment" or "awaitingGroup")
        {
            using var cts = new CancellationTokenSource();
            var shipped = context.WaitForExternalEvent<string>(LifecycleEvents.Shipped, cts.Token);
            var closed = context.WaitForExternalEvent<string>(LifecycleEvents.OrderClosed, cts.Token);
            var poll = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.Timeouts.StatusPollSeconds), cts.Token);
            var first = await Task.WhenAny(shipped, closed, poll);
            cts.Cancel();
            status = first == shipped ? "shipped" : first == closed ? "closed" : await context.CallActivityAsync<string>(LifecycleNames.GetOrderStatus, order, Retry);
        }
        if (status is "closed" or "cancelled") return "closed";

        // Mini-program rule: the shipment is uploaded to WeChat once the order ships.
        await context.CallActivityAsync<bool>(LifecycleNames.UploadShippingInfo, order, Retry);

        if (status == "shipped")
        {
            using var cts = new CancellationTokenSource();
            var delivered = context.WaitForExternalEvent<string>(LifecycleEvents.Delivered, cts.Token);
            var closed = context.WaitForExternalEvent<string>(LifecycleEvents.OrderClosed, cts.Token);
            var timer = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.Timeouts.AutoConfirmSeconds), cts.Token);
            var first = await Task.WhenAny(delivered, closed, timer);
            cts.Cancel();
            if (first == closed) return "closed";
            if (first == timer) await context.CallActivityAsync<bool>(LifecycleNames.AutoConfirmDelivery, order, Retry);
        }

        if (status != "completed")
        {
            using var cts = new CancellationTokenSource();
            var closed = context.WaitForExternalEvent<string>(LifecycleEvents.OrderClosed, cts.Token);
            var timer = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.Timeouts.ReviewWindowSeconds), cts.Token);
            var first = await Task.WhenAny(closed, timer);
            cts.Cancel();
            if (first == closed) return "closed";
        }

        await context.CallActivityAsync<bool>(LifecycleNames.CompleteOrder, order, Retry);
        return "completed";
    }
}
