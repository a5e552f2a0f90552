using MiniShop.Domain.Promotions;

namespace MiniShop.Bench.Engine;

/// <summary>
/// Deterministic pricing requests for the engine bench: the same seed gives the same cart on every run and machine.
/// Three shops (apparel, tea, home goods) with a category tree, member and tier prices, two flash-sale lines, shop and
/// platform full reductions and multi-buys, shop and platform coupons with thresholds and scopes, points and shipping
/// templates by count and by weight.
/// </summary>
public static class EngineCarts
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public const string Apparel = "shop-apparel";
    public const string Tea = "shop-tea";
    public const string Home = "shop-home";

    private static readonly string[] Shops = [Apparel, Tea, Home];

    // Leaf categories per shop, each with its ancestors (cart lines carry the whole path).
    private static readonly Dictionary<string, string[][]> Leaves = new()
    {
        [Apparel] = [["tshirts", "tops", "apparel"], ["shirts", "tops", "apparel"], ["jeans", "bottoms", "apparel"], ["hats", "accessories"]],
        [Tea] = [["green-tea", "tea"], ["black-tea", "tea"], ["oolong", "tea"]],
        [Home] = [["kitchen", "home"], ["bedding", "home"], ["storage", "home"]],
    };

    // List prices in whole yuan, per shop.
    private static readonly Dictionary<string, (int Min, int Max)> PriceRange = new()
    {
        [Apparel] = (39, 399), [Tea] = (58, 398), [Home] = (19, 299),
    };

    private static ValidityWindow Running(int daysLeft) => new(Now.AddDays(-10), Now.AddDays(daysLeft));

    /// <summary>
    /// The large cart: 50 lines (25 apparel, 12 tea, 13 home), 10 promotions (one expired), 20 wallet coupons (one
    /// expired, one not yet valid, one of a shop that is not in the cart), a gold member with 50,000 points asking to
    /// use them, shipping to Guangdong, and the default stacking policy (one offer per group, groups stack).
    /// </summary>
    public static PricingRequest Large()
    {
        var random = new Random(20261125);
        var lines = new List<CartLine>();
        foreach (var (shop, count) in new[] { (Apparel, 25), (Tea, 12), (Home, 13) })
            for (var n = 0; n < count; n++) lines.Add(Line(lines.Count, shop, n, random));

        // Two flash-sale lines: one keeps coupons allowed, the other allows nothing else.
        lines[3] = lines[3] with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "flash-1", lines[3].ListPriceFen * 7 / 10) { AllowsCoupons = true } };
        lines[30] = lines[30] with { Activity = new ActivityPrice(ActivityPriceKind.FlashSale, "flash-2", lines[30].ListPriceFen * 6 / 10) { EndsAt = Now.AddHours(2) } };

        var sku = (int i) => lines[i].SkuId;
        var spu = (int i) => lines[i].SpuId;
        List<Promotion> promotions =
        [
            new("pA-full", Apparel, ItemScope.All, Running(20), new FullReductionRule([new(30_000, 4_000), new(50_000, 8_000), new(100_000, 18_000)])),
            // Competes with pA-full: one shop full reduction per shop.
            new("pA-bottoms", Apparel, ItemScope.ForCategories("bottoms"), Running(5), new RepeatingReductionRule(20_000, 2_500, 10_000)),
            new("pA-tees", Apparel, ItemScope.ForCategories("tshirts"), Running(20), new MultiBuyRule([new(2, 1_000), new(4, 1_500)])),
            new("pB-every", Tea, ItemScope.All, Running(30), new RepeatingReductionRule(20_000, 2_000, 10_000)),
            new("pB-green", Tea, ItemScope.ForCategories("green-tea"), Running(30), new MultiBuyRule([new(2, 500), new(3, 800)])),
            new("pC-full", Home, ItemScope.All, Running(15), new FullReductionRule([new(19_900, 3_000), new(39_900, 7_000)])),
            new("pC-bundle", Home, ItemScope.ForSpus(spu(37), spu(39), spu(41), spu(43)), Running(15), new MultiBuyRule([new(3, 1_200)])),
            new("pP-every", null, ItemScope.All, Running(7), new RepeatingReductionRule(30_000, 3_000, 30_000)),
            new("pP-tea", null, ItemScope.ForCategories("tea"), Running(7), new MultiBuyRule([new(2, 1_000)])),
            new("pP-ended", null, ItemScope.All, new ValidityWindow(Now.AddDays(-30), Now.AddDays(-1)), new FullReductionRule([new(10_000, 5_000)])),
        ];

        List<Coupon> wallet =
        [
            new("cA-399-50", Apparel, new AmountOff(5_000), 39_900, ItemScope.All, Running(12)),
            new("cA-199-20", Apparel, new AmountOff(2_000), 19_900, ItemScope.All, Running(3)),
            new("cA-999-120", Apparel, new AmountOff(12_000), 99_900, ItemScope.All, Running(30)),
            new("cA-tops-10pct", Apparel, new PercentOff(1_000, 5_000), 19_900, ItemScope.ForCategories("tops"), Running(8)),
            new("cA-5", Apparel, new AmountOff(500), 0, ItemScope.All, Running(1)),
            new("cA-ended", Apparel, new AmountOff(3_000), 29_900, ItemScope.All, new ValidityWindow(Now.AddDays(-20), Now.AddHours(-1))),
            new("cB-199-25", Tea, new AmountOff(2_500), 19_900, ItemScope.All, Running(9)),
            new("cB-99-10", Tea, new AmountOff(1_000), 9_900, ItemScope.All, Running(4)),
            new("cB-green-5pct", Tea, new PercentOff(500, 3_000), 0, ItemScope.ForCategories("green-tea"), Running(6)),
            new("cB-500-60", Tea, new AmountOff(6_000), 50_000, ItemScope.All, Running(30)),
            new("cC-150-15", Home, new AmountOff(1_500), 15_000, ItemScope.All, Running(10)),
            new("cC-300-40", Home, new AmountOff(4_000), 30_000, ItemScope.All, Running(10)),
            new("cC-skus-8", Home, new AmountOff(800), 9_900, ItemScope.ForSkus(sku(38), sku(40), sku(42)), Running(2)),
            new("cC-later", Home, new AmountOff(2_000), 10_000, ItemScope.All, new ValidityWindow(Now.AddDays(1), Now.AddDays(8))),
            new("cP-199-20", null, new AmountOff(2_000), 19_900, ItemScope.All, Running(5)),
            new("cP-499-50", null, new AmountOff(5_000), 49_900, ItemScope.All, Running(14)),
            new("cP-5pct", null, new PercentOff(500, 10_000), 29_900, ItemScope.All, Running(21)),
            new("cP-tea-100-15", null, new AmountOff(1_500), 10_000, ItemScope.ForCategories("tea"), Running(7)),
            new("cP-1000-100", null, new AmountOff(10_000), 100_000, ItemScope.All, Running(30)),
            new("cD-elsewhere", "shop-elsewhere", new AmountOff(1_000), 10_000, ItemScope.All, Running(30)),
        ];

        return new PricingRequest(lines, new MemberProfile("L3", 50_000), promotions, wallet, Now)
        {
            Points = new PointsRequest(null),
            PointsPolicy = new PointsPolicy(100, 5_000, WholeYuanOnly: true),
            ShippingTemplates = Templates(),
            DestinationProvinceCode = "440000",
        };
    }

    /// <summary>
    /// A cart for the exact-versus-brute-force comparison: 12 lines over the three shops, 4 promotions (a full
    /// reduction per shop and a platform one) and <paramref name="coupons"/> coupons, every one of them valid and in
    /// scope (shop A, B, C and platform in turn, amounts off and percentages with caps, thresholds from none to out of
    /// reach), so each is a real candidate for both searches. <paramref name="seed"/> varies prices and coupons.
    /// </summary>
    public static PricingRequest Comparison(int coupons, int seed)
    {
        var random = new Random(seed * 1_000 + coupons);
        var lines = new List<CartLine>();
        foreach (var (shop, count) in new[] { (Apparel, 5), (Tea, 4), (Home, 3) })
            for (var n = 0; n < count; n++) lines.Add(Line(lines.Count, shop, n, random));

        List<Promotion> promotions =
        [
            new("pA-full", Apparel, ItemScope.All, Running(20), new FullReductionRule([new(30_000, 4_000), new(50_000, 8_000)])),
            new("pB-every", Tea, ItemScope.All, Running(30), new RepeatingReductionRule(20_000, 2_000, 10_000)),
            new("pC-full", Home, ItemScope.All, Running(15), new FullReductionRule([new(19_900, 3_000), new(39_900, 7_000)])),
            new("pP-every", null, ItemScope.All, Running(7), new RepeatingReductionRule(30_000, 3_000, 30_000)),
        ];

        var owners = new string?[] { Apparel, Tea, Home, null };
        var wallet = new List<Coupon>();
        for (var k = 0; k < coupons; k++)
        {
            var owner = owners[k % owners.Length];
            var ownerLines = lines.Where(l => owner is null || l.ShopId == owner).ToList();
            var reference = ownerLines.Sum(l => l.ListPriceFen * l.Quantity);
            // Thresholds from none to just above what the owner's lines are worth at list price.
            var threshold = random.Next(4) == 0 ? 0 : RoundYuan(reference * random.Next(20, 115) / 100);
            CouponBenefit benefit = random.Next(3) == 0
                ? new PercentOff(random.Next(1, 4) * 500, RoundYuan(random.Next(2_000, 15_000)))
                : new AmountOff(RoundYuan(Math.Max(500, threshold / random.Next(6, 12))));
            var scope = random.Next(4) == 0 && owner is not null
                ? ItemScope.ForCategories(ownerLines[random.Next(ownerLines.Count)].CategoryIds[^1])
                : ItemScope.All;
            wallet.Add(new Coupon($"c{k:00}-{(owner ?? "platform")[..6]}", owner, benefit, threshold, scope, Running(random.Next(1, 30))));
        }

        return new PricingRequest(lines, new MemberProfile("L2", 0), promotions, wallet, Now)
        {
            ShippingTemplates = Templates(),
            DestinationProvinceCode = "440000",
        };
    }

    private static long RoundYuan(long fen) => fen / 100 * 100;

    private static CartLine Line(int index, string shop, int n, Random random)
    {
        var leaf = Leaves[shop][random.Next(Leaves[shop].Length)];
        var (min, max) = PriceRange[shop];
        var list = random.Next(min, max + 1) * 100L;
        // Two SKUs (sizes, weights) per SPU, so some scopes and multi-buys span lines.
        var line = new CartLine($"l{index:00}", shop, $"{shop}-sku-{n:00}", $"{shop}-spu-{n / 2:00}", leaf, random.Next(1, 4), list)
        {
            WeightGrams = shop == Tea ? random.Next(1, 5) * 125 : random.Next(100, 1_500),
        };
        if (random.Next(10) < 7)
            line = line with { MemberPrices = [new MemberPrice("L2", list * 95 / 100), new MemberPrice("L3", list * 90 / 100)] };
        if (random.Next(5) == 0)
            line = line with { Quantity = random.Next(3, 6), TierPrices = [new TierPrice(3, list * 88 / 100)] };
        return line;
    }

    private static IReadOnlyList<ShippingTemplate> Templates() =>
    [
        // By count: ¥8 the first item, ¥2 each after, ¥20 + ¥10 to Xinjiang and Tibet, free over ¥199.
        new(Apparel, ShippingBasis.Count, new ShippingRate(1, 800, 1, 200))
        {
            RegionalRates = [new RegionalRate(["650000", "540000"], new ShippingRate(1, 2_000, 1, 1_000))],
            FreeOverFen = 19_900,
        },
        // By weight: ¥10 the first kilogram, ¥4 per started 500 g after, free over ¥299.
        new(Tea, ShippingBasis.Weight, new ShippingRate(1_000, 1_000, 500, 400)) { FreeOverFen = 29_900 },
        // By count: ¥12 the first two items, ¥3 each after, free to Zhejiang, elsewhere free over ¥99.
        new(Home, ShippingBasis.Count, new ShippingRate(2, 1_200, 1, 300)) { FreeOverFen = 9_900, FreeProvinceCodes = ["330000"] },
    ];
}
