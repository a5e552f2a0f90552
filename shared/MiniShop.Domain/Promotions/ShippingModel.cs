namespace MiniShop.Domain.Promotions;

/// <summary>
/// Shipping per shop. The fee depends only on weight or count and region, except the free-over threshold,
/// which reads the shop's goods after discounts: fewer discounts can only make shipping cheaper, never dearer.
/// </summary>
internal sealed class ShippingModel
{
    private readonly ShopShipping[] shops;

    private ShippingModel(ShopShipping[] shops) => this.shops = shops;

    public static ShippingModel Build(PricingRequest request, PricedCart cart)
    {
        var shops = new List<ShopShipping>();
        foreach (var shopId in cart.ShopOrder)
        {
            var lines = Enumerable.Range(0, cart.Lines.Length).Where(i => cart.Lines[i].ShopId == shopId).ToArray();
            var template = request.ShippingTemplates.FirstOrDefault(t => t.ShopId == shopId);
            var fee = template is null ? 0 : BaseFee(template, cart, lines, request.DestinationProvinceCode);
            shops.Add(new ShopShipping(shopId, lines, fee, template?.FreeOverFen));
        }

        return new ShippingModel([.. shops]);
    }

    /// <summary>Total fee for all shops given the line amounts after discounts.</summary>
    public long FeeAt(long[] amounts)
    {
        long total = 0;
        foreach (var shop in shops)
        {
            total += shop.FeeAt(amounts);
        }

        return total;
    }

    public long ShopFeeAt(string shopId, long[] amounts) => shops.First(s => s.ShopId == shopId).FeeAt(amounts);

    private static long BaseFee(ShippingTemplate template, PricedCart cart, int[] lines, string? province)
    {
        if (province is not null && template.FreeProvinceCodes.Contains(province, StringComparer.Ordinal))
        {
            return 0;
        }

        var rate = template.RegionalRates
            .FirstOrDefault(r => province is not null && r.ProvinceCodes.Contains(province, StringComparer.Ordinal))?.Rate
            ?? template.DefaultRate;
        long units = 0;
        foreach (var i in lines)
        {
            var line = cart.Lines[i];
            units += template.Basis == ShippingBasis.Weight ? line.WeightGrams * line.Quantity : line.Quantity;
        }

        // The first fee is the minimum charge; each started block beyond the first units adds one additional fee.
        Int128 fee = rate.FirstFeeFen;
        if (units > rate.FirstUnits)
        {
            var blocks = (units - rate.FirstUnits + rate.AdditionalUnits - 1) / rate.AdditionalUnits;
            fee += (Int128)blocks * rate.AdditionalFeeFen;
        }

        if (fee > long.MaxValue / 1024)
        {
            throw new PricingInputException($"ShippingTemplates[{template.ShopId}]", "shipping fee is too large");
        }

        return (long)fee;
    }

    private sealed record ShopShipping(string ShopId, int[] Lines, long Fee, long? FreeOverFen)
    {
        public long FeeAt(long[] amounts)
        {
            if (Fee == 0 || FreeOverFen is not { } threshold)
            {
                return Fee;
            }

            long goods = 0;
            foreach (var i in Lines)
            {
                goods += amounts[i];
            }

            return goods >= threshold ? 0 : Fee;
        }
    }
}
