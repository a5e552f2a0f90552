using System.Net;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Coupons;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Integration.Coupons;

public class CouponWalletTests(CouponServices services) : IClassFixture<CouponServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CouponWallet Wallet => services.Get<CouponWallet>();

    private Container Members => services.Get<CosmosDb>().Container(CosmosSchema.Members);

    private async Task<(string Member, List<WalletCoupon> Coupons)> MemberWithCouponsAsync(int count)
    {
        var template = await services.TemplateAsync(CouponServices.Draft(perMember: count));
        var member = CouponServices.NewMemberId();
        var coupons = new List<WalletCoupon>();
        for (var i = 0; i < count; i++) coupons.Add((await services.Get<CouponClaimService>().ClaimAsync(template.Id, member, null, Ct)).Coupon);
        return (member, coupons);
    }

    /// <summary>What checkout does: the lock operations inside its own transactional batch in the member's partition.</summary>
    private async Task<TransactionalBatchResponse> LockAsync(string member, IEnumerable<string> ids, string orderId)
    {
        var batch = Members.CreateTransactionalBatch(new PartitionKey(member));
        foreach (var (id, ops, predicate) in Wallet.LockOperations(ids, orderId))
            batch.PatchItem(id, ops, new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate });
        return await batch.ExecuteAsync(Ct);
    }

    private async Task<WalletCoupon> ReadAsync(string member, string id) => (await Wallet.FindAsync(member, id, Ct))!;

    [Fact]
    public async Task Locking_in_a_batch_takes_available_coupons_once()
    {
        var (member, coupons) = await MemberWithCouponsAsync(2);

        using (var locked = await LockAsync(member, coupons.Select(c => c.Id), "ord_1"))
            Assert.True(locked.IsSuccessStatusCode, locked.ErrorMessage);
        var c0 = await ReadAsync(member, coupons[0].Id);
        Assert.Equal((WalletCouponStatus.Locked, "ord_1"), (c0.Status, c0.LockedByOrderId));
        Assert.NotNull(c0.LockedAt);

        // A second order cannot take a locked coupon: its batch fails as a whole.
        using var again = await LockAsync(member, [coupons[1].Id], "ord_2");
        Assert.False(again.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, again[0].StatusCode);
        Assert.Equal("ord_1", (await ReadAsync(member, coupons[1].Id)).LockedByOrderId);
        Assert.Empty(await Wallet.UsableAsync(member, DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task Release_and_consume_are_idempotent_and_only_touch_the_orders_coupons()
    {
        var (member, coupons) = await MemberWithCouponsAsync(3);
        (await LockAsync(member, [coupons[0].Id, coupons[1].Id], "ord_a")).Dispose();
        (await LockAsync(member, [coupons[2].Id], "ord_b")).Dispose();

        Assert.Equal(2, await Wallet.ReleaseAsync(member, "ord_a", Ct));
        Assert.Equal(0, await Wallet.ReleaseAsync(member, "ord_a", Ct));
        var released = await ReadAsync(member, coupons[0].Id);
        Assert.Equal((WalletCouponStatus.Available, (string?)null, (DateTimeOffset?)null), (released.Status, released.LockedByOrderId, released.LockedAt));
        Assert.Equal(WalletCouponStatus.Locked, (await ReadAsync(member, coupons[2].Id)).Status);

        Assert.Equal(1, await Wallet.ConsumeAsync(member, "ord_b", Ct));
        Assert.Equal(0, await Wallet.ConsumeAsync(member, "ord_b", Ct));
        Assert.Equal(0, await Wallet.ReleaseAsync(member, "ord_b", Ct)); // a used coupon never comes back
        var used = await ReadAsync(member, coupons[2].Id);
        Assert.Equal((WalletCouponStatus.Used, "ord_b", (string?)null), (used.Status, used.UsedByOrderId, used.LockedByOrderId));
        Assert.NotNull(used.UsedAt);

        Assert.Equal([coupons[0].Id, coupons[1].Id], (await Wallet.UsableAsync(member, DateTimeOffset.UtcNow, Ct)).Select(c => c.Id).Order());
        Assert.Equal([coupons[2].Id], (await Wallet.ListAsync(member, WalletCouponState.Used, Ct)).Select(c => c.Id));
        Assert.Empty(await Wallet.ListAsync(member, WalletCouponState.Locked, Ct));
    }

    [Fact]
    public async Task Concurrent_consumes_and_releases_of_one_order_settle_once()
    {
        var (member, coupons) = await MemberWithCouponsAsync(2);
        (await LockAsync(member, coupons.Select(c => c.Id), "ord_c")).Dispose();

        var changes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Wallet.ConsumeAsync(member, "ord_c", Ct), Ct)));

        Assert.Equal(2, changes.Sum());
        Assert.All(await Wallet.ListAsync(member, null, Ct), c => Assert.Equal(WalletCouponStatus.Used, c.Status));
    }

    [Fact]
    public async Task Expired_coupons_are_listed_as_expired_and_are_not_usable()
    {
        var now = DateTimeOffset.UtcNow;
        var template = await services.TemplateAsync(CouponServices.Draft(claimFrom: now.AddDays(-10),
            validity: new CouponValidityDraft(CouponValidityKind.Fixed, now.AddDays(-10), now.AddSeconds(-5), null)));
        var member = CouponServices.NewMemberId();
        var coupon = (await services.Get<CouponClaimService>().ClaimAsync(template.Id, member, null, Ct)).Coupon;

        Assert.Empty(await Wallet.UsableAsync(member, now, Ct));
        Assert.Equal([coupon.Id], (await Wallet.ListAsync(member, WalletCouponState.Expired, Ct)).Select(c => c.Id));
        Assert.Empty(await Wallet.ListAsync(member, WalletCouponState.Available, Ct));
        Assert.Single(await Wallet.UsableAsync(member, now.AddDays(-1), Ct));
    }

    [Fact]
    public void Lock_operations_refuse_an_order_id_that_could_break_the_predicate()
        => Assert.Throws<ArgumentException>(() => Wallet.LockOperations(["cpn:x:1"], "ord' OR 1=1").ToList());
}
