using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>
/// The group-buys container (partition = activity id). Every seat change is one transactional batch in the activity's
/// partition, guarded by conditional patches: a join appends the seat only while the group is open, before its deadline
/// and has a free seat (<c>taken &lt; size</c>), creates the member's ticket (one seat per member per group) and takes
/// the units from the member's quota (<c>units &lt;= limit - quantity</c>), all or nothing. Paying, releasing, deciding
/// and refunding each move one seat or the group's status from a known state to the next, so repeating one changes
/// nothing and concurrent writers resolve to one outcome.
/// </summary>
public sealed class GroupBuyStore(CosmosDb db, TimeProvider time, ILogger<GroupBuyStore> log)
{
    private const int MaxAttempts = OptimisticRetry.MaxAttempts;

    public Container Container => db.Container(CosmosSchema.GroupBuys);

    public async Task<Versioned<GroupBuyActivity>?> FindActivityAsync(string activityId, CancellationToken ct)
    {
        var found = await Container.ReadOrNullAsync<GroupBuyActivity>(activityId, activityId, ct);
        return found?.Value.Type == GroupBuyDocTypes.Activity ? found : null;
    }

    public async Task<Versioned<Group>?> FindGroupAsync(string activityId, string groupId, CancellationToken ct)
    {
        var found = await Container.ReadOrNullAsync<Group>(groupId, activityId, ct);
        return found?.Value.Type == GroupBuyDocTypes.Group ? found : null;
    }

    public async Task<Group> GetGroupAsync(string activityId, string groupId, CancellationToken ct)
        => (await FindGroupAsync(activityId, groupId, ct))?.Value ?? throw new NotFoundException("Group", groupId);

    public async Task<GroupBuyStats> StatsAsync(string activityId, CancellationToken ct)
        => (await Container.ReadOrNullAsync<GroupBuyStats>(GroupBuyIds.StatsId, activityId, ct))?.Value ?? new GroupBuyStats(activityId);

    /// <summary>Open groups still before their deadline, fewest seats left first (a single-partition query).</summary>
    public async Task<IReadOnlyList<Group>> OpenGroupsAsync(string activityId, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = 'open' AND c.expiresAtTs > @now")
            .WithParameter("@type", GroupBuyDocTypes.Group).WithParameter("@now", time.GetUtcNow().ToUnixTimeSeconds());
        var groups = await Container.QueryAsync<Group>(query, activityId, ct: ct);
        return groups.Where(g => g.SeatsLeft > 0).OrderBy(g => g.SeatsLeft).ThenBy(g => g.ExpiresAt).Take(take).ToList();
    }

    /// <summary>The opener's ticket and units, before their order is placed. False when a retry of the same order already holds them.</summary>
    public Task<bool> HoldLeaderAsync(GroupBuyActivity activity, string groupId, string memberId, string orderId, int quantity, CancellationToken ct)
        => HoldAsync(activity, groupId, memberId, orderId, quantity, seat: null, ct);

    /// <summary>A seat in an existing group, before the joiner's order is placed. False when a retry of the same order already holds it.</summary>
    public Task<bool> JoinAsync(GroupBuyActivity activity, string groupId, GroupSeat seat, CancellationToken ct)
        => HoldAsync(activity, groupId, seat.MemberId, seat.OrderId, seat.Quantity, seat, ct);

