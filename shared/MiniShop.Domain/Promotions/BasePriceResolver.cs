namespace MiniShop.Domain.Promotions;

/// <summary>The unit price a line starts from, the rule that produced it, and what may stack on it.</summary>
internal sealed record ResolvedBasePrice(
    long UnitPriceFen,
    BasePriceRule Rule,
    ActivityPrice? Activity,
    bool PromotionsAllowed,
    bool CouponsAllowed);

/// <summary>
/// Picks the base unit price: the lowest of list, member-level, quantity-tier and active activity price,
/// unless the active activity price is exclusive (then it wins). Equal prices prefer, in order,
/// list, member, tier, activity, so a tie never takes on an activity's stacking restrictions.
/// </summary>
internal static class BasePriceResolver
{
    public static ResolvedBasePrice Resolve(CartLine line, string? memberLevelId, DateTimeOffset now)
    {
        var activity = line.Activity is { } a && a.IsActiveAt(now) ? a : null;
        if (activity is { IsExclusive: true })
        {
            return FromActivity(activity);
        }

        var best = new ResolvedBasePrice(line.ListPriceFen, BasePriceRule.List, null, true, true);
        if (memberLevelId is not null)
        {
            foreach (var mp in line.MemberPrices)
            {
                if (mp.LevelId == memberLevelId && mp.UnitPriceFen < best.UnitPriceFen)
                {
                    best = best with { UnitPriceFen = mp.UnitPriceFen, Rule = BasePriceRule.Member };
                }
            }
        }

        long? tierPrice = null;
        foreach (var tier in line.TierPrices)
        {
            if (tier.MinQuantity <= line.Quantity && (tierPrice is null || tier.UnitPriceFen < tierPrice))
            {
                tierPrice = tier.UnitPriceFen;
            }
        }

        if (tierPrice < best.UnitPriceFen)
        {
            best = best with { UnitPriceFen = tierPrice.Value, Rule = BasePriceRule.QuantityTier };
        }

        if (activity is not null && activity.UnitPriceFen < best.UnitPriceFen)
        {
            best = FromActivity(activity);
        }

        return best;
    }

    private static ResolvedBasePrice FromActivity(ActivityPrice activity) =>
        new(activity.UnitPriceFen, BasePriceRule.Activity, activity, activity.AllowsPromotions, activity.AllowsCoupons);
}
