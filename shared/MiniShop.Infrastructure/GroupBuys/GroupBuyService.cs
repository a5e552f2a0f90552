using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;
using MiniShop.Domain.Orders;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>Opening or joining a group: one SKU, a quantity, the address, and the payable total the shopper confirmed.</summary>
public sealed record GroupBuyOrderRequest(string? SkuId, int? Quantity, string? AddressId, long? ExpectedPayableFen, string? Remark);

/// <summary>The confirm page of a group order. No groupId: opening a group (the leader price).</summary>
public sealed record GroupBuyPreviewRequest(string? SkuId, int? Quantity, string? AddressId, string? GroupId);

public sealed record GroupBuySkuView(string SkuId, IReadOnlyList<string> SpecValues, long ListPriceFen, long GroupPriceFen, long LeaderPriceFen, bool InStock);

public sealed record GroupSummaryView(string GroupId, string LeaderName, string? LeaderAvatarUrl, int SeatsLeft, DateTimeOffset ExpiresAt, long SecondsLeft);

/// <summary>An activity as the storefront shows it, with a few open groups to join.</summary>
public sealed record GroupBuyView(
    string Id, string ShopId, string Name, string? Description, string ProductId, string ProductTitle, string? CoverUrl,
    IReadOnlyList<GroupBuySkuView> Skus, int GroupSize, int GroupDurationSeconds, int PerMemberLimit, long LeaderDiscountFen,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status, bool Running, IReadOnlyList<GroupSummaryView> OpenGroups);

/// <summary>A member of a group as anyone with the share link sees them: masked name, avatar, leader or not, paid or not.</summary>
public sealed record GroupMemberView(string DisplayName, string? AvatarUrl, bool Leader, bool Paid, DateTimeOffset JoinedAt);

public sealed record GroupView(
    string GroupId, string ActivityId, string ActivityName, string ProductId, string Status, string? Outcome, int Size, int SeatsLeft, int PaidMembers,
    IReadOnlyList<GroupMemberView> Members, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt, long SecondsLeft);

/// <summary>The placed group order: the group to share and the payment order to pay.</summary>
public sealed record GroupOrderResult(string GroupId, string PaymentOrderId, long PayableFen, DateTimeOffset PaymentDueAt, IReadOnlyList<PlacedOrderView> Orders);

