using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Infrastructure.GroupBuys;

namespace MiniShop.Tests.Integration.GroupBuys;

/// <summary>The seat rules under concurrency, straight against the local Cosmos server (no HTTP, no orchestration).</summary>
public class GroupBuyStoreTests(Services services) : IClassFixture<Services>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GroupBuyStore Store => services.Get<GroupBuyStore>();

    private async Task<GroupBuyActivity> ActivityAsync(int size, int limit = 5)
    {
        var now = DateTimeOffset.UtcNow;
        var a = new GroupBuyActivity(GroupBuyIds.NewActivityId(), "shop-1", "t", null, "prd-1", [new GroupBuySku("sku-1", 100)], size, 3_600, limit,
            now.AddMinutes(-1), now.AddHours(1), null, 0, GroupBuyStatus.Active, 1, now, now);
        using var response = await Store.Container.CreateTransactionalBatch(new PartitionKey(a.Id)).CreateItem(a).CreateItem(new GroupBuyStats(a.Id)).ExecuteAsync(Ct);
        Assert.True(response.IsSuccessStatusCode);
        return a;
    }

    private static GroupSeat Seat(string memberId, int quantity = 1, bool leader = false)
        => new(memberId, $"ord{Guid.NewGuid():N}"[..32], "sku-1", quantity, leader, SeatStatus.Held, "微信用户", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30));

    private async Task<Group> OpenAsync(GroupBuyActivity a, GroupSeat leader)
    {
        var groupId = GroupBuyIds.GroupIdFor(a.Id, leader.MemberId, Guid.NewGuid().ToString("N"));
        Assert.True(await Store.HoldLeaderAsync(a, groupId, leader.MemberId, leader.OrderId, leader.Quantity, Ct));
        var now = DateTimeOffset.UtcNow;
        return await Store.CreateGroupAsync(new Group(groupId, a.Id, a.ShopId, a.ProductId, leader.MemberId, a.GroupSize, a.VirtualSuccessMaxMissing,
            GroupStatus.Open, 1, 0, 0, [leader], now, a.GroupDeadline(now)), Ct);
    }

    private static async Task<(int Ok, List<ProblemException> Problems)> AllAsync(IEnumerable<Func<Task>> work)
    {
        var outcomes = await Task.WhenAll(work.Select(w => Task.Run(async () =>
        {
            try { await w(); return (ProblemException?)null; }
            catch (ProblemException e) { return e; }
        }, Ct)));
        return (outcomes.Count(o => o is null), outcomes.OfType<ProblemException>().ToList());
    }

    private static string NewMember() => $"mbr_{Guid.NewGuid():N}";

    [Fact]
    public async Task Forty_members_joining_a_group_of_five_at_once_take_exactly_the_four_free_seats()
    {
        var a = await ActivityAsync(size: 5);
        var group = await OpenAsync(a, Seat(NewMember(), leader: true));

        var (ok, problems) = await AllAsync(Enumerable.Range(0, 40).Select(_ => (Func<Task>)(() => Store.JoinAsync(a, group.Id, Seat(NewMember()), Ct))));

        Assert.Equal(4, ok);
        Assert.All(problems, p => Assert.Equal((409, "group_full"), (p.Status, p.Code)));
        var stored = await Store.GetGroupAsync(a.Id, group.Id, Ct);
        Assert.Equal((5, 5), (stored.Taken, stored.Seats.Count));
        Assert.Equal(5, stored.Seats.Select(s => s.MemberId).Distinct().Count());
    }

    [Fact]
    public async Task One_member_racing_into_ten_groups_gets_only_the_limit_and_never_two_seats_in_one_group()
    {
        var a = await ActivityAsync(size: 3, limit: 3);
        var groups = new List<Group>();
        for (var i = 0; i < 10; i++) groups.Add(await OpenAsync(a, Seat(NewMember(), leader: true)));
        var member = NewMember();

        var (ok, problems) = await AllAsync(groups.SelectMany(g => new[] { g, g }).Select(g => (Func<Task>)(() => Store.JoinAsync(a, g.Id, Seat(member), Ct))));

        Assert.Equal(3, ok);
        Assert.All(problems, p => Assert.Contains(p.Code, new[] { "group_buy_limit", "already_in_group" }));
        var seats = new List<GroupSeat>();
        foreach (var g in groups) seats.AddRange((await Store.GetGroupAsync(a.Id, g.Id, Ct)).Seats.Where(s => s.MemberId == member));
        Assert.Equal(3, seats.Count);
        Assert.Equal(3, seats.Select(s => s.OrderId).Distinct().Count());
    }

    [Fact]
    public async Task A_released_seat_frees_the_seat_and_the_units_exactly_once()
    {
        var a = await ActivityAsync(size: 2, limit: 1);
        var group = await OpenAsync(a, Seat(NewMember(), leader: true));
        var member = NewMember();
        var seat = Seat(member);
        Assert.True(await Store.JoinAsync(a, group.Id, seat, Ct));
        Assert.False(await Store.JoinAsync(a, group.Id, seat, Ct)); // the same order again: already holds it

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Store.ReleaseAsync(a.Id, group.Id, member, seat.OrderId, TicketStatus.Released, Ct)));

        var stored = await Store.GetGroupAsync(a.Id, group.Id, Ct);
        Assert.Equal((1, SeatStatus.Released), (stored.Taken, stored.Seats[1].Status));
        // Units and seat are back: the member can join again with another order (but not resurrect the released one).
        Assert.Equal("group_order_closed", (await Assert.ThrowsAsync<ConflictException>(() => Store.JoinAsync(a, group.Id, seat, Ct))).Code);
        Assert.True(await Store.JoinAsync(a, group.Id, Seat(member), Ct));
        Assert.Equal(2, (await Store.GetGroupAsync(a.Id, group.Id, Ct)).Taken);
    }

    [Fact]
    public async Task Payments_racing_the_deadline_decide_the_group_once_and_a_decided_group_never_changes_its_mind()
    {
        for (var round = 0; round < 10; round++)
        {
            var a = await ActivityAsync(size: 3);
            var leader = Seat(NewMember(), leader: true);
            var group = await OpenAsync(a, leader);
            var joiners = new[] { Seat(NewMember()), Seat(NewMember()) };
            foreach (var s in joiners) await Store.JoinAsync(a, group.Id, s, Ct);
            await Store.MarkPaidAsync(a.Id, group.Id, leader.OrderId, Ct);

            // The last two payments and the deadline's decision at once.
            var decisions = new List<Task<Group>>();
            var payments = joiners.Select(s => Task.Run(() => Store.MarkPaidAsync(a.Id, group.Id, s.OrderId, Ct), Ct)).ToList();
            for (var d = 0; d < 3; d++) decisions.Add(Task.Run(() => Store.DecideAsync(a.Id, group.Id, expired: true, Ct), Ct));
            await Task.WhenAll(payments.Concat<Task>(decisions));

            var final = await Store.GetGroupAsync(a.Id, group.Id, Ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"round {round}: {final.Status} ({final.Outcome})");
            Assert.NotEqual(GroupStatus.Open, final.Status);
            Assert.All(decisions, d => Assert.Equal(final.Status, d.Result.Status));
            Assert.Equal(3, final.Paid); // every payment counted, whatever the outcome (a failed group refunds them)
            var stats = await Store.StatsAsync(a.Id, Ct);
            Assert.Equal(1, stats.GroupsSucceeded + stats.GroupsFailed);
            if (final.Status == GroupStatus.Succeeded) Assert.Equal((3L, "full"), (stats.OrdersSucceeded, final.Outcome));

            // Deciding again, with or without the deadline, changes nothing.
            Assert.Equal(final.Status, (await Store.DecideAsync(a.Id, group.Id, expired: false, Ct)).Status);
            if (final.Status == GroupStatus.Failed)
            {
                var refunded = await Store.MarkRefundedAsync(a.Id, group.Id, Ct);
                Assert.All(refunded.Seats, s => Assert.Equal(SeatStatus.Refunded, s.Status));
                Assert.Equal(3, (await Store.StatsAsync(a.Id, Ct)).OrdersRefunded);
                await Store.MarkRefundedAsync(a.Id, group.Id, Ct);
                Assert.Equal(3, (await Store.StatsAsync(a.Id, Ct)).OrdersRefunded);
            }
        }
    }

    [Fact]
    public async Task A_sweep_racing_late_payments_never_reports_a_seat_paid_but_unrefunded()
    {
        for (var round = 0; round < 10; round++)
        {
            var a = await ActivityAsync(size: 4);
            var leader = Seat(NewMember(), leader: true);
            var group = await OpenAsync(a, leader);
            var late = new[] { Seat(NewMember()), Seat(NewMember()), Seat(NewMember()) };
            foreach (var s in late) await Store.JoinAsync(a, group.Id, s, Ct);
            await Store.MarkPaidAsync(a.Id, group.Id, leader.OrderId, Ct);
            Assert.Equal(GroupStatus.Failed, (await Store.DecideAsync(a.Id, group.Id, expired: true, Ct)).Status);

            // Late payments land on the failed group while it is being swept.
            var sweeps = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Store.MarkRefundedAsync(a.Id, group.Id, Ct), Ct)).ToList();
            var payments = late.Select(s => Task.Run(() => Store.MarkPaidAsync(a.Id, group.Id, s.OrderId, Ct), Ct)).ToList();
            await Task.WhenAll(sweeps.Concat<Task>(payments));

            // What a sweep reports has every paid seat refunded; a seat it saw unpaid is left for the next sweep, which finishes the job.
            Assert.All(sweeps, sweep => Assert.DoesNotContain(sweep.Result.Seats, seat => seat.Status == SeatStatus.Paid));
            var final = await Store.MarkRefundedAsync(a.Id, group.Id, Ct);
            Assert.All(final.Seats, seat => Assert.Equal(SeatStatus.Refunded, seat.Status));
            Assert.Equal((4L, 4L), ((await Store.StatsAsync(a.Id, Ct)).OrdersRefunded, (long)final.Paid));
        }
    }
}
