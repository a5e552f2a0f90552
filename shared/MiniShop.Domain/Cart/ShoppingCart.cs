namespace MiniShop.Domain.Cart;

/// <summary>
/// One line of a member's cart: one per SKU. <see cref="AddedPriceFen"/> is the caller's unit price when the line was
/// added or its quantity last changed, so the cart can say the price moved since. <see cref="Title"/> and
/// <see cref="SpecValues"/> are a snapshot, shown only when the product is gone.
/// </summary>
public sealed record CartItem(
    string LineId,
    string ProductId,
    string SkuId,
    string ShopId,
    int Quantity,
    bool Selected,
    long AddedPriceFen,
    DateTimeOffset AddedAt,
    string? Title = null,
    IReadOnlyList<string>? SpecValues = null);

/// <summary>A member's cart: the stored lines, not priced (see <see cref="CartSummaries"/> for prices and availability).</summary>
public sealed record ShoppingCart(string MemberId, IReadOnlyList<CartItem> Lines, long Version, DateTimeOffset? UpdatedAt)
{
    public static ShoppingCart Empty(string memberId) => new(memberId, [], 0, null);

    public CartItem? FindLine(string lineId) => Lines.FirstOrDefault(l => l.LineId == lineId);
}

/// <summary>Add a SKU, or more of it when the cart already has a line for it.</summary>
public sealed record AddCartItemRequest(string? ProductId, string? SkuId, int? Quantity);

/// <summary>Change a line's quantity and/or whether it is selected for checkout.</summary>
public sealed record UpdateCartItemRequest(int? Quantity, bool? Selected);

/// <summary>Select or unselect every line, or every line of one shop.</summary>
public sealed record SelectCartItemsRequest(bool? Selected, string? ShopId);