/// <summary>
/// The shopper's side of group buying. Opening or joining takes a seat first (conditional batch on the group, the
/// member's ticket and quota), then places the order through the normal checkout with the group price; a checkout that
/// fails gives the seat back. The opener's group and its orchestration are created once the order exists.
/// </summary>
public sealed class GroupBuyService(
    GroupBuyStore store,
    CheckoutService checkout,
    PaymentDocuments docs,
    CosmosDb db,
    IFieldEncryptor encryptor,
    IOptions<OrderOptions> orderOptions,
    IOptions<GroupBuyOptions> options,
    TimeProvider time,
    ILogger<GroupBuyService> log)
{
    public const int OpenGroupsShown = 10;

    public async Task<GroupBuyView> ActivityViewAsync(string activityId, CancellationToken ct)
    {
        var a = await ActivityAsync(activityId, ct);
        var product = (await db.Container(CosmosSchema.Products).ReadOrNullAsync<Product>(a.ProductId, a.ProductId, ct))?.Value
                      ?? throw new NotFoundException("Group buy", activityId);
        var now = time.GetUtcNow();
        var skus = a.Skus.Select(s => product.FindSku(s.SkuId) is { } sku
            ? new GroupBuySkuView(s.SkuId, sku.SpecValues, sku.ListPriceFen, s.GroupPriceFen, a.UnitPriceFen(s, leader: true), sku.Enabled && sku.Stock.Available > 0)
            : null).OfType<GroupBuySkuView>().ToList();
        var running = a.IsRunningAt(now);
        var open = running ? await store.OpenGroupsAsync(a.Id, OpenGroupsShown, ct) : [];
        return new GroupBuyView(a.Id, a.ShopId, a.Name, a.Description, a.ProductId, product.Title, product.CoverUrl, skus, a.GroupSize, a.GroupDurationSeconds,
            a.PerMemberLimit, a.LeaderDiscountFen, a.StartsAt, a.EndsAt, GroupBuyStore.Camel(a.Status), running,
            open.Select(g =>
            {
                var leader = g.Seats.FirstOrDefault(s => s.Leader) ?? g.Seats[0];
                return new GroupSummaryView(g.Id, leader.DisplayName, leader.AvatarUrl, g.SeatsLeft, g.ExpiresAt, SecondsLeft(g, now));
            }).ToList());
    }

    public async Task<GroupView> GroupViewAsync(string groupId, CancellationToken ct)
    {
        var activityId = GroupBuyIds.ActivityIdOf(groupId) ?? throw new NotFoundException("Group", groupId);
        var group = (await store.FindGroupAsync(activityId, groupId, ct))?.Value ?? throw new NotFoundException("Group", groupId);
        var a = await ActivityAsync(activityId, ct);
        var members = group.Seats.Where(s => s.Status is SeatStatus.Held or SeatStatus.Paid or SeatStatus.Refunded)
            .Select(s => new GroupMemberView(s.DisplayName, s.AvatarUrl, s.Leader, s.Status is SeatStatus.Paid or SeatStatus.Refunded, s.JoinedAt)).ToList();
        return new GroupView(group.Id, a.Id, a.Name, group.ProductId, GroupBuyStore.Camel(group.Status), group.Outcome, group.Size,
            group.Status == GroupStatus.Open ? group.SeatsLeft : 0, group.Paid, members, group.OpenedAt, group.ExpiresAt, SecondsLeft(group, time.GetUtcNow()));
    }

    public async Task<CheckoutPreview> PreviewAsync(string memberId, string activityId, GroupBuyPreviewRequest request, CancellationToken ct)
    {
        var v = new Validator();
        v.Required(request.SkuId, "skuId", 64);
        v.Check(request.Quantity is >= 1, "quantity", "must be 1 or more.");
        if (request.GroupId is not null) v.Check(GroupBuyIds.ActivityIdOf(request.GroupId) == activityId, "groupId", "is not a group of this group buy.");
        v.ThrowIfInvalid();
        var a = await ActivityAsync(activityId, ct);
        RequireRunning(a);
        var sku = Sku(a, request.SkuId!, request.Quantity!.Value);
        var items = new CheckoutRequest([new CheckoutItem(a.ProductId, sku.SkuId, request.Quantity)], request.AddressId, [], false, null, null, null);
        return await checkout.PreviewAsync(memberId, items, ct, Activity(a, request.GroupId ?? "preview", sku, leader: request.GroupId is null));
    }

    /// <summary>Opens a group: the opener's seat, their order (leader price), then the group and its orchestration.</summary>
    public async Task<(GroupOrderResult Result, bool Created)> OpenAsync(string memberId, string activityId, string? key, GroupBuyOrderRequest request,
        OrderLifecycleClient lifecycle, CancellationToken ct)
    {
        Validate(request, key);
        var a = await ActivityAsync(activityId, ct);
        RequireRunning(a);
        var sku = Sku(a, request.SkuId!, request.Quantity!.Value);
        var groupId = GroupBuyIds.GroupIdFor(a.Id, memberId, key!);
        var orderId = CheckoutPlan.OrderIdFor(memberId, key!, a.ShopId);
        var took = await store.HoldLeaderAsync(a, groupId, memberId, orderId, request.Quantity.Value, ct);
        var (placed, created) = await PlaceAsync(memberId, key!, a, groupId, orderId, sku, request, leader: true, took, lifecycle, ct);

        var now = time.GetUtcNow();
        var (name, avatar) = await DisplayAsync(memberId, ct);
        var seat = new GroupSeat(memberId, orderId, sku.SkuId, request.Quantity.Value, true, SeatStatus.Held, name, avatar, now, placed.PaymentDueAt);
        var group = await store.CreateGroupAsync(new Group(groupId, a.Id, a.ShopId, a.ProductId, memberId, a.GroupSize, a.VirtualSuccessMaxMissing,
            GroupStatus.Open, 1, 0, 0, [seat], now, a.GroupDeadline(now)), ct);
        await lifecycle.StartOnceAsync(GroupBuyNames.GroupBuyLifecycle, groupId,
            new GroupBuyLifecycleInput(a.Id, groupId, group.ExpiresAt.UtcDateTime, options.Value.SettleMarginSeconds, options.Value.MaxSweeps), ct);
        return (Result(groupId, placed), created);
    }

    /// <summary>Joins a group through its share link: a seat (never more taken than the group has), then the order.</summary>
    public async Task<(GroupOrderResult Result, bool Created)> JoinAsync(string memberId, string groupId, string? key, GroupBuyOrderRequest request,
        OrderLifecycleClient lifecycle, CancellationToken ct)
    {
        Validate(request, key);
        var activityId = GroupBuyIds.ActivityIdOf(groupId) ?? throw new NotFoundException("Group", groupId);
        var a = (await store.FindActivityAsync(activityId, ct))?.Value ?? throw new NotFoundException("Group", groupId);
        RequireRunning(a);
        var sku = Sku(a, request.SkuId!, request.Quantity!.Value);
        var orderId = CheckoutPlan.OrderIdFor(memberId, key!, a.ShopId);
        var now = time.GetUtcNow();
        var (name, avatar) = await DisplayAsync(memberId, ct);
        var seat = new GroupSeat(memberId, orderId, sku.SkuId, request.Quantity.Value, false, SeatStatus.Held, name, avatar, now,
            now.AddSeconds(orderOptions.Value.PaymentTimeoutSeconds));
        bool took;
        try
        {
            took = await store.JoinAsync(a, groupId, seat, ct);
        }
        catch (ConflictException e) when (e.Code == "group_full")
        {
            if (await ReclaimOrphanSeatsAsync(a, groupId, ct) == 0) throw;
            took = await store.JoinAsync(a, groupId, seat, ct);
        }
        var (placed, created) = await PlaceAsync(memberId, key!, a, groupId, orderId, sku, request, leader: false, took, lifecycle, ct);
        return (Result(groupId, placed), created);
    }

    private async Task<(CheckoutResult, bool)> PlaceAsync(string memberId, string key, GroupBuyActivity a, string groupId, string orderId, GroupBuySku sku,
        GroupBuyOrderRequest request, bool leader, bool tookSeat, OrderLifecycleClient lifecycle, CancellationToken ct)
    {
        var items = new CheckoutRequest([new CheckoutItem(a.ProductId, sku.SkuId, request.Quantity)], request.AddressId, [], false, null,
            string.IsNullOrWhiteSpace(request.Remark) ? null : new Dictionary<string, string> { [a.ShopId] = request.Remark }, request.ExpectedPayableFen);
        try
        {
            return await checkout.PlaceAsync(memberId, key, items, lifecycle, ct, Activity(a, groupId, sku, leader));
        }
        catch (Exception e) when (tookSeat && e is not ConflictException { Code: "checkout_in_progress" })
        {
            // The order was not written (a failed checkout leaves nothing behind), or the key already names an order of
            // something else: give the seat back, so the same key may retry.
            var order = await docs.FindOrderAsync(memberId, orderId, CancellationToken.None);
            if (order?.Value.Activity?.GroupId != groupId)
                await store.ReleaseAsync(a.Id, groupId, memberId, orderId, TicketStatus.Void, CancellationToken.None);
            else log.LogWarning(e, "Group order {OrderId} exists although its checkout failed; its seat stays", orderId);
            throw;
        }
    }

    /// <summary>
    /// Seats held by joins that died before placing their order (no order after the seat lease) go back, so a crash
    /// cannot keep a group from filling. Returns how many were given back.
    /// </summary>
    private async Task<int> ReclaimOrphanSeatsAsync(GroupBuyActivity a, string groupId, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddSeconds(-options.Value.SeatLeaseSeconds);
        var group = await store.GetGroupAsync(a.Id, groupId, ct);
        var reclaimed = 0;
        foreach (var seat in group.Seats.Where(s => s is { Status: SeatStatus.Held, Leader: false } && s.JoinedAt < cutoff))
        {
            if (await docs.FindOrderAsync(seat.MemberId, seat.OrderId, ct) is not null) continue; // its payment lifecycle settles it
            log.LogWarning("Group {GroupId}: seat of order {OrderId} given back, the order was never placed", groupId, seat.OrderId);
            await store.ReleaseAsync(a.Id, groupId, seat.MemberId, seat.OrderId, TicketStatus.Void, ct);
            reclaimed++;
        }
        return reclaimed;
    }

    private static CheckoutActivity Activity(GroupBuyActivity a, string groupId, GroupBuySku sku, bool leader)
        => new(new ActivityRef(ActivityRef.GroupBuy, a.Id, groupId),
            new Dictionary<string, ActivityPrice> { [sku.SkuId] = new(ActivityPriceKind.GroupBuy, a.Id, a.UnitPriceFen(sku, leader)) { IsExclusive = true } });

    private static GroupOrderResult Result(string groupId, CheckoutResult r) => new(groupId, r.PaymentOrderId, r.PayableFen, r.PaymentDueAt, r.Orders);

    private async Task<GroupBuyActivity> ActivityAsync(string activityId, CancellationToken ct)
        => (await store.FindActivityAsync(activityId, ct))?.Value ?? throw new NotFoundException("Group buy", activityId);

    private void RequireRunning(GroupBuyActivity a)
    {
        var now = time.GetUtcNow();
        if (a.IsRunningAt(now)) return;
        throw new BusinessRuleException("group_buy_not_running", a.Status switch
        {
            GroupBuyStatus.Paused => "This group buy is paused.",
            GroupBuyStatus.Ended => "This group buy has ended.",
            _ when now < a.StartsAt => $"This group buy starts at {a.StartsAt:u}.",
            _ => "This group buy has ended.",
        });
    }

    private static GroupBuySku Sku(GroupBuyActivity a, string skuId, int quantity)
    {
        var sku = a.FindSku(skuId) ?? throw ValidationException.For("skuId", "is not a SKU of this group buy.");
        if (quantity > a.PerMemberLimit) throw ValidationException.For("quantity", $"at most {a.PerMemberLimit} per member in this group buy.");
        return sku;
    }

    private static void Validate(GroupBuyOrderRequest request, string? key)
    {
        var v = new Validator();
        v.Required(request.SkuId, "skuId", 64);
        v.Check(request.Quantity is >= 1, "quantity", "must be 1 or more.");
        v.Required(request.AddressId, "addressId", 64);
        v.Check(request.ExpectedPayableFen is >= 0, "expectedPayableFen", "send the payable total the shopper confirmed (see the preview).");
        v.Optional(request.Remark, "remark", 200);
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            v.Add("Idempotency-Key", "send a header of 1-64 letters, digits, '-' or '_', unique per order.");
        v.ThrowIfInvalid();
    }

    /// <summary>The masked name (first character + "**", or 微信用户) and avatar others see in the group.</summary>
    private async Task<(string Name, string? Avatar)> DisplayAsync(string memberId, CancellationToken ct)
    {
        var member = (await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(memberId, memberId, ct))?.Value;
        string? nickname = null;
        if (member?.NicknameEncrypted is { } encrypted)
        {
            try { nickname = encryptor.Decrypt(encrypted); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException) { }
        }
        return (string.IsNullOrWhiteSpace(nickname) ? "微信用户" : nickname[..(char.IsHighSurrogate(nickname[0]) && nickname.Length > 1 ? 2 : 1)] + "**", member?.AvatarUrl);
    }

    private static long SecondsLeft(Group g, DateTimeOffset now) => g.Status == GroupStatus.Open ? Math.Max(0, (long)(g.ExpiresAt - now).TotalSeconds) : 0;
}
