using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;
using MiniShop.Domain.Orders;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;

namespace MiniShop.Infrastructure.FlashSales;

/// <summary>
/// A flash-sale purchase: <see cref="Quantity"/> units of one item, delivered to <see cref="AddressId"/>. Coupons and points
/// as in checkout (coupons only where the item allows them). <see cref="ExpectedPayableFen"/> is optional: without it
/// the order is placed at the total the server computes (the flash price plus shipping).
/// </summary>
public sealed record FlashPurchaseRequest(
    int? Quantity,
    string? AddressId,
    List<string>? CouponIds,
    bool? UsePoints,
    long? MaxPoints,
    long? ExpectedPayableFen,
    string? Remark);

/// <summary>
/// Buying in a flash sale, cheapest checks first so that the many losers cost next to nothing:
/// <list type="number">
/// <item>the member's token bucket (429 from memory);</item>
/// <item>the session from the in-memory catalog: running? (409 <c>flash_sale_not_running</c>); the item sold out as far as
/// this instance knows: its shards found empty in the last second, or no units left in the catalog snapshot (409
/// <c>sold_out</c> without touching the stock);</item>
/// <item>the item's admission gate: a bounded number of purchases per item go on at once, the rest wait their turn and
/// are answered from memory once the item is known sold out;</item>
/// <item>the member's limit: one conditional patch in the member's partition (409 <c>limit_reached</c>);</item>
/// <item>units from the shards (409 <c>sold_out</c> when all are empty);</item>
/// <item>the order through <see cref="CheckoutService.PlaceAsync"/> with the flash price, the flash stock source and the
/// short payment deadline.</item>
/// </list>
/// Anything failing after the units were taken gives them and the limit back. The Idempotency-Key names the order
/// (its id derives from member, key and shop), so a retry finds what the first attempt did instead of doing it twice.
/// </summary>
public sealed class FlashSaleCheckout(
    FlashSaleCatalog catalog,
    FlashStock stock,
    FlashStockMemo memo,
    FlashLimits limits,
    MemberThrottle throttle,
    CheckoutService checkout,
    CosmosDb db,
    IOptions<FlashSaleOptions> options,
    TimeProvider time,
    ILogger<FlashSaleCheckout> log)
{
    /// <summary>The confirm page of a flash-sale item: the flash price, discounts allowed on it, shipping, total. Takes no stock.</summary>
    public async Task<CheckoutPreview> PreviewAsync(string memberId, string sessionId, string itemId, FlashPurchaseRequest body, CancellationToken ct)
    {
        ValidateBody(body, addressRequired: false);
        var (session, item) = await FindAsync(sessionId, itemId, ct);
        var quantity = WithinLimit(body, item);
        if (session.PhaseAt(time.GetUtcNow()) == FlashSalePhase.Ended) throw FlashSaleProblems.NotRunning(session, time.GetUtcNow());
        return await checkout.PreviewAsync(memberId, Request(session, item, quantity, body), ct, Activity(session, item));
    }

    /// <returns>The checkout result and whether this call placed it (false: a repeat of an earlier success).</returns>
    public async Task<(CheckoutResult Result, bool Created)> BuyAsync(string memberId, string sessionId, string itemId, string? idempotencyKey,
        FlashPurchaseRequest body, IOrderLifecycle lifecycle, CancellationToken ct)
    {
        ValidateKey(idempotencyKey);
        ValidateBody(body, addressRequired: true);
        var key = idempotencyKey!;
        if (throttle.TryTake(memberId) is { } wait)
            throw new TooManyRequestsException("Too many purchase attempts at once; wait a moment and try again.", wait);
        var (session, item) = await FindAsync(sessionId, itemId, ct);
        var quantity = WithinLimit(body, item);
        var now = time.GetUtcNow();
        if (session.PhaseAt(now) != FlashSalePhase.Running || !session.StockAllocated)
            return await ReplayAsync(memberId, key, ct) ?? throw FlashSaleProblems.NotRunning(session, now);
        if (memo.IsSoldOut(session.Id, item) || await catalog.RemainingAsync(session.Id, item.Id, ct) == 0)
            return await ReplayAsync(memberId, key, ct) ?? throw FlashSaleProblems.SoldOut(item, 0);

        var orderId = CheckoutPlan.OrderIdFor(memberId, key, session.ShopId);
        var activity = Activity(session, item);
        IReadOnlyList<StockRequest> lines = [new StockRequest(item.ProductId, item.SkuId, quantity)];
        var gate = memo.GateFor(session.Id, item.Id);
        await gate.WaitAsync(ct);
        LimitClaimOutcome? claim;
        try
        {
            claim = await ClaimAndTakeAsync(memberId, session, item, orderId, quantity, activity, lines, ct);
        }
        finally
        {
            gate.Release();
        }
        switch (claim)
        {
            case null: // by our turn the item was known sold out
                return await ReplayAsync(memberId, key, ct) ?? throw FlashSaleProblems.SoldOut(item, 0);
            case LimitClaimOutcome.Placed:
                return await ReplayAsync(memberId, key, ct)
                       ?? throw new ConflictException("checkout_in_progress", "The same purchase is still being placed; retry in a moment.");
            case LimitClaimOutcome.InProgress:
                throw new ConflictException("checkout_in_progress", "The same purchase is still being placed; retry in a moment.");
        }

        (CheckoutResult Result, bool Created) placed;
        stock.NoteTaken(orderId, item.Id, quantity);
        try
        {
            // Not cancellable from here on: a shopper closing the page must not leave units held without an order.
            var request = Request(session, item, quantity, body);
            if (request.ExpectedPayableFen is null)
            {
                var preview = await checkout.PreviewAsync(memberId, request, CancellationToken.None, activity);
                request = request with { ExpectedPayableFen = preview.Totals.PayableFen };
            }
            placed = await checkout.PlaceAsync(memberId, key, request, lifecycle, CancellationToken.None, activity);
        }
        catch (Exception e)
        {
            stock.ForgetTaken(orderId, item.Id);
            // Another attempt with this key owns the order now, or the order exists after all: nothing of it is ours to undo.
            if (e is not ConflictException { Code: "checkout_in_progress" } && !await OrderExistsAsync(memberId, orderId))
                await GiveBackAsync(memberId, session, item, orderId, activity, lines);
            throw;
        }
        stock.ForgetTaken(orderId, item.Id);

        try
        {
            await limits.MarkPlacedAsync(memberId, session.Id, item.Id, orderId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Safe to lose: a retry with the key finds the lease over, takes over and gets the placed result.
            log.LogWarning(e, "Flash order {OrderId} placed, but its limit entry was not marked placed", orderId);
        }
        return placed;
    }

    /// <summary>
    /// Inside the item's gate: counts the member's limit and takes the units. Null when the item is known sold out by
    /// now (nothing touched); <see cref="LimitClaimOutcome.Placed"/> or <see cref="LimitClaimOutcome.InProgress"/> for
    /// a repeat of this purchase (nothing taken); otherwise the units are held for the order.
    /// </summary>
    private async Task<LimitClaimOutcome?> ClaimAndTakeAsync(string memberId, FlashSaleSession session, FlashSaleItem item, string orderId, long quantity,
        CheckoutActivity activity, IReadOnlyList<StockRequest> lines, CancellationToken ct)
    {
        if (memo.IsSoldOut(session.Id, item)) return null;
        var (claim, _) = await limits.ClaimAsync(memberId, session, item, orderId, quantity, ct);
        if (claim is LimitClaimOutcome.Placed or LimitClaimOutcome.InProgress) return claim;
        try
        {
            await stock.TakeAsync(session, item, orderId, memberId, quantity, mayHoldAlready: claim == LimitClaimOutcome.TakenOver, ct);
            return claim;
        }
        catch
        {
            // Sold out (the usual loser): only the limit goes back. A takeover may also find an earlier attempt's units.
            if (claim == LimitClaimOutcome.TakenOver) await GiveBackAsync(memberId, session, item, orderId, activity, lines);
            else await limits.GiveBackAsync(memberId, session.Id, item.Id, orderId, CancellationToken.None, quantity);
            throw;
        }
    }

    /// <summary>The engine's price for the item and where its units are held.</summary>
    public CheckoutActivity Activity(FlashSaleSession session, FlashSaleItem item) => new(
        new ActivityRef(ActivityRef.FlashSale, session.Id),
        new Dictionary<string, ActivityPrice>
        {
            [item.SkuId] = new(ActivityPriceKind.FlashSale, session.Id, item.FlashPriceFen) { AllowsCoupons = item.CouponsAllowed, IsExclusive = true },
        },
        FlashStock.SourceName,
        TimeSpan.FromSeconds(options.Value.PaymentTimeoutSeconds));

    private async Task GiveBackAsync(string memberId, FlashSaleSession session, FlashSaleItem item, string orderId, CheckoutActivity activity,
        IReadOnlyList<StockRequest> lines)
    {
        await stock.ReleaseAsync(orderId, activity.Ref, lines, CancellationToken.None);
        await limits.GiveBackAsync(memberId, session.Id, item.Id, orderId, CancellationToken.None);
    }

    private async Task<(FlashSaleSession Session, FlashSaleItem Item)> FindAsync(string sessionId, string itemId, CancellationToken ct)
    {
        var session = await catalog.FindSessionAsync(sessionId, ct);
        if (session is null || !session.StockAllocated) throw new NotFoundException("Flash sale", sessionId);
        return (session, session.FindItem(itemId) ?? throw new NotFoundException("Flash sale item", itemId));
    }

    /// <summary>The stored result of a completed checkout under this key (the same one <see cref="CheckoutService"/> writes).</summary>
    private async Task<(CheckoutResult, bool)?> ReplayAsync(string memberId, string key, CancellationToken ct)
    {
        var record = await db.Container(CosmosSchema.Members).ReadOrNullAsync<IdempotencyRecord>(IdempotencyRecord.IdFor("checkout", key), memberId, ct);
        return record?.Value is { State: IdempotencyState.Completed, Result: { } result } ? (result, false) : null;
    }

    private async Task<bool> OrderExistsAsync(string memberId, string orderId)
        => await db.Container(CosmosSchema.Members).ReadOrNullAsync<Order>(orderId, memberId, CancellationToken.None) is not null;

    private static CheckoutRequest Request(FlashSaleSession session, FlashSaleItem item, long quantity, FlashPurchaseRequest body) => new(
        [new CheckoutItem(item.ProductId, item.SkuId, (int)quantity)], body.AddressId, body.CouponIds, body.UsePoints, body.MaxPoints,
        string.IsNullOrWhiteSpace(body.Remark) ? null : new Dictionary<string, string> { [session.ShopId] = body.Remark },
        body.ExpectedPayableFen);

    private static void ValidateBody(FlashPurchaseRequest body, bool addressRequired)
    {
        var v = new Validator();
        v.Check(body.Quantity is >= 1, "quantity", "must be 1 or more.");
        if (addressRequired) v.Required(body.AddressId, "addressId", 64);
        v.Optional(body.Remark, "remark", 200);
        v.ThrowIfInvalid();
    }

    private static long WithinLimit(FlashPurchaseRequest body, FlashSaleItem item)
        => body.Quantity > item.PerMemberLimit ? throw FlashSaleProblems.LimitReached(item, 0) : body.Quantity!.Value;

    private static void ValidateKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw ValidationException.For("Idempotency-Key", "send a header of 1-64 letters, digits, '-' or '_', unique per purchase.");
    }
}
