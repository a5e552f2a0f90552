using System.Security.Cryptography;
using System.Text;
using MiniShop.Domain.Orders;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>
/// The documents a priced checkout becomes: one order per shop and one payment order for all of them. Ids derive from
/// the member and the Idempotency-Key, so a retry after a crash names the same orders and reuses their reservations.
/// </summary>
public sealed record CheckoutPlan(IReadOnlyList<Order> Orders, PaymentOrder Payment, CheckoutResult Result)
{
    public static CheckoutPlan Build(string memberId, string key, PricedCheckout priced, CheckoutRequest request, IFieldEncryptor encryptor,
        DateTimeOffset now, TimeSpan paymentTimeout)
    {
        var paymentId = DeterministicId("pay", memberId, key);
        var due = now + paymentTimeout;
        var address = priced.Address!;
        var snapshot = new AddressSnapshot(encryptor.Encrypt(address.RecipientName), encryptor.Encrypt(address.Phone), address.ProvinceCode,
            address.ProvinceName, address.CityName, address.DistrictName, encryptor.Encrypt(address.Detail), address.PostalCode);
        var byLine = priced.Lines.ToDictionary(l => l.LineId);
        var shopCoupons = priced.Pricing.ChosenCouponIds.Where(id => priced.Wallet[id].ShopId is not null).ToLookup(id => priced.Wallet[id].ShopId!);

        var orders = priced.Pricing.Shops.Select(shop =>
        {
            var orderId = OrderIdFor(memberId, key, shop.ShopId);
            var lines = shop.Lines.Select(l =>
            {
                var line = byLine[l.LineId];
                var product = priced.Products[line.ProductId];
                var sku = product.FindSku(line.SkuId)!;
                return new OrderLine(l.LineId, product.Id, sku.Id, sku.Code, product.Title, sku.SpecValues, product.CoverUrl, l.Quantity, l.UnitPriceFen,
                    CheckoutPreviewMapper.Camel(l.BaseRule), l.LineAmountFen,
                    l.Allocations.Select(a => new OrderLineDiscount(a.SourceId, CheckoutPreviewMapper.Camel(a.Kind), CheckoutPreviewMapper.Camel(a.Level), a.AmountFen)).ToList(),
                    l.PayableFen);
            }).ToList();
            var amounts = new OrderAmounts(shop.GoodsFen, shop.ShopDiscountFen, shop.PlatformDiscountShareFen, shop.PointsShareFen, shop.ShippingFen, shop.PayableFen);
            var remark = request.Remarks?.GetValueOrDefault(shop.ShopId);
            return new Order(orderId, memberId, shop.ShopId, paymentId, OrderStatus.PendingPayment, lines, amounts, shopCoupons[shop.ShopId].ToList(),
                PointsShare(priced.Pricing, shop), snapshot, remark?.Length > 200 ? remark[..200] : remark, now, due,
                [new OrderEvent(now, "created", memberId)], 1, Activity: priced.Activity?.Ref, StockSource: priced.Activity?.StockSource ?? StockSources.Product,
                Presale: priced.Activity?.Presale is { } terms ? terms with { DepositPaymentOrderId = paymentId, DepositFen = shop.PayableFen } : null);
        }).ToList();

        var payment = new PaymentOrder(paymentId, memberId, orders.Select(o => o.Id).ToList(), priced.Pricing.Totals.PayableFen, PaymentStatus.Pending,
            priced.Pricing.ChosenCouponIds, priced.Pricing.Points.PointsUsed, now, due, 1,
            Purpose: priced.Activity?.Presale is null ? PaymentPurpose.Full : PaymentPurpose.Deposit);
        var result = new CheckoutResult(paymentId, payment.AmountFen, due, orders.Select(o => new PlacedOrderView(o.Id, o.ShopId, o.Amounts.PayableFen)).ToList());
        return new CheckoutPlan(orders, payment, result);
    }

    /// <summary>The id the order of <paramref name="shopId"/> gets when placed with this key (campaigns hold seats under it first).</summary>
    public static string OrderIdFor(string memberId, string key, string shopId) => DeterministicId("ord", memberId, key, shopId);

    /// <summary>Points are spent per payment; each shop order records its fen share (for refunds) via the allocations.</summary>
    private static long PointsShare(PricingResult pricing, ShopPricing shop)
        => pricing.Points.DeductedFen == 0 ? 0 : pricing.Points.PointsUsed * shop.PointsShareFen / pricing.Points.DeductedFen;

    /// <summary>"pay"/"ord" + 29 hex chars: 32 characters, within WeChat Pay's out_trade_no limit.</summary>
    private static string DeterministicId(string prefix, params string[] parts)
        => prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..29];
}
