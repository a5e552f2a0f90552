namespace MiniShop.Domain.Promotions;

/// <summary>
/// The discount an offer gives for a given eligible total. Every formula is monotone non-decreasing in the total
/// and never exceeds it; the search relies on both (an offer's value now bounds its value after later discounts).
/// </summary>
internal abstract class DiscountFormula
{
    public abstract long Discount(long eligibleTotalFen);
}

/// <summary>Best reached tier (largest reduction among tiers whose threshold is reached).</summary>
internal sealed class TieredReduction(IReadOnlyList<ReductionTier> tiers) : DiscountFormula
{
    public override long Discount(long total)
    {
        if (total <= 0)
        {
            return 0;
        }

        long best = 0;
        foreach (var tier in tiers)
        {
            if (total >= tier.ThresholdFen && tier.ReductionFen > best)
            {
                best = tier.ReductionFen;
            }
        }

        return Math.Min(best, total);
    }
}

internal sealed class RepeatingReduction(RepeatingReductionRule rule) : DiscountFormula
{
    public override long Discount(long total)
    {
        if (total <= 0)
        {
            return 0;
        }

        var raw = (Int128)(total / rule.EveryFen) * rule.ReductionFen;
        var capped = rule.MaxReductionFen is { } max && raw > max ? max : raw;
        return (long)(capped > total ? total : capped);
    }
}

/// <summary>Percentage off, rounded down to the fen, capped; zero below the threshold.</summary>
internal sealed class PercentageDiscount(long thresholdFen, int basisPoints, long? capFen) : DiscountFormula
{
    public override long Discount(long total)
    {
        if (total <= 0 || total < thresholdFen)
        {
            return 0;
        }

        var discount = Fen.MulDivFloor(total, basisPoints, 10_000);
        return capFen is { } cap && discount > cap ? cap : discount;
    }
}

/// <summary>Fixed amount off, never more than the eligible total; zero below the threshold.</summary>
internal sealed class FixedDiscount(long thresholdFen, long amountFen) : DiscountFormula
{
    public override long Discount(long total) =>
        total <= 0 || total < thresholdFen ? 0 : Math.Min(amountFen, total);
}
