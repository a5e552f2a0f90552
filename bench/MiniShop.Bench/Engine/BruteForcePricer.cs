using MiniShop.Domain.Promotions;

namespace MiniShop.Bench.Engine;

// Copied verbatim from tests/MiniShop.Tests.Unit/Promotions/BruteForcePricer.cs (the oracle of the property tests);
// only the namespace differs. Keep the two in step: the bench compares the engine's exact search with this.

/// <summary>
/// An independent, deliberately naive re-statement of the pricing rules: tries every subset of promotions and coupons
/// that satisfies the stacking rules and keeps the best by the documented objective and tie-break.
/// </summary>
internal static class BruteForcePricer
{
    internal sealed record Best(long Objective, long Discount, IReadOnlySet<string> Chosen);

    private sealed record Item(string Id, bool IsCoupon, int Stage, string Group, string? Shop, int[] Lines, Func<long, long> Value, DateTimeOffset Expiry);

    public static Best Solve(PricingRequest r)
    {
        var n = r.Lines.Count;
        var (baseAmounts, promoOk, couponOk) = BasePrices(r);
        var items = new List<Item>();
        foreach (var p in r.Promotions.Where(p => p.Validity.ValidFrom <= r.Now && r.Now < p.Validity.ValidUntil))
        {
            var lines = Enumerable.Range(0, n).Where(i => promoOk[i] && (p.ShopId == null || p.ShopId == r.Lines[i].ShopId) && InScope(p.Scope, r.Lines[i])).ToArray();
            var multiBuy = p.Rule is MultiBuyRule;
            var stage = (p.ShopId == null ? 2 : 0) + (multiBuy ? 0 : 1);
            var group = p.StackingGroup ?? (p.ShopId == null ? "Platform" : "Shop") + (multiBuy ? "MultiBuy" : "FullReduction");
            var count = lines.Sum(i => r.Lines[i].Quantity);
            Func<long, long> value = p.Rule switch
            {
                FullReductionRule f => t => Math.Min(t, f.Tiers.Where(x => t >= x.ThresholdFen).Select(x => x.ReductionFen).DefaultIfEmpty(0).Max()),
                RepeatingReductionRule e => t => Math.Min(t, Math.Min(e.MaxReductionFen ?? long.MaxValue, t / e.EveryFen * e.ReductionFen)),
                MultiBuyRule m => t => t * m.Tiers.Where(x => x.MinItems <= count).Select(x => (long)x.PercentOffBasisPoints).DefaultIfEmpty(0).Max() / 10_000,
                _ => throw new InvalidOperationException(),
            };
            items.Add(new Item(p.Id, false, stage, group, p.ShopId, lines, value, default));
        }

        foreach (var c in r.Wallet.Where(c => c.Validity.ValidFrom <= r.Now && r.Now < c.Validity.ValidUntil))
        {
            var lines = Enumerable.Range(0, n).Where(i => couponOk[i] && (c.ShopId == null || c.ShopId == r.Lines[i].ShopId) && InScope(c.Scope, r.Lines[i])).ToArray();
            Func<long, long> raw = c.Benefit switch
            {
                AmountOff a => t => Math.Min(a.AmountFen, t),
                PercentOff p => t => Math.Min(p.CapFen ?? long.MaxValue, t * p.PercentOffBasisPoints / 10_000),
                _ => throw new InvalidOperationException(),
            };
            items.Add(new Item(c.Id, true, c.ShopId == null ? 5 : 4, c.StackingGroup ?? (c.ShopId == null ? "PlatformCoupon" : "ShopCoupon"), c.ShopId, lines,
                t => t > 0 && t >= c.ThresholdFen ? raw(t) : 0, c.Validity.ValidUntil));
        }

        Best? best = null;
        (long, int, List<(DateTimeOffset, string)>, int, List<string>)? bestKey = null;
        for (var mask = 0; mask < 1 << items.Count; mask++)
        {
            var subset = items.Where((_, k) => (mask & (1 << k)) != 0).ToList();
            if (!Stackable(subset, r.Stacking))
            {
                continue;
            }

            var (discount, objective) = Evaluate(subset, baseAmounts, r);
            var coupons = subset.Where(i => i.IsCoupon).Select(i => (i.Expiry, i.Id)).Order(Comparer<(DateTimeOffset E, string Id)>.Create((a, b) =>
                a.E != b.E ? a.E.CompareTo(b.E) : string.CompareOrdinal(a.Id, b.Id))).ToList();
            var promos = subset.Where(i => !i.IsCoupon).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
            var key = (objective, coupons.Count, coupons, promos.Count, promos);
            if (bestKey is null || Better(key, bestKey.Value))
            {
                bestKey = key;
                best = new Best(objective, discount, subset.Select(i => i.Id).ToHashSet());
            }
        }

        return best!;
    }

    private static bool Better(
        (long Obj, int CouponCount, List<(DateTimeOffset E, string Id)> Coupons, int PromoCount, List<string> Promos) a,
        (long Obj, int CouponCount, List<(DateTimeOffset E, string Id)> Coupons, int PromoCount, List<string> Promos) b)
    {
        if (a.Obj != b.Obj)
        {
            return a.Obj > b.Obj;
        }

        if (a.CouponCount != b.CouponCount)
        {
            return a.CouponCount < b.CouponCount;
        }

        for (var i = 0; i < a.CouponCount; i++)
        {
            var c = a.Coupons[i].E != b.Coupons[i].E ? a.Coupons[i].E.CompareTo(b.Coupons[i].E) : string.CompareOrdinal(a.Coupons[i].Id, b.Coupons[i].Id);
            if (c != 0)
            {
                return c < 0;
            }
        }

        if (a.PromoCount != b.PromoCount)
        {
            return a.PromoCount < b.PromoCount;
        }

        for (var i = 0; i < a.PromoCount; i++)
        {
            var c = string.CompareOrdinal(a.Promos[i], b.Promos[i]);
            if (c != 0)
            {
                return c < 0;
            }
        }

        return false;
    }

