using System.Text.RegularExpressions;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;

namespace MiniShop.Domain.Cart;

/// <summary>
/// What may go into a cart. Unknown products and SKUs are 400 field errors (<c>productId</c>, <c>skuId</c>); a known
/// product that cannot be bought is 422 with a code and the field: <c>product_unpublished</c>, <c>sku_disabled</c>,
/// <c>purchase_limit</c> (with the limit), <c>cart_full</c>.
/// </summary>
public static partial class CartRules
{
    public const int MaxLines = 100;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    public static bool IsPlausibleId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static (string ProductId, string SkuId, int Quantity) ValidateAdd(AddCartItemRequest? r)
    {
        if (r is null) throw ValidationException.For("body", "a JSON object is required.");
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(r.ProductId)) v.Add("productId", "is required.");
        if (string.IsNullOrWhiteSpace(r.SkuId)) v.Add("skuId", "is required.");
        Quantity(v, r.Quantity, required: true);
        v.ThrowIfInvalid();
        return (r.ProductId!.Trim(), r.SkuId!.Trim(), r.Quantity!.Value);
    }

    public static void ValidateUpdate(UpdateCartItemRequest? r)
    {
        if (r is null || (r.Quantity is null && r.Selected is null))
            throw ValidationException.For("body", "send quantity, selected or both.");
        var v = new Validator();
        Quantity(v, r.Quantity, required: false);
        v.ThrowIfInvalid();
    }

    public static (bool Selected, string? ShopId) ValidateSelect(SelectCartItemsRequest? r)
    {
        if (r?.Selected is not { } selected) throw ValidationException.For("selected", "is required: true or false.");
        var v = new Validator().Optional(r.ShopId, "shopId", 64);
        v.ThrowIfInvalid();
        return (selected, string.IsNullOrWhiteSpace(r.ShopId) ? null : r.ShopId.Trim());
    }

    /// <summary>The SKU when the product is published and the SKU enabled; otherwise the problem a shopper should see.</summary>
    public static Sku RequireBuyable(Product? product, string productId, string skuId)
    {
        // Drafts were never shown to shoppers: to them they do not exist.
        if (product is null || product.Status == ProductStatus.Draft)
            throw ValidationException.For("productId", $"'{productId}' is not a known product.");
        var sku = product.FindSku(skuId) ?? throw ValidationException.For("skuId", $"'{skuId}' is not a SKU of product '{productId}'.");
        if (product.Status != ProductStatus.Published)
            throw Refused("product_unpublished", "productId", $"'{product.Title}' is no longer on sale.");
        if (!sku.Enabled)
            throw Refused("sku_disabled", "skuId", $"This option of '{product.Title}' ({string.Join(" / ", sku.SpecValues)}) is not available.");
        return sku;
    }

    /// <summary>
    /// Adds the SKU or merges into its line (one line per SKU). The merged quantity must stay within the SKU's per-order
    /// limit; a new line must fit in <see cref="MaxLines"/>. The line's reference price is refreshed.
    /// </summary>
    public static (IReadOnlyList<CartItem> Lines, CartItem Line) Add(
        IReadOnlyList<CartItem> lines, Product product, Sku sku, int quantity, string? levelId, DateTimeOffset now, Func<string> newLineId)
    {
        var existing = lines.FirstOrDefault(l => l.ProductId == product.Id && l.SkuId == sku.Id);
        var inCart = existing?.Quantity ?? 0;
        CheckLimit(sku, (long)inCart + quantity, inCart);
        if (existing is null)
        {
            if (lines.Count >= MaxLines)
                throw Refused("cart_full", "productId", $"The cart holds at most {MaxLines} lines; remove some first.", ("limit", MaxLines));
            var line = new CartItem(newLineId(), product.Id, sku.Id, product.ShopId, quantity, true,
                SkuPricing.UnitPrice(sku, levelId, quantity), now, product.Title, sku.SpecValues);
            return ([.. lines, line], line);
        }

        var merged = existing with
        {
            Quantity = inCart + quantity, Selected = true, AddedPriceFen = SkuPricing.UnitPrice(sku, levelId, inCart + quantity),
            Title = product.Title, SpecValues = sku.SpecValues,
        };
        return (lines.Select(l => l.LineId == existing.LineId ? merged : l).ToList(), merged);
    }

    /// <summary>Applies a PATCH to one line (404 when the cart has no such line). The SKU is null when it no longer exists.</summary>
    public static IReadOnlyList<CartItem> Update(IReadOnlyList<CartItem> lines, string lineId, UpdateCartItemRequest r, Sku? sku, string? levelId)
    {
        var line = lines.FirstOrDefault(l => l.LineId == lineId) ?? throw new NotFoundException("Cart line", lineId);
        var updated = line;
        if (r.Quantity is { } quantity && quantity != line.Quantity)
        {
            CheckLimit(sku, quantity, line.Quantity);
            updated = updated with { Quantity = quantity, AddedPriceFen = sku is null ? line.AddedPriceFen : SkuPricing.UnitPrice(sku, levelId, quantity) };
        }
        if (r.Selected is { } selected) updated = updated with { Selected = selected };
        return lines.Select(l => l.LineId == lineId ? updated : l).ToList();
    }

    public static IReadOnlyList<CartItem> Select(IReadOnlyList<CartItem> lines, bool selected, string? shopId)
        => lines.Select(l => shopId is null || l.ShopId == shopId ? l with { Selected = selected } : l).ToList();

    /// <summary>422 purchase_limit when the quantity is above the SKU's per-order limit (the ceiling when the SKU is gone).</summary>
    public static void CheckLimit(Sku? sku, long quantity, int inCart)
    {
        var limit = sku?.MaxQuantity ?? Sku.QuantityCeiling;
        if (quantity <= limit) return;
        var detail = inCart > 0
            ? $"At most {limit} of this item per order; the cart already has {inCart}."
            : $"At most {limit} of this item per order.";
        throw Refused("purchase_limit", "quantity", detail, ("limit", limit), ("inCart", inCart));
    }

    private static void Quantity(Validator v, int? quantity, bool required)
    {
        if (quantity is null)
        {
            if (required) v.Add("quantity", "is required.");
            return;
        }
        v.Check(quantity >= 1, "quantity", "must be at least 1.");
    }

    private static BusinessRuleException Refused(string code, string field, string detail, params (string Key, object Value)[] extra)
    {
        var extensions = new Dictionary<string, object?> { ["field"] = field };
        foreach (var (key, value) in extra) extensions[key] = value;
        return new BusinessRuleException(code, detail) { Extensions = extensions };
    }
}
