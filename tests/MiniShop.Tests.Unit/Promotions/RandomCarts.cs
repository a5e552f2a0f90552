using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Promotions;

/// <summary>Seeded random carts with promotions, coupons, stacking rules, shipping and points, small enough for brute force.</summary>
internal sealed class RandomCarts(int seed)
{
    private static readonly DateTimeOffset Now = Build.Now;
    private static readonly string[] GroupNames =
    [
        StackingGroups.ShopCoupon, StackingGroups.PlatformCoupon, StackingGroups.ShopFullReduction,
        StackingGroups.PlatformFullReduction, StackingGroups.ShopMultiBuy, StackingGroups.PlatformMultiBuy, "Custom",
    ];

    private static readonly string[] Provinces = ["110000", "310000", "440000"];

    private readonly Random random = new(seed);

    public PricingRequest Next(int maxOffers)
    {
        var shops = Enumerable.Range(1, random.Next(1, 4)).Select(i => "s" + i).ToArray();
        var lines = Enumerable.Range(0, random.Next(1, 6)).Select(i => NextLine(i, shops)).ToList();
        var promotionCount = random.Next(0, Math.Min(4, maxOffers) + 1);
        var promotions = Enumerable.Range(0, promotionCount).Select(i => NextPromotion(i, shops, lines)).ToList();
        var wallet = Enumerable.Range(0, random.Next(0, maxOffers - promotionCount + 1)).Select(i => NextCoupon(i, shops, lines)).ToList();
        var member = random.Next(4) == 0 ? null : new MemberProfile(Pick(["gold", "silver", null]), random.Next(0, 20_000));

        var request = new PricingRequest(lines, member, promotions, wallet, Now)
        {
            Stacking = new StackingPolicy([.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => new ExclusiveGroups(Pick(GroupNames), Pick(GroupNames)))]),
            ShippingTemplates = [.. shops.Where(_ => random.Next(3) > 0).Select(NextTemplate)],
            DestinationProvinceCode = random.Next(4) == 0 ? null : Pick(Provinces),
        };
        if (random.Next(2) == 0)
        {
            request = request with
            {
                Points = new PointsRequest(random.Next(3) == 0 ? random.Next(0, 5_000) : null),
                PointsPolicy = new PointsPolicy(Pick([100L, 10L, 30L, 1_000L]), random.Next(0, 10_001), random.Next(2) == 0),
            };
        }

        return request;
    }

    private CartLine NextLine(int index, string[] shops)
    {
        var leaf = Pick(new[] { new[] { "c1" }, ["c1", "c1a"], ["c2"] });
        var list = random.Next(10) == 0 ? 0 : random.Next(100, 15_000);
        var line = new CartLine("l" + index, Pick(shops), "k" + random.Next(0, 4), "p" + random.Next(0, 3), leaf, random.Next(1, 4), list)
        {
            WeightGrams = random.Next(0, 2_000),
        };
        if (random.Next(3) == 0)
        {
            line = line with { MemberPrices = [new MemberPrice("gold", Vary(list))] };
        }

        if (random.Next(3) == 0)
        {
            line = line with { TierPrices = [new TierPrice(random.Next(1, 4), Vary(list))] };
        }

        if (random.Next(3) == 0)
        {
            line = line with
            {
                Activity = new ActivityPrice(Pick(Enum.GetValues<ActivityPriceKind>()), "a" + index, Vary(list))
                {
                    AllowsCoupons = random.Next(2) == 0,
                    AllowsPromotions = random.Next(2) == 0,
                    IsExclusive = random.Next(3) == 0,
                    EndsAt = random.Next(5) == 0 ? Now : null,
                },
            };
        }

        return line;
    }

    private Promotion NextPromotion(int index, string[] shops, List<CartLine> lines)
    {
        PromotionRule rule = random.Next(3) switch
        {
            0 => new FullReductionRule([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new ReductionTier(random.Next(0, 30_000), random.Next(1, 5_000)))]),
            1 => new RepeatingReductionRule(random.Next(500, 10_000), random.Next(1, 1_500), random.Next(2) == 0 ? null : random.Next(0, 4_000)),
            _ => new MultiBuyRule([.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => new MultiBuyTier(random.Next(1, 5), random.Next(0, 3_001)))]),
        };
        return new Promotion("pr" + index, random.Next(3) == 0 ? null : Pick(shops), NextScope(shops, lines), NextValidity(), rule)
        {
            StackingGroup = random.Next(8) == 0 ? "Custom" : null,
        };
    }

    private Coupon NextCoupon(int index, string[] shops, List<CartLine> lines)
    {
        CouponBenefit benefit = random.Next(2) == 0
            ? new AmountOff(random.Next(0, 5_000))
            : new PercentOff(random.Next(0, 5_001), random.Next(2) == 0 ? null : random.Next(0, 3_000));
        var shop = random.Next(3) == 0 ? null : Pick(shops.Append("elsewhere").ToArray());
        return new Coupon("c" + index, shop, benefit, random.Next(2) == 0 ? 0 : random.Next(0, 30_000), NextScope(shops, lines), NextValidity())
        {
            StackingGroup = random.Next(8) == 0 ? "Custom" : null,
        };
    }

    private ItemScope NextScope(string[] shops, List<CartLine> lines) => random.Next(6) switch
    {
        0 => ItemScope.ForShops(Pick(shops)),
        1 => ItemScope.ForCategories(Pick(["c1", "c1a", "c2"])),
        2 => ItemScope.ForSkus(Pick(lines).SkuId, "k9"),
        3 => ItemScope.ForSpus(Pick(lines).SpuId),
        _ => ItemScope.All,
    };

    private ValidityWindow NextValidity() => random.Next(8) switch
    {
        0 => new ValidityWindow(Now.AddDays(-3), Now),
        1 => new ValidityWindow(Now.AddTicks(1), Now.AddDays(3)),
        _ => new ValidityWindow(Now.AddDays(-3), Now.AddDays(random.Next(1, 4))),
    };

    private ShippingTemplate NextTemplate(string shop)
    {
        ShippingRate Rate() => new(random.Next(0, 1_500), random.Next(0, 1_500), random.Next(1, 1_000), random.Next(0, 800));
        return new ShippingTemplate(shop, random.Next(2) == 0 ? ShippingBasis.Weight : ShippingBasis.Count, Rate())
        {
            RegionalRates = random.Next(2) == 0 ? [new RegionalRate([Pick(Provinces)], Rate())] : [],
            FreeOverFen = random.Next(2) == 0 ? random.Next(0, 30_000) : null,
            FreeProvinceCodes = random.Next(4) == 0 ? [Pick(Provinces)] : [],
        };
    }

    private long Vary(long price) => Math.Max(0, price + random.Next(-3_000, 1_000));

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
