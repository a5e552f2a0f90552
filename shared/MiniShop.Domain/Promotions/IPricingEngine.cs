namespace MiniShop.Domain.Promotions;

/// <summary>Prices a cart: base prices, the best promotions and coupons, points, shipping. Pure and deterministic.</summary>
public interface IPricingEngine
{
    /// <exception cref="PricingInputException">The request is malformed; the exception names the field.</exception>
    PricingResult Price(PricingRequest request);
}
