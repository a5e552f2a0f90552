using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Orders;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>What a group's outcome does to its members' orders: on to shipment, or refunded in full.</summary>
public sealed class GroupBuyOrders(OrderCommands orders, RefundService refunds, TimeProvider time, ILogger<GroupBuyOrders> log)
{
    public const string RefundReason = "拼团未成功，自动全额退款";

    /// <summary>The group formed: a paid order awaiting its group goes on to shipment. Idempotent; false when there is nothing to move.</summary>
    public async Task<bool> PromoteAsync(GroupSeat seat, CancellationToken ct)
    {
        try
        {
            // ERP/WMS hear of a group-buy order now, when it is to be fulfilled (not when it was paid): order.paid in the same batch.
            var order = await orders.ChangeAsync(seat.MemberId, seat.OrderId, o => o.Status != OrderStatus.AwaitingGroup, o => o.GroupSucceeded(time.GetUtcNow()), ct,
                formed => OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, formed, time.GetUtcNow()));
            return order.Status == OrderStatus.AwaitingShipment;
        }
        catch (NotFoundException)
        {
            log.LogError("Group seat of order {OrderId} has no order", seat.OrderId);
            return false;
        }
    }

    /// <summary>The member's whole order back, under the fixed refund id GB{orderId} (created approved; idempotent).</summary>
    public Task<Refund> CreateRefundAsync(string memberId, string orderId, CancellationToken ct)
        => refunds.CreateSystemRefundAsync(memberId, orderId, GroupBuyIds.RefundId(orderId), RefundReason, ct);
}

/// <summary>
/// The payment settlement's hooks for group-buy orders: a paid order counts its seat as paid (and, when the group has
/// already formed, goes on to shipment; when it failed, the group's lifecycle refunds it); an order whose payment closed
/// unpaid gives its seat and units back; the payment that fills a group asks for "group full" to be raised.
/// </summary>
public sealed class GroupBuyHooks(GroupBuyStore store, GroupBuyOrders orders, RefundService refunds, ILogger<GroupBuyHooks> log) : IOrderActivityHooks
{
    public string Kind => ActivityRef.GroupBuy;

    public async Task OnPaidAsync(Order order, CancellationToken ct)
    {
        if (order.Activity?.GroupId is not { } groupId) return;
        var group = await store.MarkPaidAsync(order.Activity.ActivityId, groupId, order.Id, ct);
        var seat = group?.Seats.ElementAtOrDefault(group.IndexOfOrder(order.Id));
        if (seat is not { Status: SeatStatus.Paid or SeatStatus.Refunded })
        {
            // Paid without a seat it holds (the group was never written, or the seat had ended): it cannot count towards
            // any group, so the money goes straight back.
            log.LogError("Group-buy order {OrderId} was paid without a held seat in {GroupId}; refunding it", order.Id, groupId);
            var refund = await orders.CreateRefundAsync(order.MemberId, order.Id, ct);
            await refunds.ExecuteAsync(refund.Id, ct);
            return;
        }
        if (group!.Status == GroupStatus.Succeeded && seat.Status == SeatStatus.Paid) await orders.PromoteAsync(seat, ct);
    }

    public Task OnClosedAsync(Order order, CancellationToken ct)
        => order.Activity?.GroupId is { } groupId
            ? store.ReleaseAsync(order.Activity.ActivityId, groupId, order.MemberId, order.Id, TicketStatus.Released, ct)
            : Task.CompletedTask;

    public async Task<IReadOnlyList<LifecycleSignal>> SignalsAfterPaidAsync(Order order, CancellationToken ct)
    {
        if (order.Activity?.GroupId is not { } groupId) return [];
        var group = (await store.FindGroupAsync(order.Activity.ActivityId, groupId, ct))?.Value;
        return group is { Status: GroupStatus.Open } && group.Paid >= group.Size ? [new LifecycleSignal(groupId, GroupBuyEvents.GroupFull, order.Id)] : [];
    }
}

/// <summary>The work behind the group orchestration's activities. Each is idempotent.</summary>
public sealed class GroupBuyActivities(GroupBuyStore store, GroupBuyOrders orders, IOptions<OrderOptions> orderOptions, ILogger<GroupBuyActivities> log)
{
    public async Task<GroupState> DecideGroupAsync(DecideGroupInput input, CancellationToken ct)
    {
        var group = await store.DecideAsync(input.ActivityId, input.GroupId, input.Expired, ct);
        return new GroupState(GroupBuyStore.Camel(group.Status), group.Outcome, group.Paid, group.Size);
    }

    /// <summary>Moves every paid member's order of a formed group on to shipment; returns how many moved now.</summary>
    public async Task<int> PromoteGroupOrdersAsync(GroupRef r, CancellationToken ct)
    {
        var group = await store.GetGroupAsync(r.ActivityId, r.GroupId, ct);
        if (group.Status != GroupStatus.Succeeded) return 0;
        var moved = 0;
        foreach (var seat in group.Seats.Where(s => s.Status == SeatStatus.Paid))
            if (await orders.PromoteAsync(seat, ct)) moved++;
        return moved;
    }

    /// <summary>
    /// A failed group: every paid seat becomes refunded (units back to the member's quota) and gets its approved refund
    /// document; returns those refunds (for their lifecycles) and when the last unpaid seat's payment deadline passes.
    /// </summary>
    public async Task<GroupSweep> SweepFailedGroupAsync(GroupRef r, CancellationToken ct)
    {
        var group = await store.MarkRefundedAsync(r.ActivityId, r.GroupId, ct);
        var refunds = new List<RefundLifecycleInput>();
        foreach (var seat in group.Seats.Where(s => s.Status == SeatStatus.Refunded))
        {
            try
            {
                var refund = await orders.CreateRefundAsync(seat.MemberId, seat.OrderId, ct);
                refunds.Add(new RefundLifecycleInput(refund.Id, refund.OrderId, refund.MemberId, refund.DecisionDueAt.UtcDateTime,
                    orderOptions.Value.RefundPollSeconds, MaxPolls: 72));
            }
            catch (ProblemException e)
            {
                log.LogError(e, "Group {GroupId}: order {OrderId} could not be refunded automatically", r.GroupId, seat.OrderId);
            }
        }
        var held = group.Seats.Where(s => s.Status == SeatStatus.Held).Select(s => s.PayBy).ToList();
        return new GroupSweep(refunds, held.Count == 0 ? null : held.Max().UtcDateTime);
    }
}
