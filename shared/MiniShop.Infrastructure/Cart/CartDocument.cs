using MiniShop.Domain.Cart;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Infrastructure.Cart;

/// <summary>
/// A member's cart: one document (id "cart") in the member's partition, replaced with its ETag on every change.
/// At most 100 lines, one per SKU, so it stays a few tens of KB.
/// </summary>
public sealed record CartDocument(string MemberId, IReadOnlyList<CartItem> Lines, long Version, DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "cart";

    public string Id => DocumentId;

    public string Type => MemberDocTypes.Cart;
}
