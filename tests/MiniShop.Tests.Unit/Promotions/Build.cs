using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Promotions;

/// <summary>Terse builders for engine inputs: prices in fen, everything valid "now" unless said otherwise.</summary>
internal static class Build
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly IPricingEngine Engine = new PromotionEngine();

    public static CartLine Line(string id, string shop, long unitPriceFen, int quantity = 1, string? sku = null, params string[] categories) =>
        new(id, shop, sku ?? "sku-" + id, "spu-" + id, categories, quantity, unitPriceFen);

    public static PricingRequest Request(IReadOnlyList<CartLine> lines, IReadOnlyList<Promotion>? promotions = null, IReadOnlyList<Coupon>? wallet = null, MemberProfile? member = null) =>
        new(lines, member, promotions ?? [], wallet ?? [], Now);

    public static Promotion FullReduction(string id, string? shop, params (long Threshold, long Off)[] tiers) =>
        new(id, shop, ItemScope.All, ValidityWindow.Always, new FullReductionRule([.. tiers.Select(t => new ReductionTier(t.Threshold, t.Off))]));

    public static Promotion MultiBuy(string id, string? shop, int minItems, int percentOffBasisPoints) =>
        new(id, shop, ItemScope.All, ValidityWindow.Always, new MultiBuyRule([new MultiBuyTier(minItems, percentOffBasisPoints)]));

    public static Coupon AmountCoupon(string id, string? shop, long amountFen, long thresholdFen = 0, ItemScope? scope = null, ValidityWindow? validity = null) =>
        new(id, shop, new AmountOff(amountFen), thresholdFen, scope ?? ItemScope.All, validity ?? Until(Now.AddDays(30)));

    public static Coupon PercentCoupon(string id, string? shop, int basisPoints, long? capFen = null, long thresholdFen = 0, ItemScope? scope = null) =>
        new(id, shop, new PercentOff(basisPoints, capFen), thresholdFen, scope ?? ItemScope.All, Until(Now.AddDays(30)));

    public static ValidityWindow Until(DateTimeOffset until) => new(Now.AddDays(-30), until);

    public static PricingResult Price(PricingRequest request) => Engine.Price(request);

    public static LinePricing LineOf(this PricingResult result, string lineId) =>
        result.Shops.SelectMany(s => s.Lines).Single(l => l.LineId == lineId);

    public static UnusedCoupon UnusedOf(this PricingResult result, string couponId) =>
        result.UnusedCoupons.Single(u => u.CouponId == couponId);
}