    private static bool Stackable(List<Item> subset, StackingPolicy policy)
    {
        foreach (var a in subset)
        {
            foreach (var b in subset)
            {
                if (ReferenceEquals(a, b))
                {
                    continue;
                }

                if (a.Group == b.Group && a.Shop == b.Shop)
                {
                    return false;
                }

                var canMeet = a.Shop == null || b.Shop == null || a.Shop == b.Shop;
                if (canMeet && policy.Exclusions.Any(x => (x.First == a.Group && x.Second == b.Group) || (x.First == b.Group && x.Second == a.Group)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static (long Discount, long Objective) Evaluate(List<Item> subset, long[] baseAmounts, PricingRequest r)
    {
        var amounts = (long[])baseAmounts.Clone();
        long discount = 0;
        var ordered = subset
            .OrderBy(i => i.Stage)
            .ThenBy(i => i.Shop == null ? 1 : 0)
            .ThenBy(i => i.Shop, StringComparer.Ordinal)
            .ThenBy(i => i.Group, StringComparer.Ordinal);
        foreach (var item in ordered)
        {
            var value = item.Value(item.Lines.Sum(i => amounts[i]));
            var shares = Split(value, item.Lines.Select(i => amounts[i]).ToArray());
            for (var k = 0; k < item.Lines.Length; k++)
            {
                amounts[item.Lines[k]] -= shares[k];
            }

            discount += value;
        }

        return (discount, discount - Shipping(r, amounts));
    }

    /// <summary>Largest remainder split, written independently of the engine's allocator.</summary>
    public static long[] Split(long discount, long[] amounts)
    {
        var total = amounts.Sum();
        if (discount == 0 || total == 0)
        {
            return new long[amounts.Length];
        }

        var shares = amounts.Select(a => (long)((Int128)discount * a / total)).ToArray();
        var leftover = discount - shares.Sum();
        var order = Enumerable.Range(0, amounts.Length).OrderByDescending(k => (long)((Int128)discount * amounts[k] % total)).ThenBy(k => k).Take((int)leftover);
        foreach (var k in order)
        {
            shares[k]++;
        }

        return shares;
    }

    private static long Shipping(PricingRequest r, long[] amounts)
    {
        long total = 0;
        foreach (var t in r.ShippingTemplates)
        {
            var lines = Enumerable.Range(0, r.Lines.Count).Where(i => r.Lines[i].ShopId == t.ShopId).ToList();
            if (lines.Count == 0 || (r.DestinationProvinceCode != null && t.FreeProvinceCodes.Contains(r.DestinationProvinceCode)))
            {
                continue;
            }

            if (t.FreeOverFen is { } free && lines.Sum(i => amounts[i]) >= free)
            {
                continue;
            }

            var rate = t.RegionalRates.FirstOrDefault(x => r.DestinationProvinceCode != null && x.ProvinceCodes.Contains(r.DestinationProvinceCode))?.Rate ?? t.DefaultRate;
            var units = lines.Sum(i => t.Basis == ShippingBasis.Weight ? r.Lines[i].WeightGrams * r.Lines[i].Quantity : r.Lines[i].Quantity);
            var extraBlocks = units <= rate.FirstUnits ? 0 : (long)Math.Ceiling((units - rate.FirstUnits) / (double)rate.AdditionalUnits);
            total += rate.FirstFeeFen + (extraBlocks * rate.AdditionalFeeFen);
        }

        return total;
    }

    private static (long[] Amounts, bool[] PromotionsOk, bool[] CouponsOk) BasePrices(PricingRequest r)
    {
        var n = r.Lines.Count;
        var amounts = new long[n];
        var promotionsOk = new bool[n];
        var couponsOk = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var line = r.Lines[i];
            var activity = line.Activity is { } a && (a.StartsAt == null || a.StartsAt <= r.Now) && (a.EndsAt == null || r.Now < a.EndsAt) ? a : null;
            var others = new List<long> { line.ListPriceFen };
            others.AddRange(line.MemberPrices.Where(m => r.Member?.LevelId != null && m.LevelId == r.Member.LevelId).Select(m => m.UnitPriceFen));
            others.AddRange(line.TierPrices.Where(t => t.MinQuantity <= line.Quantity).Select(t => t.UnitPriceFen));
            var useActivity = activity != null && (activity.IsExclusive || activity.UnitPriceFen < others.Min());
            amounts[i] = (useActivity ? activity!.UnitPriceFen : others.Min()) * line.Quantity;
            promotionsOk[i] = !useActivity || activity!.AllowsPromotions;
            couponsOk[i] = !useActivity || activity!.AllowsCoupons;
        }

        return (amounts, promotionsOk, couponsOk);
    }

    private static bool InScope(ItemScope scope, CartLine line) => scope.Kind switch
    {
        ScopeKind.All => true,
        ScopeKind.Shops => scope.Ids.Contains(line.ShopId),
        ScopeKind.Categories => scope.Ids.Intersect(line.CategoryIds).Any(),
        ScopeKind.Spus => scope.Ids.Contains(line.SpuId),
        ScopeKind.Skus => scope.Ids.Contains(line.SkuId),
        _ => false,
    };
}
