namespace MiniShop.Domain.Promotions;

public enum ShippingBasis
{
    /// <summary>Units are grams of the whole shop parcel.</summary>
    Weight,

    /// <summary>Units are items (sum of quantities).</summary>
    Count,
}

/// <summary>First <see cref="FirstUnits"/> cost <see cref="FirstFeeFen"/>; each started block of <see cref="AdditionalUnits"/> costs <see cref="AdditionalFeeFen"/>.</summary>
public sealed record ShippingRate(long FirstUnits, long FirstFeeFen, long AdditionalUnits, long AdditionalFeeFen);

public sealed record RegionalRate(IReadOnlyList<string> ProvinceCodes, ShippingRate Rate);

/// <summary>
/// One shop's shipping template. The destination's province picks a regional rate, else <see cref="DefaultRate"/>.
/// Free when the shop's goods after discounts (before points) reach <see cref="FreeOverFen"/>, or the destination is a free region.
/// </summary>
public sealed record ShippingTemplate(string ShopId, ShippingBasis Basis, ShippingRate DefaultRate)
{
    public IReadOnlyList<RegionalRate> RegionalRates { get; init; } = [];

    public long? FreeOverFen { get; init; }

    public IReadOnlyList<string> FreeProvinceCodes { get; init; } = [];
}
