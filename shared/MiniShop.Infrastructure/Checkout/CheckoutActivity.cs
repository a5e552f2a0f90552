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
    TimeSpan? PaymentTimeout = null);
