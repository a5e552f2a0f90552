namespace MiniShop.Domain.Promotions;

/// <summary>The cart with base prices resolved; line indices follow the request order everywhere.</summary>
internal sealed class PricedCart
{
    private PricedCart(CartLine[] lines, ResolvedBasePrice[] prices, long[] baseAmounts, string[] shopOrder)
    {
        Lines = lines;
        Prices = prices;
        BaseAmounts = baseAmounts;
        ShopOrder = shopOrder;
    }

    public CartLine[] Lines { get; }

    public ResolvedBasePrice[] Prices { get; }

    /// <summary>Unit base price x quantity per line, before any discount.</summary>
    public long[] BaseAmounts { get; }

    /// <summary>Shop ids in order of first appearance in the cart.</summary>
    public string[] ShopOrder { get; }

    public static PricedCart Build(PricingRequest request)
    {
        var lines = request.Lines.ToArray();
        var prices = new ResolvedBasePrice[lines.Length];
        var amounts = new long[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            prices[i] = BasePriceResolver.Resolve(lines[i], request.Member?.LevelId, request.Now);
            amounts[i] = prices[i].UnitPriceFen * lines[i].Quantity;
        }

        var shops = lines.Select(l => l.ShopId).Distinct(StringComparer.Ordinal).ToArray();
        return new PricedCart(lines, prices, amounts, shops);
    }
}
