using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Domain.Presales;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Payments;

namespace MiniShop.Infrastructure.Presales;

public sealed record DepositRequest(string? SkuId, int? Quantity, string? AddressId, long? ExpectedPayableFen);

public sealed record BalanceRequest(List<string>? CouponIds, bool? UsePoints, long? MaxPoints, long? ExpectedBalanceFen);

/// <summary>The balance of a presale order: the line at today's prices and offers, less what the deposit counts for.</summary>
public sealed record BalancePreview(string OrderId, long DepositFen, long DepositValueFen, CheckoutPreview Pricing, long BalanceFen, DateTimeOffset DueBy);

public sealed record BalanceResult(string PaymentOrderId, long BalanceFen, DateTimeOffset DueBy);

/// <summary>
/// A shopper's presale: the deposit goes through the normal checkout (deposit as an exclusive activity price, no coupons,
/// no shipping); the balance is priced again when its window is open, and paid as a second payment order of the same order.
/// </summary>
public sealed class PresaleService(
    PresaleAdminService presales,
    CheckoutService checkout,
    CheckoutPricer pricer,
    PaymentDocuments docs,
    PaymentIndex index,
    CouponWallet wallet,
    TimeProvider time)
{
    public async Task<(CheckoutResult Result, bool Created)> PlaceDepositAsync(string memberId, string presaleId, string? key, DepositRequest request, IOrderLifecycle lifecycle, CancellationToken ct)
    {
        var presale = (await presales.GetAsync(presaleId, ct)).Value;
        var now = time.GetUtcNow();
        if (!presale.AcceptsDepositsAt(now)) throw new BusinessRuleException("presale_closed", "This presale is not taking deposits now.");
        var v = new Validator().Required(request.SkuId, "skuId", 64);
        v.Check(request.SkuId is null || presale.CoversSku(request.SkuId), "skuId", "is not part of this presale.");
        v.Check(request.Quantity is > 0 && request.Quantity <= presale.PerMemberLimit, "quantity", $"must be between 1 and {presale.PerMemberLimit}.");
        v.ThrowIfInvalid();

        var activity = new CheckoutActivity(new ActivityRef(ActivityRef.Presale, presale.Id),
            new Dictionary<string, ActivityPrice>
            {
                [request.SkuId!] = new(ActivityPriceKind.Presale, presale.Id, presale.DepositFen) { IsExclusive = true, DepositFen = presale.DepositFen },
            },
            PaymentTimeout: null)
        {
            NoShipping = true,
            Presale = new PresaleTerms(presale.Id, 0, presale.DepositValueFen * request.Quantity!.Value, presale.BalanceStartsAt, presale.BalanceEndsAt,
                presale.DepositRefundable, ""),
        };
        var body = new CheckoutRequest([new CheckoutItem(presale.ProductId, request.SkuId, request.Quantity)], request.AddressId, [], false, null, null, request.ExpectedPayableFen);
        return await checkout.PlaceAsync(memberId, key, body, lifecycle, ct, activity);
    }

    public async Task<BalancePreview> PreviewBalanceAsync(string memberId, string orderId, BalanceRequest request, CancellationToken ct)
    {
        var (order, _) = await BalanceOrderAsync(memberId, orderId, ct);
        var priced = await PriceBalanceAsync(memberId, order, request, ct);
        return new BalancePreview(order.Id, order.Presale!.DepositFen, order.Presale.DepositValueFen, CheckoutPreviewMapper.ToPreview(priced, null),
            Balance(order, priced), order.Presale.BalanceEndsAt);
    }

    /// <summary>
    /// Creates the balance payment order (one per presale order: a repeat returns it), with coupon and points locks, in one
    /// batch with a note on the order. Paying it moves the order on to shipment.
    /// </summary>
    public async Task<BalanceResult> PlaceBalanceAsync(string memberId, string orderId, BalanceRequest request, IOrderLifecycle lifecycle, CancellationToken ct)
    {
        var (order, etag) = await BalanceOrderAsync(memberId, orderId, ct);
        var paymentId = "bal" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(order.Id)))[..29];
        if (await docs.FindPaymentAsync(memberId, paymentId, ct) is { } existing)
            return new BalanceResult(existing.Value.Id, existing.Value.AmountFen, existing.Value.ExpiresAt);

        var priced = await PriceBalanceAsync(memberId, order, request, ct);
        var balance = Balance(order, priced);
        if (request.ExpectedBalanceFen is null) throw ValidationException.For("expectedBalanceFen", "send the balance the shopper confirmed.");
        if (request.ExpectedBalanceFen != balance)
            throw new ConflictException("price_changed", $"The balance is now {Money.Yuan(balance)}; review it again.");
        if (!priced.Pricing.PinnedCouponsHonoured)
            throw new BusinessRuleException("coupon_not_applicable", string.Join(" ", priced.Pricing.UnusedCoupons.Where(u => u.WasPinned).Select(u => u.Message)));

        var now = time.GetUtcNow();
        var plan = FinalPlan(order, priced, balance);
        var payment = new PaymentOrder(paymentId, memberId, [order.Id], balance, PaymentStatus.Pending, priced.Pricing.ChosenCouponIds, priced.Pricing.Points.PointsUsed,
            now, order.Presale!.BalanceEndsAt, 1, Purpose: PaymentPurpose.Balance, Balance: plan);
        await index.RecordPaymentAsync(paymentId, memberId, ct);

        var batch = docs.Members.CreateTransactionalBatch(new PartitionKey(memberId))
            .ReplaceItem(order.Id, order.Note(now, "balance payment created", memberId, Money.Yuan(balance)), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag })
            .CreateItem(payment);
        foreach (var (id, ops, predicate) in wallet.LockOperations(payment.CouponIds, payment.Id))
            batch.PatchItem(id, ops.ToList(), new TransactionalBatchPatchItemRequestOptions { FilterPredicate = predicate });
        if (payment.PointsUsed > 0) batch.LockPoints(memberId, payment.Id, payment.PointsUsed, "held for a presale balance", now);
        using var response = await batch.ExecuteAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            if (await docs.FindPaymentAsync(memberId, paymentId, ct) is { } raced) return new BalanceResult(raced.Value.Id, raced.Value.AmountFen, raced.Value.ExpiresAt);
            throw response.StatusCode == HttpStatusCode.PreconditionFailed
                ? new ConflictException("balance_contended", "The order, a coupon or your points changed; review the balance again.")
                : new InvalidOperationException($"Balance batch failed: {response.StatusCode} {response.ErrorMessage}");
        }
        await lifecycle.StartAsync(payment, ct);
        return new BalanceResult(payment.Id, balance, payment.ExpiresAt);
    }

    private async Task<(Order Order, string ETag)> BalanceOrderAsync(string memberId, string orderId, CancellationToken ct)
    {
        var found = await docs.FindOrderAsync(memberId, orderId, ct) ?? throw new NotFoundException("Order", orderId);
        var order = found.Value;
        if (order.Presale is null) throw new BusinessRuleException("not_presale", "This order has no balance to pay.");
        if (order.Status != OrderStatus.AwaitingBalance) throw new ConflictException("order_state", $"The order is {order.Status}; there is no balance to pay.");
        var now = time.GetUtcNow();
        if (now < order.Presale.BalanceStartsAt) throw new BusinessRuleException("balance_not_open", $"The balance can be paid from {order.Presale.BalanceStartsAt:u}.");
        if (now >= order.Presale.BalanceEndsAt) throw new BusinessRuleException("balance_closed", "The balance window has closed.");
        return (order, found.ETag);
    }

    private Task<PricedCheckout> PriceBalanceAsync(string memberId, Order order, BalanceRequest request, CancellationToken ct)
    {
        var line = order.Lines.Single();
        var body = new CheckoutRequest([new CheckoutItem(line.ProductId, line.SkuId, line.Quantity)], null, request.CouponIds, request.UsePoints, request.MaxPoints, null, null);
        // Units are already held for this order: today's stock does not matter; shipping goes to the address of the deposit.
        return pricer.PriceAsync(memberId, body, new PricingOptions(AddressRequired: false, ProvinceOverride: order.Address.ProvinceCode, CheckStock: false), ct);
    }

    private static long Balance(Order order, PricedCheckout priced) => Math.Max(0, priced.Pricing.Totals.PayableFen - order.Presale!.DepositValueFen);

    /// <summary>The order as it will be once the balance is paid: the line carries deposit + balance, with the deposit bonus as a discount.</summary>
    private static PresaleBalancePlan FinalPlan(Order order, PricedCheckout priced, long balance)
    {
        var shop = priced.Pricing.Shops.Single();
        var l = shop.Lines.Single();
        var terms = order.Presale!;
        var bonus = terms.DepositValueFen - terms.DepositFen;
        var goodsPaid = terms.DepositFen + balance - shop.ShippingFen;
        var discounts = l.Allocations.Select(a => new OrderLineDiscount(a.SourceId, CheckoutPreviewMapper.Camel(a.Kind), CheckoutPreviewMapper.Camel(a.Level), a.AmountFen)).ToList();
        if (bonus > 0) discounts.Add(new OrderLineDiscount(terms.PresaleId, "depositBonus", "shop", bonus));
        var line = order.Lines.Single() with
        {
            UnitPriceFen = l.UnitPriceFen, PriceRule = CheckoutPreviewMapper.Camel(l.BaseRule), LineAmountFen = l.LineAmountFen, Discounts = discounts, PayableFen = goodsPaid,
        };
        var amounts = new OrderAmounts(shop.GoodsFen, shop.ShopDiscountFen + bonus, shop.PlatformDiscountShareFen, shop.PointsShareFen, shop.ShippingFen, terms.DepositFen + balance);
        return new PresaleBalancePlan(order.Id, [line], amounts);
    }
}