    private async Task<bool> HoldAsync(GroupBuyActivity activity, string groupId, string memberId, string orderId, int quantity, GroupSeat? seat, CancellationToken ct)
    {
        var pk = new PartitionKey(activity.Id);
        await EnsureQuotaAsync(activity.Id, memberId, ct);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var ticket = await Container.ReadOrNullAsync<GroupTicket>(GroupBuyIds.TicketId(groupId, memberId), activity.Id, ct);
            switch (ticket?.Value)
            {
                case { Status: TicketStatus.Held } t when t.OrderId == orderId:
                    return false; // this very order holds it already (a retry)
                case { Status: TicketStatus.Held }:
                    throw new ConflictException("already_in_group", "You already have a seat in this group.");
                case { Status: TicketStatus.Released } t when t.OrderId == orderId:
                    throw new ConflictException("group_order_closed", "This order's seat has ended; place a new order with a new Idempotency-Key.");
            }

            var now = time.GetUtcNow();
            var batch = Container.CreateTransactionalBatch(pk);
            var groupOp = -1;
            if (seat is not null)
            {
                var group = await GetGroupAsync(activity.Id, groupId, ct);
                if (!group.IsJoinableAt(now)) throw new ConflictException("group_closed", "This group is no longer open; open a new one or join another.");
                if (group.Taken >= group.Size) throw new ConflictException("group_full", "Every seat of this group is taken; open a new one or join another.");
                groupOp = 0;
                batch.PatchItem(groupId, [PatchOperation.Add("/seats/-", seat), PatchOperation.Increment("/taken", 1)],
                    Where($"c.type = '{GroupBuyDocTypes.Group}' AND c.status = 'open' AND c.taken < {group.Size} AND c.expiresAtTs > {now.ToUnixTimeSeconds()}"));
            }
            var held = new GroupTicket(GroupBuyIds.TicketId(groupId, memberId), activity.Id, groupId, memberId, orderId, quantity, TicketStatus.Held, now);
            if (ticket is null) batch.CreateItem(held);
            else batch.ReplaceItem(held.Id, held, new TransactionalBatchItemRequestOptions { IfMatchEtag = ticket.ETag });
            var quotaOp = groupOp + 2;
            batch.PatchItem(GroupBuyIds.QuotaId(memberId), [PatchOperation.Increment("/units", quantity)],
                Where($"c.units <= {activity.PerMemberLimit - quantity}"));

            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return true;
            var (failedAt, status) = Failure(response);
            if (failedAt == quotaOp && status == HttpStatusCode.PreconditionFailed)
            {
                var units = (await Container.ReadOrNullAsync<GroupBuyQuota>(GroupBuyIds.QuotaId(memberId), activity.Id, ct))?.Value.Units ?? 0;
                throw new BusinessRuleException("group_buy_limit",
                    $"At most {activity.PerMemberLimit} unit(s) per member in this group buy; you already hold {units}.");
            }
            if (!OptimisticRetry.IsLostRace(status)) throw new InvalidOperationException($"Seat batch failed at operation {failedAt}: {status} {response.ErrorMessage}");
            await OptimisticRetry.PauseAsync(attempt, ct); // the group, ticket or quota moved: read again and re-check
        }
        throw new ConflictException("group_contended", "The group is very busy; retry in a moment.");
    }

    private async Task EnsureQuotaAsync(string activityId, string memberId, CancellationToken ct)
    {
        var id = GroupBuyIds.QuotaId(memberId);
        if (await Container.ReadOrNullAsync<GroupBuyQuota>(id, activityId, ct) is null)
            await Container.TryCreateAsync(new GroupBuyQuota(id, activityId, memberId, 0), activityId, ct);
    }

    /// <summary>Creates the opened group with its leader seat and counts it; an existing group (a retry) is returned as stored.</summary>
    public async Task<Group> CreateGroupAsync(Group group, CancellationToken ct)
    {
        using var response = await Container.CreateTransactionalBatch(new PartitionKey(group.ActivityId))
            .CreateItem(group)
            .PatchItem(GroupBuyIds.StatsId, [PatchOperation.Increment("/groupsOpened", 1)])
            .ExecuteAsync(ct);
        if (response.IsSuccessStatusCode) return group;
        var (_, status) = Failure(response);
        if (status != HttpStatusCode.Conflict) throw new InvalidOperationException($"Group batch failed: {status} {response.ErrorMessage}");
        return await GetGroupAsync(group.ActivityId, group.Id, ct);
    }

    /// <summary>
    /// Gives a seat and its units back: the order's payment closed unpaid (<see cref="TicketStatus.Released"/>) or its
    /// checkout failed (<see cref="TicketStatus.Void"/>). Only a seat this order still holds unpaid; idempotent.
    /// </summary>
    public async Task ReleaseAsync(string activityId, string groupId, string memberId, string orderId, TicketStatus to, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var ticket = await Container.ReadOrNullAsync<GroupTicket>(GroupBuyIds.TicketId(groupId, memberId), activityId, ct);
            var group = (await FindGroupAsync(activityId, groupId, ct))?.Value;
            var live = ticket is { Value.Status: TicketStatus.Held } && ticket.Value.OrderId == orderId;
            var i = group?.IndexOfOrder(orderId) ?? -1;
            var seatHeld = i >= 0 && group!.Seats[i].Status == SeatStatus.Held;
            if (i >= 0 && !seatHeld) return; // paid, or already released: nothing of this order is held any more
            if (!live && !seatHeld) return;

            var batch = Container.CreateTransactionalBatch(new PartitionKey(activityId));
            if (live) AddTicketRelease(batch, ticket!.Value, to);
            if (seatHeld)
                batch.PatchItem(groupId, [PatchOperation.Set($"/seats/{i}/status", Camel(SeatStatus.Released)), PatchOperation.Increment("/taken", -1)],
                    Where($"{SeatIs(i, orderId, SeatStatus.Held)}"));
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                log.LogInformation("Seat of order {OrderId} in group {GroupId} released ({Status})", orderId, groupId, to);
                return;
            }
            var (failedAt, status) = Failure(response);
            if (!OptimisticRetry.IsLostRace(status)) throw new InvalidOperationException($"Release batch failed at operation {failedAt}: {status} {response.ErrorMessage}");
            await OptimisticRetry.PauseAsync(attempt, ct);
        }
        throw new ConflictException("group_contended", "The group changed too often; retry.");
    }

    /// <summary>
    /// The seat's order was paid: the seat counts as paid, in whatever state the group is (open: towards filling it;
    /// succeeded: a late payment of a virtually formed group, counted in the results; failed: it will be refunded).
    /// Returns the group as it is afterwards, or null when the order has no group. Idempotent.
    /// </summary>
    public async Task<Group?> MarkPaidAsync(string activityId, string groupId, string orderId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var group = (await FindGroupAsync(activityId, groupId, ct))?.Value;
            if (group is null) return null;
            var i = group.IndexOfOrder(orderId);
            if (i < 0 || group.Seats[i].Status != SeatStatus.Held) return group;

            var seat = group.Seats[i];
            var now = time.GetUtcNow();
            var batch = Container.CreateTransactionalBatch(new PartitionKey(activityId))
                .PatchItem(groupId,
                    [
                        PatchOperation.Set($"/seats/{i}/status", Camel(SeatStatus.Paid)), PatchOperation.Set($"/seats/{i}/paidAt", now),
                        PatchOperation.Increment("/paid", 1), PatchOperation.Increment("/paidUnits", seat.Quantity),
                    ],
                    Where($"c.status = '{Camel(group.Status)}' AND {SeatIs(i, orderId, SeatStatus.Held)}"));
            if (group.Status == GroupStatus.Succeeded)
                batch.PatchItem(GroupBuyIds.StatsId, [PatchOperation.Increment("/ordersSucceeded", 1), PatchOperation.Increment("/unitsSucceeded", seat.Quantity)]);
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return await GetGroupAsync(activityId, groupId, ct);
            var (failedAt, status) = Failure(response);
            if (!OptimisticRetry.IsLostRace(status)) throw new InvalidOperationException($"Paid batch failed at operation {failedAt}: {status} {response.ErrorMessage}");
            await OptimisticRetry.PauseAsync(attempt, ct); // decided or paid meanwhile: read again
        }
        throw new ConflictException("group_contended", "The group changed too often; retry.");
    }

    /// <summary>
    /// Decides an open group with one conditional write: open -> succeeded or open -> failed, and only if the paid count
    /// it was decided on still holds (a payment landing meanwhile makes it decide again). A decided group stays decided.
    /// </summary>
    public async Task<Group> DecideAsync(string activityId, string groupId, bool expired, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var group = await GetGroupAsync(activityId, groupId, ct);
            var decision = group.Decide(expired);
            if (decision.Guard is not { } paid || decision.Status == GroupStatus.Open) return group;

            var now = time.GetUtcNow();
            var batch = Container.CreateTransactionalBatch(new PartitionKey(activityId))
                .PatchItem(groupId,
                    [PatchOperation.Set("/status", Camel(decision.Status)), PatchOperation.Set("/outcome", decision.Outcome), PatchOperation.Set("/decidedAt", now)],
                    Where($"c.status = 'open' AND c.paid = {paid}"));
            batch.PatchItem(GroupBuyIds.StatsId, decision.Status == GroupStatus.Succeeded
                ? [PatchOperation.Increment("/groupsSucceeded", 1), PatchOperation.Increment("/ordersSucceeded", paid), PatchOperation.Increment("/unitsSucceeded", group.PaidUnits)]
                : [PatchOperation.Increment("/groupsFailed", 1)]);
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                log.LogInformation("Group {GroupId} {Status} ({Outcome}, {Paid}/{Size} paid)", groupId, decision.Status, decision.Outcome, paid, group.Size);
                return group with { Status = decision.Status, Outcome = decision.Outcome, DecidedAt = now };
            }
            var (failedAt, status) = Failure(response);
            if (!OptimisticRetry.IsLostRace(status)) throw new InvalidOperationException($"Decision batch failed at operation {failedAt}: {status} {response.ErrorMessage}");
            await OptimisticRetry.PauseAsync(attempt, ct);
        }
        throw new ConflictException("group_contended", "The group changed too often; retry.");
    }

    /// <summary>
    /// A failed group: every paid seat becomes refunded and its units go back to the member's quota, exactly once per
    /// seat. Returns the group as read after the last change with no seat left paid: a seat paid meanwhile (a late
    /// payment settling right now) is refunded in the same call, and one still held shows as held (the caller checks again later).
    /// </summary>
    public async Task<Group> MarkRefundedAsync(string activityId, string groupId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var group = await GetGroupAsync(activityId, groupId, ct);
            if (group.Status != GroupStatus.Failed) throw new ConflictException("group_state", $"Only a failed group is refunded; this one is {group.Status}.");
            if (group.Seats.All(s => s.Status != SeatStatus.Paid)) return group;
            for (var i = 0; i < group.Seats.Count; i++)
            {
                if (group.Seats[i].Status != SeatStatus.Paid) continue;
                var seat = group.Seats[i];
                var ticket = await Container.ReadOrNullAsync<GroupTicket>(GroupBuyIds.TicketId(groupId, seat.MemberId), activityId, ct);
                var batch = Container.CreateTransactionalBatch(new PartitionKey(activityId))
                    .PatchItem(groupId, [PatchOperation.Set($"/seats/{i}/status", Camel(SeatStatus.Refunded))],
                        Where($"c.status = 'failed' AND {SeatIs(i, seat.OrderId, SeatStatus.Paid)}"))
                    .PatchItem(GroupBuyIds.StatsId, [PatchOperation.Increment("/ordersRefunded", 1), PatchOperation.Increment("/unitsRefunded", seat.Quantity)]);
                if (ticket is { Value.Status: TicketStatus.Held } t && t.Value.OrderId == seat.OrderId) AddTicketRelease(batch, t.Value, TicketStatus.Released);
                using var response = await batch.ExecuteAsync(ct);
                if (response.IsSuccessStatusCode) continue;
                var (failedAt, status) = Failure(response);
                if (!OptimisticRetry.IsLostRace(status)) throw new InvalidOperationException($"Refund batch failed at operation {failedAt}: {status} {response.ErrorMessage}");
                // Moved meanwhile (a concurrent sweep): the next read shows it as it is.
            }
            await OptimisticRetry.PauseAsync(attempt, ct);
        }
        throw new ConflictException("group_contended", "The group changed too often; retry.");
    }

    private void AddTicketRelease(TransactionalBatch batch, GroupTicket ticket, TicketStatus to)
    {
        batch.PatchItem(ticket.Id, [PatchOperation.Set("/status", Camel(to)), PatchOperation.Set("/at", time.GetUtcNow())],
            Where($"c.status = 'held' AND c.orderId = '{Literal(ticket.OrderId)}'"));
        batch.PatchItem(GroupBuyIds.QuotaId(ticket.MemberId), [PatchOperation.Increment("/units", -ticket.Quantity)], Where($"c.units >= {ticket.Quantity}"));
    }

    private static string SeatIs(int index, string orderId, SeatStatus status)
        => $"c.seats[{index}].orderId = '{Literal(orderId)}' AND c.seats[{index}].status = '{Camel(status)}'";

    private static TransactionalBatchPatchItemRequestOptions Where(string predicate) => new() { FilterPredicate = "FROM c WHERE " + predicate };

    /// <summary>The operation that failed an atomic batch and its status (the others report 424).</summary>
    private static (int Index, HttpStatusCode Status) Failure(TransactionalBatchResponse response)
    {
        for (var i = 0; i < response.Count; i++)
            if (response[i].StatusCode != HttpStatusCode.FailedDependency && !response[i].IsSuccessStatusCode) return (i, response[i].StatusCode);
        return (-1, response.StatusCode);
    }

    public static string Camel<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    // Ids are ours (letters, digits, '_', '-'), but never let one break out of a predicate's string literal.
    private static string Literal(string value) => value.Replace("\\", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
}
