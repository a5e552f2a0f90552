namespace MiniShop.Domain.Promotions;

/// <summary>
/// Says why each wallet coupon is unused, checking in this order: not selected (pins given), validity, scope,
/// activity price, then, on the amounts the coupon would have seen at its stage given the chosen offers:
/// nothing to discount, threshold, same stacking group as a chosen coupon, exclusive with a chosen offer, else worse.
/// </summary>
internal static class UnusedCouponExplainer
{
    public static IReadOnlyList<UnusedCoupon> Explain(
        PricingRequest request,
        OfferCatalog catalog,
        IReadOnlyList<Offer> chosen,
        AppliedOffers applied,
        HashSet<string>? pinned)
    {
        var chosenIds = chosen.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var offersById = catalog.AllCouponOffers.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var result = new List<UnusedCoupon>();
        foreach (var coupon in request.Wallet)
        {
            if (chosenIds.Contains(coupon.Id))
            {
                continue;
            }

            var wasPinned = pinned?.Contains(coupon.Id) == true;
            var reason = pinned is not null && !wasPinned
                ? UnusedCouponMessages.NotSelected()
                : catalog.Rejections.GetValueOrDefault(coupon.Id)
                    ?? Contextual(offersById[coupon.Id], chosen, applied, request.Stacking);
            result.Add(new UnusedCoupon(coupon.Id, reason.Code, reason.Parameters, reason.Message) { WasPinned = wasPinned });
        }

        return result;
    }

    private static StaticRejection Contextual(Offer offer, IReadOnlyList<Offer> chosen, AppliedOffers applied, StackingPolicy policy)
    {
        var eligible = offer.EligibleTotal(applied.BeforeStage[(int)offer.Stage]);
        if (eligible == 0)
        {
            return UnusedCouponMessages.NothingToDiscount();
        }

        if (eligible < offer.Coupon!.ThresholdFen)
        {
            return UnusedCouponMessages.ThresholdNotMet(offer.Coupon, eligible);
        }

        if (offer.Formula.Discount(eligible) == 0)
        {
            return UnusedCouponMessages.NothingToDiscount();
        }

        var sameGroup = chosen.FirstOrDefault(o => o.GroupKey == offer.GroupKey);
        if (sameGroup is not null)
        {
            return UnusedCouponMessages.WorseThanChosen(sameGroup.Id);
        }

        var conflicting = chosen.Where(o => OfferCatalog.AreExclusive(o.GroupKey, offer.GroupKey, policy)).Select(o => o.Id).ToList();
        return conflicting.Count > 0
            ? UnusedCouponMessages.ExcludedByStacking(conflicting)
            : UnusedCouponMessages.WorseThanChosen(null);
    }
}
