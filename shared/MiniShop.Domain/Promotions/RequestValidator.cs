namespace MiniShop.Domain.Promotions;

/// <summary>Rejects malformed input up front so the engine's arithmetic can assume sane values.</summary>
internal static class RequestValidator
{
    // Keeps every product of amounts and basis points far inside Int128 and every sum inside long.
    private const long MaxLineAmountFen = 1_000_000_000_000_000; // ¥10^13
    private const long MaxLineWeightGrams = 10_000_000_000_000; // 10^7 tonnes

    public static void Validate(PricingRequest request)
    {
        Require(request.Lines is not null, "Lines", "is required");
        Require(request.Promotions is not null, "Promotions", "is required");
        Require(request.Wallet is not null, "Wallet", "is required");
        Require(request.ShippingTemplates is not null, "ShippingTemplates", "is required");
        Require(request.Stacking is not null, "Stacking", "is required");
        Require(request.Now.Offset == TimeSpan.Zero, "Now", "must be UTC (offset zero)");

        ValidateLines(request.Lines!);
        Require(request.Member is null || request.Member.PointsBalance >= 0, "Member.PointsBalance", "must be >= 0");
        ValidatePromotions(request.Promotions!);
        ValidateCoupons(request.Wallet!);
        ValidatePoints(request);
        ValidateShipping(request.ShippingTemplates!);
    }

    private static void ValidateLines(IReadOnlyList<CartLine> lines)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var f = $"Lines[{i}]";
            Require(line is not null, f, "is required");
            RequireId(line!.LineId, f + ".LineId");
            Require(ids.Add(line.LineId), f + ".LineId", $"duplicate line id '{line.LineId}'");
            RequireId(line.ShopId, f + ".ShopId");
            RequireId(line.SkuId, f + ".SkuId");
            Require(line.SpuId is not null, f + ".SpuId", "is required");
            Require(line.CategoryIds is not null, f + ".CategoryIds", "is required");
            Require(line.Quantity > 0, f + ".Quantity", "must be > 0");
            Require(line.ListPriceFen >= 0, f + ".ListPriceFen", "must be >= 0");
            Require(line.WeightGrams >= 0, f + ".WeightGrams", "must be >= 0");
            Require(line.MemberPrices is not null, f + ".MemberPrices", "is required");
            Require(line.TierPrices is not null, f + ".TierPrices", "is required");
            var levels = new HashSet<string>(StringComparer.Ordinal);
            for (var m = 0; m < line.MemberPrices!.Count; m++)
            {
                var mp = line.MemberPrices[m];
                Require(mp is not null && mp.LevelId is not null, $"{f}.MemberPrices[{m}]", "is required");
                Require(levels.Add(mp!.LevelId!), $"{f}.MemberPrices[{m}].LevelId", "duplicate level");
                Require(mp.UnitPriceFen >= 0, $"{f}.MemberPrices[{m}].UnitPriceFen", "must be >= 0");
            }

            for (var t = 0; t < line.TierPrices!.Count; t++)
            {
                var tp = line.TierPrices[t];
                Require(tp is not null, $"{f}.TierPrices[{t}]", "is required");
                Require(tp!.MinQuantity > 0, $"{f}.TierPrices[{t}].MinQuantity", "must be > 0");
                Require(tp.UnitPriceFen >= 0, $"{f}.TierPrices[{t}].UnitPriceFen", "must be >= 0");
            }

            if (line.Activity is { } a)
            {
                RequireId(a.ActivityId, f + ".Activity.ActivityId");
                Require(a.UnitPriceFen >= 0, f + ".Activity.UnitPriceFen", "must be >= 0");
                Require(a.DepositFen is null || (a.DepositFen >= 0 && a.DepositFen <= a.UnitPriceFen), f + ".Activity.DepositFen", "must be between 0 and the unit price");
            }

