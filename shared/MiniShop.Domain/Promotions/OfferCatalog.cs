namespace MiniShop.Domain.Promotions;

/// <summary>A coupon that cannot be used whatever else is chosen (time, scope, activity price).</summary>
internal sealed record StaticRejection(UnusedCouponCode Code, IReadOnlyDictionary<string, string> Parameters, string Message);

/// <summary>
/// Turns promotions and coupons into <see cref="Offer"/>s: eligible lines, stage, stacking group, formula and tie rank.
/// Coupons that can never apply get a <see cref="StaticRejection"/>; offers worth nothing even at base prices are kept
/// out of the search (<see cref="SearchOffers"/>) since using them can only add a coupon or a promotion.
/// </summary>
internal sealed class OfferCatalog
{
    public required IReadOnlyList<Offer> AllCouponOffers { get; init; }

    public required IReadOnlyDictionary<string, StaticRejection> Rejections { get; init; }

    /// <summary>Offers with a positive value at base prices, in search (and application) order, groups numbered.</summary>
    public required Offer[] SearchOffers { get; init; }

    public required int GroupCount { get; init; }

    /// <summary>For each group, the groups it may not combine with.</summary>
    public required int[][] Conflicts { get; init; }

    public static OfferCatalog Build(PricingRequest request, PricedCart cart, Func<Coupon, bool> couponInPool)
    {
        var promotionOffers = request.Promotions
            .Select(p => FromPromotion(p, request.Now, cart))
            .OfType<Offer>()
            .ToList();

        var couponOffers = new List<Offer>();
        var rejections = new Dictionary<string, StaticRejection>(StringComparer.Ordinal);
        foreach (var coupon in request.Wallet)
        {
            var rejection = CheckCoupon(coupon, request.Now, cart, out var lines);
            if (rejection is not null)
            {
                rejections[coupon.Id] = rejection;
                continue;
            }

            couponOffers.Add(FromCoupon(coupon, lines, cart));
        }

        var search = promotionOffers
            .Concat(couponOffers.Where(o => couponInPool(o.Coupon!)))
            .Where(o => o.UpperBoundFen > 0)
            .ToList();
        RankForTieBreak(search);
        search = WithoutInterchangeableCopies(search);

        var groups = search.Select(o => o.GroupKey).Distinct()
            .OrderBy(g => g.ShopId is null ? 1 : 0)
            .ThenBy(g => g.ShopId, StringComparer.Ordinal)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var offer in search)
        {
            offer.Group = groups.IndexOf(offer.GroupKey);
        }

        var conflicts = groups
            .Select(g => Enumerable.Range(0, groups.Count).Where(h => AreExclusive(g, groups[h], request.Stacking)).ToArray())
            .ToArray();

        // Stage, then group, gives the application order; within a group (at most one is used) the larger offers come first
        // so the search meets good solutions early.
        var ordered = search
            .OrderBy(o => o.Stage)
            .ThenBy(o => o.Group)
            .ThenByDescending(o => o.UpperBoundFen)
            .ThenBy(o => o.TieRank)
            .ToArray();

