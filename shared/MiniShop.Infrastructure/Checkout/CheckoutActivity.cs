using MiniShop.Domain.Orders;
using MiniShop.Domain.Promotions;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>
/// What a campaign changes about a checkout: the activity price of each SKU (for the engine, which applies its stacking
/// flags), where the units are held (the product's stock or the campaign's pool) and the payment deadline (flash-sale
/// orders get a shorter one). Campaign endpoints build one and call the same checkout as the cart.
/// </summary>
public sealed record CheckoutActivity(
    ActivityRef Ref,
    IReadOnlyDictionary<string, ActivityPrice> PricesBySku,
    string StockSource = StockSources.Product,
    TimeSpan? PaymentTimeout = null)
{
    /// <summary>Shipping is charged later (a presale deposit: shipping comes with the balance).</summary>
    public bool NoShipping { get; init; }

    /// <summary>A presale deposit: the order carries these terms (the payment ids are filled in by the plan).</summary>
    public PresaleTerms? Presale { get; init; }
}

/// <summary>How a checkout is priced: whether an address is required, a campaign, a fixed destination, and whether to check product stock.</summary>
public sealed record PricingOptions(bool AddressRequired, CheckoutActivity? Activity = null, string? ProvinceOverride = null, bool CheckStock = true);