            var maxUnit = new[] { line.ListPriceFen }
                .Concat(line.MemberPrices.Select(p => p.UnitPriceFen))
                .Concat(line.TierPrices.Select(p => p.UnitPriceFen))
                .Append(line.Activity?.UnitPriceFen ?? 0)
                .Max();
            Require(maxUnit <= MaxLineAmountFen / line.Quantity, f, "line amount is too large");
            Require(line.WeightGrams <= MaxLineWeightGrams / line.Quantity, f + ".WeightGrams", "line weight is too large");
            total += maxUnit * line.Quantity;
            Require(total <= MaxLineAmountFen, "Lines", "cart total is too large");
        }
    }

    private static void ValidatePromotions(IReadOnlyList<Promotion> promotions)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < promotions.Count; i++)
        {
            var p = promotions[i];
            var f = $"Promotions[{i}]";
            Require(p is not null, f, "is required");
            RequireId(p!.Id, f + ".Id");
            Require(ids.Add(p.Id), f + ".Id", $"duplicate promotion id '{p.Id}'");
            ValidateScope(p.Scope, f + ".Scope");
            Require(p.Validity is not null, f + ".Validity", "is required");
            switch (p.Rule)
            {
                case FullReductionRule r:
                    Require(r.Tiers is { Count: > 0 }, f + ".Rule.Tiers", "needs at least one tier");
                    for (var t = 0; t < r.Tiers.Count; t++)
                    {
                        Require(r.Tiers[t] is not null, $"{f}.Rule.Tiers[{t}]", "is required");
                        Require(r.Tiers[t].ThresholdFen >= 0, $"{f}.Rule.Tiers[{t}].ThresholdFen", "must be >= 0");
                        Require(r.Tiers[t].ReductionFen >= 0, $"{f}.Rule.Tiers[{t}].ReductionFen", "must be >= 0");
                    }

                    break;
                case RepeatingReductionRule r:
                    Require(r.EveryFen > 0, f + ".Rule.EveryFen", "must be > 0");
                    Require(r.ReductionFen >= 0, f + ".Rule.ReductionFen", "must be >= 0");
                    Require(r.MaxReductionFen is null or >= 0, f + ".Rule.MaxReductionFen", "must be >= 0");
                    break;
                case MultiBuyRule r:
                    Require(r.Tiers is { Count: > 0 }, f + ".Rule.Tiers", "needs at least one tier");
                    for (var t = 0; t < r.Tiers.Count; t++)
                    {
                        Require(r.Tiers[t] is not null, $"{f}.Rule.Tiers[{t}]", "is required");
                        Require(r.Tiers[t].MinItems > 0, $"{f}.Rule.Tiers[{t}].MinItems", "must be > 0");
                        Require(r.Tiers[t].PercentOffBasisPoints is >= 0 and <= 10_000, $"{f}.Rule.Tiers[{t}].PercentOffBasisPoints", "must be 0..10000");
                    }

                    break;
                default:
                    throw new PricingInputException(f + ".Rule", "unknown or missing rule");
            }
        }
    }

    private static void ValidateCoupons(IReadOnlyList<Coupon> wallet)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < wallet.Count; i++)
        {
            var c = wallet[i];
            var f = $"Wallet[{i}]";
            Require(c is not null, f, "is required");
            RequireId(c!.Id, f + ".Id");
            Require(ids.Add(c.Id), f + ".Id", $"duplicate coupon id '{c.Id}'");
            Require(c.ThresholdFen >= 0, f + ".ThresholdFen", "must be >= 0");
            ValidateScope(c.Scope, f + ".Scope");
            Require(c.Validity is not null, f + ".Validity", "is required");
            switch (c.Benefit)
            {
                case AmountOff a:
                    Require(a.AmountFen >= 0, f + ".Benefit.AmountFen", "must be >= 0");
                    break;
                case PercentOff p:
                    Require(p.PercentOffBasisPoints is >= 0 and <= 10_000, f + ".Benefit.PercentOffBasisPoints", "must be 0..10000");
                    Require(p.CapFen is null or >= 0, f + ".Benefit.CapFen", "must be >= 0");
                    break;
                default:
                    throw new PricingInputException(f + ".Benefit", "unknown or missing benefit");
            }
        }
    }

    private static void ValidatePoints(PricingRequest request)
    {
        if (request.Points is null)
        {
            return;
        }

        Require(request.Points.MaxPoints is null or >= 0, "Points.MaxPoints", "must be >= 0");
        var policy = request.PointsPolicy;
        Require(policy is not null, "PointsPolicy", "is required when points are requested");
        Require(policy!.PointsPerYuan > 0, "PointsPolicy.PointsPerYuan", "must be > 0");
        Require(policy.MaxShareBasisPoints is >= 0 and <= 10_000, "PointsPolicy.MaxShareBasisPoints", "must be 0..10000");
    }

    private static void ValidateShipping(IReadOnlyList<ShippingTemplate> templates)
    {
        var shops = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            var t = templates[i];
            var f = $"ShippingTemplates[{i}]";
            Require(t is not null, f, "is required");
            RequireId(t!.ShopId, f + ".ShopId");
            Require(shops.Add(t.ShopId), f + ".ShopId", $"duplicate template for shop '{t.ShopId}'");
            ValidateRate(t.DefaultRate, f + ".DefaultRate");
            Require(t.RegionalRates is not null, f + ".RegionalRates", "is required");
            for (var r = 0; r < t.RegionalRates!.Count; r++)
            {
                Require(t.RegionalRates[r]?.ProvinceCodes is not null, $"{f}.RegionalRates[{r}].ProvinceCodes", "is required");
                ValidateRate(t.RegionalRates[r].Rate, $"{f}.RegionalRates[{r}].Rate");
            }

            Require(t.FreeOverFen is null or >= 0, f + ".FreeOverFen", "must be >= 0");
            Require(t.FreeProvinceCodes is not null, f + ".FreeProvinceCodes", "is required");
        }
    }

    private static void ValidateRate(ShippingRate? rate, string f)
    {
        Require(rate is not null, f, "is required");
        Require(rate!.FirstUnits >= 0, f + ".FirstUnits", "must be >= 0");
        Require(rate.FirstFeeFen >= 0, f + ".FirstFeeFen", "must be >= 0");
        Require(rate.AdditionalUnits > 0, f + ".AdditionalUnits", "must be > 0");
        Require(rate.AdditionalFeeFen is >= 0 and <= MaxLineAmountFen, f + ".AdditionalFeeFen", "must be >= 0");
        Require(rate.FirstFeeFen <= MaxLineAmountFen, f + ".FirstFeeFen", "is too large");
    }

    private static void ValidateScope(ItemScope? scope, string f)
    {
        Require(scope is not null && scope.Ids is not null, f, "is required");
    }

    private static void RequireId(string? id, string field) =>
        Require(!string.IsNullOrEmpty(id), field, "is required");

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new PricingInputException(field, problem);
        }
    }
}