        return new OfferCatalog
        {
            AllCouponOffers = couponOffers,
            Rejections = rejections,
            SearchOffers = ordered,
            GroupCount = groups.Count,
            Conflicts = conflicts,
        };
    }

    /// <summary>Two different groups are exclusive when the policy pairs their names and they can meet (same shop, or one is platform-wide).</summary>
    public static bool AreExclusive(GroupKey a, GroupKey b, StackingPolicy policy) =>
        a != b
        && (a.ShopId is null || b.ShopId is null || a.ShopId == b.ShopId)
        && policy.AreExclusive(a.Name, b.Name);

    public static GroupKey GroupOf(Coupon coupon) =>
        new(coupon.StackingGroup ?? (coupon.IsPlatform ? StackingGroups.PlatformCoupon : StackingGroups.ShopCoupon), coupon.ShopId);

    public static OfferStage StageOf(Coupon coupon) => coupon.IsPlatform ? OfferStage.PlatformCoupon : OfferStage.ShopCoupon;

    private static Offer? FromPromotion(Promotion promotion, DateTimeOffset now, PricedCart cart)
    {
        if (!promotion.Validity.Contains(now))
        {
            return null;
        }

        var lines = Enumerable.Range(0, cart.Lines.Length)
            .Where(i => Owns(promotion.ShopId, cart.Lines[i]) && promotion.Scope.Covers(cart.Lines[i]) && cart.Prices[i].PromotionsAllowed)
            .ToArray();
        if (lines.Length == 0)
        {
            return null;
        }

        DiscountFormula formula;
        switch (promotion.Rule)
        {
            case FullReductionRule r:
                formula = new TieredReduction(r.Tiers);
                break;
            case RepeatingReductionRule r:
                formula = new RepeatingReduction(r);
                break;
            case MultiBuyRule r:
                // The item count never changes with discounts, so the reached tier is fixed here.
                var items = lines.Sum(i => (long)cart.Lines[i].Quantity);
                var reached = r.Tiers.Where(t => t.MinItems <= items).Select(t => t.PercentOffBasisPoints).DefaultIfEmpty(0).Max();
                formula = new PercentageDiscount(0, reached, null);
                break;
            default:
                return null;
        }

        var platform = promotion.IsPlatform;
        var multiBuy = promotion.Kind == PromotionKind.MultiBuy;
        var stage = (platform, multiBuy) switch
        {
            (false, true) => OfferStage.ShopMultiBuy,
            (false, false) => OfferStage.ShopFullReduction,
            (true, true) => OfferStage.PlatformMultiBuy,
            _ => OfferStage.PlatformFullReduction,
        };
        var defaultGroup = stage switch
        {
            OfferStage.ShopMultiBuy => StackingGroups.ShopMultiBuy,
            OfferStage.ShopFullReduction => StackingGroups.ShopFullReduction,
            OfferStage.PlatformMultiBuy => StackingGroups.PlatformMultiBuy,
            _ => StackingGroups.PlatformFullReduction,
        };

        return new Offer
        {
            Id = promotion.Id,
            Promotion = promotion,
            Stage = stage,
            GroupKey = new GroupKey(promotion.StackingGroup ?? defaultGroup, promotion.ShopId),
            Lines = lines,
            Formula = formula,
            UpperBoundFen = formula.Discount(lines.Sum(i => cart.BaseAmounts[i])),
        };
    }

    private static Offer FromCoupon(Coupon coupon, int[] lines, PricedCart cart)
    {
        DiscountFormula formula = coupon.Benefit switch
        {
            AmountOff a => new FixedDiscount(coupon.ThresholdFen, a.AmountFen),
            PercentOff p => new PercentageDiscount(coupon.ThresholdFen, p.PercentOffBasisPoints, p.CapFen),
            _ => throw new PricingInputException($"Wallet[{coupon.Id}].Benefit", "unknown benefit"),
        };
        return new Offer
        {
            Id = coupon.Id,
            Coupon = coupon,
            Stage = StageOf(coupon),
            GroupKey = GroupOf(coupon),
            Lines = lines,
            Formula = formula,
            UpperBoundFen = formula.Discount(lines.Sum(i => cart.BaseAmounts[i])),
        };
    }

    private static StaticRejection? CheckCoupon(Coupon coupon, DateTimeOffset now, PricedCart cart, out int[] lines)
    {
        lines = [];
        if (now < coupon.Validity.ValidFrom)
        {
            return UnusedCouponMessages.NotYetValid(coupon.Validity.ValidFrom);
        }

        if (now >= coupon.Validity.ValidUntil)
        {
            return UnusedCouponMessages.Expired(coupon.Validity.ValidUntil);
        }

        var inScope = Enumerable.Range(0, cart.Lines.Length)
            .Where(i => Owns(coupon.ShopId, cart.Lines[i]) && coupon.Scope.Covers(cart.Lines[i]))
            .ToArray();
        if (inScope.Length == 0)
        {
            return UnusedCouponMessages.NotInScope();
        }

        lines = inScope.Where(i => cart.Prices[i].CouponsAllowed).ToArray();
        if (lines.Length == 0)
        {
            var kinds = inScope.Select(i => cart.Prices[i].Activity!.Kind).Distinct().Order().ToArray();
            return UnusedCouponMessages.ActivityPriceExcludesCoupons(kinds);
        }

        return null;
    }

    private static bool Owns(string? ownerShopId, CartLine line) => ownerShopId is null || ownerShopId == line.ShopId;

    /// <summary>
    /// Identical coupons in one group (same lines, benefit and threshold) are interchangeable: any selection using a copy
    /// gives the same amounts with the best-ranked copy, which wins the tie-break. Keeping one copy stops a wallet of
    /// identical coupons from multiplying exact ties, which the bound cannot prune.
    /// </summary>
    private static List<Offer> WithoutInterchangeableCopies(List<Offer> offers)
    {
        var kept = new List<Offer>();
        foreach (var offer in offers.OrderBy(o => o.IsCoupon).ThenBy(o => o.TieRank))
        {
            var copy = offer.IsCoupon && kept.Any(k =>
                k.IsCoupon
                && k.GroupKey == offer.GroupKey
                && k.Coupon!.Benefit == offer.Coupon!.Benefit
                && k.Coupon.ThresholdFen == offer.Coupon.ThresholdFen
                && k.Lines.AsSpan().SequenceEqual(offer.Lines));
            if (!copy)
            {
                kept.Add(offer);
            }
        }

        return kept;
    }

    /// <summary>Coupons rank by expiry (soonest first), then id; promotions by id. Lower ranks win ties.</summary>
    private static void RankForTieBreak(List<Offer> offers)
    {
        var coupons = offers.Where(o => o.IsCoupon)
            .OrderBy(o => o.Coupon!.Validity.ValidUntil)
            .ThenBy(o => o.Id, StringComparer.Ordinal)
            .ToList();
        for (var r = 0; r < coupons.Count; r++)
        {
            coupons[r].TieRank = r;
        }

        var promotions = offers.Where(o => !o.IsCoupon).OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
        for (var r = 0; r < promotions.Count; r++)
        {
            promotions[r].TieRank = r;
        }
    }
}
