using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Infrastructure.GroupBuys;

namespace MiniShop.Tests.Unit.GroupBuys;

public class GroupBuyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static readonly GroupBuyProductFacts Product = new("shop-1", new Dictionary<string, long> { ["sku-a"] = 9_900, ["sku-b"] = 12_900 });

    private static GroupBuyDraft Valid() => new("shop-1", "三人团", null, "prd-1",
        [new GroupBuySkuDraft("sku-a", 6_900), new GroupBuySkuDraft("sku-b", 8_900)], 3, null, 2, Now.AddHours(1), Now.AddDays(7), null, 500);

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(GroupBuyDraft draft, GroupBuyProductFacts? product = null)
        => Assert.Throws<ValidationException>(() => GroupBuyRules.Create("gb-1", draft, product ?? Product, 300, Now)).Errors;

    [Fact]
    public void A_valid_activity_is_active_with_the_default_group_duration_and_leader_price()
    {
        var a = GroupBuyRules.Create("gb-1", Valid(), Product, 300, Now);

        Assert.Equal((GroupBuyStatus.Active, 1L, 24 * 3600, "gb-1"), (a.Status, a.Version, a.GroupDurationSeconds, a.ActivityId));
        Assert.False(a.IsRunningAt(Now));
        Assert.True(a.IsRunningAt(Now.AddHours(2)));
        Assert.Equal(6_400, a.UnitPriceFen(a.FindSku("sku-a")!, leader: true));
        Assert.Equal(6_900, a.UnitPriceFen(a.FindSku("sku-a")!, leader: false));
        Assert.Equal(Now.AddHours(2).AddDays(1), a.GroupDeadline(Now.AddHours(2)));
        Assert.Equal(a.EndsAt, a.GroupDeadline(a.EndsAt.AddHours(-1))); // a group never outlives its activity
    }

    [Fact]
    public void Every_wrong_field_is_named()
    {
        var errors = ErrorsOf(new GroupBuyDraft(null, "", null, "prd-1",
            [new GroupBuySkuDraft("sku-a", 9_900), new GroupBuySkuDraft("sku-x", 0), new GroupBuySkuDraft("sku-a", 100), null], 1, 10, 0,
            Now.AddDays(2), Now.AddDays(1), 1, -1));

        Assert.Equal(
            ["endsAt", "groupDurationSeconds", "groupSize", "leaderDiscountFen", "name", "perMemberLimit", "shopId", "skus[0].groupPriceFen",
             "skus[1].groupPriceFen", "skus[1].skuId", "skus[2].skuId", "skus[3]", "virtualSuccessMaxMissing"],
            errors.Keys.Order());
    }

    [Fact]
    public void Prices_must_stay_below_list_the_product_must_be_the_shops_and_virtual_success_must_leave_someone_to_pay()
    {
        Assert.Contains("productId", ErrorsOf(Valid(), Product with { ShopId = "shop-2" }).Keys);
        Assert.Contains("productId", Assert.Throws<ValidationException>(() => GroupBuyRules.Create("gb-1", Valid(), null, 300, Now)).Errors.Keys);
        Assert.Contains("skus[0].groupPriceFen", ErrorsOf(Valid() with { Skus = [new GroupBuySkuDraft("sku-a", 9_900)] }).Keys);
        Assert.Contains("leaderDiscountFen", ErrorsOf(Valid() with { LeaderDiscountFen = 6_900 }).Keys);
        Assert.Contains("virtualSuccessMaxMissing", ErrorsOf(Valid() with { VirtualSuccessMaxMissing = 3 }).Keys);
        Assert.Contains("skus", ErrorsOf(Valid() with { Skus = [] }).Keys);
        Assert.Equal(2, GroupBuyRules.Create("gb-1", Valid() with { VirtualSuccessMaxMissing = 2 }, Product, 300, Now).VirtualSuccessMaxMissing);
    }

    [Fact]
    public void Content_changes_only_before_the_start_and_an_ended_activity_stays_ended()
    {
        var a = GroupBuyRules.Create("gb-1", Valid(), Product, 300, Now);
        var edited = GroupBuyRules.Update(a, Valid() with { Name = "五人团", GroupSize = 5 }, Product, 300, Now.AddMinutes(1));
        Assert.Equal(("五人团", 5, 2L, a.CreatedAt), (edited.Name, edited.GroupSize, edited.Version, edited.CreatedAt));
        Assert.Equal("group_buy_started", Assert.Throws<ConflictException>(() => GroupBuyRules.Update(a, Valid(), Product, 300, a.StartsAt)).Code);
        Assert.Contains("shopId", Assert.Throws<ValidationException>(() => GroupBuyRules.Update(a, Valid() with { ShopId = "shop-2" }, Product, 300, Now)).Errors.Keys);

        var ended = GroupBuyRules.SetStatus(a, GroupBuyStatus.Ended, Now);
        Assert.Same(ended, GroupBuyRules.SetStatus(ended, GroupBuyStatus.Ended, Now));
        Assert.Equal("group_buy_ended", Assert.Throws<ConflictException>(() => GroupBuyRules.SetStatus(ended, GroupBuyStatus.Active, Now)).Code);
        Assert.False(GroupBuyRules.SetStatus(a, GroupBuyStatus.Paused, Now).IsRunningAt(Now.AddHours(2)));
    }

    private static Group GroupOf(int size, int paid, int? virtualMax = null, GroupStatus status = GroupStatus.Open)
        => new("gb-1-0123456789abcdef", "gb-1", "shop-1", "prd-1", "m1", size, virtualMax, status, paid, paid, paid, [], Now, Now.AddHours(1));

    [Theory]
    [InlineData(3, 3, null, false, GroupStatus.Succeeded, "full")]
    [InlineData(3, 2, null, false, GroupStatus.Open, null)]
    [InlineData(3, 2, null, true, GroupStatus.Failed, "expired")]
    [InlineData(3, 2, 1, true, GroupStatus.Succeeded, "virtual")]
    [InlineData(3, 1, 1, true, GroupStatus.Failed, "expired")]
    [InlineData(3, 0, 2, true, GroupStatus.Failed, "expired")]
    [InlineData(3, 3, 1, true, GroupStatus.Succeeded, "full")]
    public void A_group_is_decided_by_its_paid_seats(int size, int paid, int? virtualMax, bool expired, GroupStatus status, string? outcome)
    {
        var d = GroupOf(size, paid, virtualMax).Decide(expired);

        Assert.Equal((status, outcome), (d.Status, d.Outcome));
        Assert.Equal(status == GroupStatus.Open ? null : paid, d.Guard);
    }

    [Fact]
    public void A_decided_group_stays_decided()
    {
        var d = GroupOf(3, 3, status: GroupStatus.Failed).Decide(expired: true);
        Assert.Equal((GroupStatus.Failed, (int?)null), (d.Status, d.Guard));
    }

    [Fact]
    public void A_group_id_names_its_activity_and_only_ids_we_made_are_recognised()
    {
        var id = GroupBuyIds.GroupIdFor("gb_0197abcd", "mbr_1", "key-1");
        Assert.Equal(id, GroupBuyIds.GroupIdFor("gb_0197abcd", "mbr_1", "key-1"));
        Assert.NotEqual(id, GroupBuyIds.GroupIdFor("gb_0197abcd", "mbr_2", "key-1"));
        Assert.Equal("gb_0197abcd", GroupBuyIds.ActivityIdOf(id));
        Assert.Null(GroupBuyIds.ActivityIdOf("gb_0197abcd"));
        Assert.Null(GroupBuyIds.ActivityIdOf("gb_0197abcd-XYZ0123456789abc"));
        Assert.Null(GroupBuyIds.ActivityIdOf("-0123456789abcdef"));
        Assert.Equal(34, GroupBuyIds.RefundId("ord" + new string('a', 29)).Length);
    }
}
