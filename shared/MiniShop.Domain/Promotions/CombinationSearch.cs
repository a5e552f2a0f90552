namespace MiniShop.Domain.Promotions;

/// <summary>A set of offers (indices into the search order, ascending) and how good it is.</summary>
internal sealed record Selection(long Objective, long DiscountFen, int[] Offers, int[] CouponRanks, int[] PromotionRanks);

/// <summary>
/// Exact branch and bound over "use / skip" for each offer in application order. Applying offers in that order makes
/// every partial discount exact, and since each formula is monotone in the eligible total and later offers only see
/// smaller amounts, the value an offer would give now bounds what it can give later. The bound at a node is
/// discount so far + for each still-open group the best offer value now - shipping now (shipping can only rise later).
/// Objective: discounts - shipping (i.e. the lowest payable before points). Ties: fewer coupons, then coupons ranked
/// by (expiry, id) compared element-wise, then fewer promotions, then promotion ids.
/// </summary>
internal sealed class CombinationSearch
{
    private readonly Offer[] offers;
    private readonly int[][] conflicts;
    private readonly ShippingModel shipping;
    private readonly int[] groupOwner;
    private readonly int[] groupBlocked;
    private readonly long[] groupBest;
    private readonly List<int> touchedGroups = [];
    private readonly List<int> chosen = [];
    private readonly long[][] amountsByDepth;
    private readonly long[] shares;
    private readonly long[] remainders;
    private Selection? best;

    public CombinationSearch(Offer[] offers, int groupCount, int[][] conflicts, ShippingModel shipping, int lineCount)
    {
        this.offers = offers;
        this.conflicts = conflicts;
        this.shipping = shipping;
        groupOwner = Enumerable.Repeat(-1, groupCount).ToArray();
        groupBlocked = new int[groupCount];
        groupBest = new long[groupCount];
        amountsByDepth = Enumerable.Range(0, offers.Length + 1).Select(_ => new long[lineCount]).ToArray();
        shares = new long[lineCount];
        remainders = new long[lineCount];
    }

    /// <summary>Nodes visited by the last <see cref="Run"/> (for diagnostics and docs).</summary>
    public long NodesVisited { get; private set; }

    /// <summary>The best selection, or null when forced offers cannot all be used.</summary>
    public Selection? Run(long[] baseAmounts)
    {
        best = null;
        NodesVisited = 0;
        Array.Copy(baseAmounts, amountsByDepth[0], baseAmounts.Length);
        Visit(0, amountsByDepth[0], 0);
        return best;
    }

    private void Visit(int position, long[] amounts, long discount)
    {
        NodesVisited++;
        if (position == offers.Length)
        {
            ConsiderLeaf(amounts, discount);
            return;
        }

        if (!MayBeatBest(position, amounts, discount))
        {
            return;
        }

        var offer = offers[position];
        if (IsOpen(offer))
        {
            var value = offer.DiscountAt(amounts);
            if (value > 0)
            {
                var next = amountsByDepth[position + 1];
                Array.Copy(amounts, next, amounts.Length);
                DiscountAllocator.AllocateInto(value, amounts, offer.Lines, shares, remainders);
                foreach (var i in offer.Lines)
                {
                    next[i] -= shares[i];
                }

                Take(position);
                Visit(position + 1, next, discount + value);
                Release(position);
            }
        }

        if (!offer.Forced)
        {
            Visit(position + 1, amounts, discount);
        }
    }

    private bool IsOpen(Offer offer) => groupOwner[offer.Group] < 0 && groupBlocked[offer.Group] == 0;

    private void Take(int position)
    {
        var offer = offers[position];
        groupOwner[offer.Group] = position;
        foreach (var g in conflicts[offer.Group])
        {
            groupBlocked[g]++;
        }

        chosen.Add(position);
    }

    private void Release(int position)
    {
        var offer = offers[position];
        groupOwner[offer.Group] = -1;
        foreach (var g in conflicts[offer.Group])
        {
            groupBlocked[g]--;
        }

        chosen.RemoveAt(chosen.Count - 1);
    }

    private bool MayBeatBest(int position, long[] amounts, long discount)
    {
        long remaining = 0;
        var feasible = true;
        for (var j = position; j < offers.Length; j++)
        {
            var offer = offers[j];
            if (!IsOpen(offer))
            {
                feasible &= !offer.Forced;
                continue;
            }

            var value = offer.DiscountAt(amounts);
            if (offer.Forced && value == 0)
            {
                feasible = false;
            }

            if (value > groupBest[offer.Group])
            {
                if (groupBest[offer.Group] == 0)
                {
                    touchedGroups.Add(offer.Group);
                }

                remaining += value - groupBest[offer.Group];
                groupBest[offer.Group] = value;
            }
        }

        foreach (var g in touchedGroups)
        {
            groupBest[g] = 0;
        }

        touchedGroups.Clear();
        if (!feasible)
        {
            return false;
        }

        if (best is null)
        {
            return true;
        }

        var bound = discount + remaining - shipping.FeeAt(amounts);
        if (bound != best.Objective)
        {
            return bound > best.Objective;
        }

        // Only a tie is still possible, and coupons only accumulate: stop when this path already loses the tie-break.
        var couponRanks = Ranks(coupons: true);
        if (couponRanks.Length != best.CouponRanks.Length)
        {
            return couponRanks.Length < best.CouponRanks.Length;
        }

        return CompareRanks(couponRanks, best.CouponRanks) <= 0;
    }

    private void ConsiderLeaf(long[] amounts, long discount)
    {
        var candidate = new Selection(
            discount - shipping.FeeAt(amounts),
            discount,
            [.. chosen],
            Ranks(coupons: true),
            Ranks(coupons: false));
        if (best is null || Compare(candidate, best) < 0)
        {
            best = candidate;
        }
    }

    private int[] Ranks(bool coupons)
    {
        var ranks = new List<int>(chosen.Count);
        foreach (var position in chosen)
        {
            if (offers[position].IsCoupon == coupons)
            {
                ranks.Add(offers[position].TieRank);
            }
        }

        ranks.Sort();
        return [.. ranks];
    }

    /// <summary>Negative when <paramref name="a"/> is the better selection.</summary>
    internal static int Compare(Selection a, Selection b)
    {
        if (a.Objective != b.Objective)
        {
            return a.Objective > b.Objective ? -1 : 1;
        }

        if (a.CouponRanks.Length != b.CouponRanks.Length)
        {
            return a.CouponRanks.Length.CompareTo(b.CouponRanks.Length);
        }

        var byCoupons = CompareRanks(a.CouponRanks, b.CouponRanks);
        if (byCoupons != 0)
        {
            return byCoupons;
        }

        if (a.PromotionRanks.Length != b.PromotionRanks.Length)
        {
            return a.PromotionRanks.Length.CompareTo(b.PromotionRanks.Length);
        }

        return CompareRanks(a.PromotionRanks, b.PromotionRanks);
    }

    private static int CompareRanks(int[] a, int[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
