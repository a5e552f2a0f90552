namespace MiniShop.Domain.Promotions;

/// <summary>
/// The pricing engine. Order of application: base price -> shop promotions (N items off, then full reduction) ->
/// platform promotions -> shop coupons -> platform coupons -> points -> shipping. See docs/promotion-engine.md.
/// </summary>
public sealed class PromotionEngine : IPricingEngine
{
    public PricingResult Price(PricingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Validate(request);

        var cart = PricedCart.Build(request);
        var shipping = ShippingModel.Build(request, cart);
        var pinned = request.PinnedCouponIds?.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var catalog = OfferCatalog.Build(request, cart, c => pinned is null || pinned.Contains(c.Id));

        var (selection, honoured) = Choose(catalog, cart, shipping, pinned);
        var chosen = selection.Offers.Select(p => catalog.SearchOffers[p]).ToList();
        var applied = AppliedOffers.Replay(chosen, cart.BaseAmounts);
        var goodsPayable = applied.FinalAmounts.Sum();
        var points = PointsCalculator.Compute(goodsPayable, request.Member, request.Points, request.PointsPolicy);

        var result = PricingResultBuilder.Build(cart, applied, points, shipping);
        return result with
        {
            UnusedCoupons = UnusedCouponExplainer.Explain(request, catalog, chosen, applied, pinned),
            PinnedCouponsHonoured = honoured,
            UnknownPinnedCouponIds = pinned is null
                ? []
                : [.. request.PinnedCouponIds!.Distinct(StringComparer.Ordinal).Where(id => request.Wallet.All(c => c.Id != id))],
        };
    }

    /// <summary>
    /// Without pins: the best selection over every coupon. With pins: first require every pinned coupon (each must
    /// give a positive discount); if that is impossible, the best selection among the pinned coupons only.
    /// </summary>
    private static (Selection Selection, bool Honoured) Choose(OfferCatalog catalog, PricedCart cart, ShippingModel shipping, HashSet<string>? pinned)
    {
        var search = new CombinationSearch(catalog.SearchOffers, catalog.GroupCount, catalog.Conflicts, shipping, cart.Lines.Length);
        if (pinned is null)
        {
            return (search.Run(cart.BaseAmounts)!, true);
        }

        var usable = catalog.SearchOffers.Where(o => o.IsCoupon).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        if (pinned.All(usable.Contains))
        {
            foreach (var offer in catalog.SearchOffers)
            {
                offer.Forced = offer.IsCoupon;
            }

            var forced = search.Run(cart.BaseAmounts);
            foreach (var offer in catalog.SearchOffers)
            {
                offer.Forced = false;
            }

            if (forced is not null)
            {
                return (forced, true);
            }
        }

        return (search.Run(cart.BaseAmounts)!, false);
    }
}
