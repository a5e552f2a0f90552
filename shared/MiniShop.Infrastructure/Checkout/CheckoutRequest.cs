namespace MiniShop.Infrastructure.Checkout;

public sealed record CheckoutItem(string? ProductId, string? SkuId, int? Quantity);

/// <summary>
/// What the confirm page sends. <see cref="Items"/> null means "the selected cart lines"; <see cref="CouponIds"/> null
/// lets the server choose the best coupons (empty means none); <see cref="ExpectedPayableFen"/> is the total the shopper
/// saw, required to place the order: a different server total answers 409 with the new preview.
/// </summary>
public sealed record CheckoutRequest(
    List<CheckoutItem>? Items,
    string? AddressId,
    List<string>? CouponIds,
    bool? UsePoints,
    long? MaxPoints,
    Dictionary<string, string>? Remarks,
    long? ExpectedPayableFen);

/// <summary>A line to price, from the cart or a buy-now request.</summary>
public sealed record CheckoutLine(string LineId, string ProductId, string SkuId, int Quantity, string Field);
