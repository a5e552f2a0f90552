using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using static MiniShop.Tests.Unit.Cart.CartTestData;

namespace MiniShop.Tests.Unit.Cart;

public class CartRulesTests
{
    [Fact]
    public void An_add_request_names_every_missing_or_wrong_field()
    {
        var e = Assert.Throws<ValidationException>(() => CartRules.ValidateAdd(new AddCartItemRequest(" ", null, 0)));
        Assert.Equal(["productId", "quantity", "skuId"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("quantity", Assert.Throws<ValidationException>(() => CartRules.ValidateAdd(new AddCartItemRequest("p", "s", -3))).Errors.Keys);
        Assert.Contains("quantity", Assert.Throws<ValidationException>(() => CartRules.ValidateAdd(new AddCartItemRequest("p", "s", null))).Errors.Keys);
        Assert.Equal(("p", "s", 2), CartRules.ValidateAdd(new AddCartItemRequest(" p ", "s", 2)));
    }

    [Fact]
    public void An_update_needs_something_to_change_and_a_positive_quantity()
    {
        Assert.Contains("body", Assert.Throws<ValidationException>(() => CartRules.ValidateUpdate(new UpdateCartItemRequest(null, null))).Errors.Keys);
        Assert.Contains("quantity", Assert.Throws<ValidationException>(() => CartRules.ValidateUpdate(new UpdateCartItemRequest(0, true))).Errors.Keys);
        CartRules.ValidateUpdate(new UpdateCartItemRequest(null, false));
        Assert.Contains("selected", Assert.Throws<ValidationException>(() => CartRules.ValidateSelect(new SelectCartItemsRequest(null, "shop-1"))).Errors.Keys);
    }

    [Fact]
    public void Unknown_products_and_skus_are_field_errors_and_unbuyable_ones_are_422_with_the_field()
    {
        Assert.Contains("productId", Assert.Throws<ValidationException>(() => CartRules.RequireBuyable(null, "prd-x", "sku-1")).Errors.Keys);
        Assert.Contains("productId", Assert.Throws<ValidationException>(() => CartRules.RequireBuyable(NewProduct(status: ProductStatus.Draft), "prd-1", "sku-1")).Errors.Keys);
        Assert.Contains("skuId", Assert.Throws<ValidationException>(() => CartRules.RequireBuyable(NewProduct(), "prd-1", "sku-x")).Errors.Keys);

        var unpublished = Assert.Throws<BusinessRuleException>(() => CartRules.RequireBuyable(NewProduct(status: ProductStatus.Unpublished), "prd-1", "sku-1"));
        Assert.Equal(("product_unpublished", "productId"), (unpublished.Code, unpublished.Extensions["field"]));
        var disabled = Assert.Throws<BusinessRuleException>(() => CartRules.RequireBuyable(NewProduct(skus: NewSku(enabled: false)), "prd-1", "sku-1"));
        Assert.Equal(("sku_disabled", "skuId"), (disabled.Code, disabled.Extensions["field"]));
    }

    [Fact]
    public void Adding_the_same_sku_merges_into_its_line_and_refreshes_the_reference_price()
    {
        var product = NewProduct();
        var sku = product.Skus[0];
        var (lines, first) = CartRules.Add([], product, sku, 1, null, T0, NewLineId);
        Assert.Equal(10_000, first.AddedPriceFen);

        var unselected = CartRules.Select(lines, false, null);
        var (merged, line) = CartRules.Add(unselected, product, sku, 2, null, T0.AddHours(1), NewLineId);

        var only = Assert.Single(merged);
        Assert.Equal(first.LineId, line.LineId);
        Assert.Equal(3, only.Quantity);
        Assert.True(only.Selected);
        Assert.Equal(9_500, only.AddedPriceFen); // the tier price from 3
        Assert.Equal(T0, only.AddedAt);
    }

    [Fact]
    public void The_per_sku_limit_counts_what_is_already_in_the_cart()
    {
        var product = NewProduct(skus: NewSku(maxPerOrder: 3));
        var (lines, _) = CartRules.Add([], product, product.Skus[0], 2, null, T0, NewLineId);

        var e = Assert.Throws<BusinessRuleException>(() => CartRules.Add(lines, product, product.Skus[0], 2, null, T0, NewLineId));
        Assert.Equal(422, e.Status);
        Assert.Equal("purchase_limit", e.Code);
        Assert.Equal(3, e.Extensions["limit"]);
        Assert.Equal(2, e.Extensions["inCart"]);
        Assert.Equal("quantity", e.Extensions["field"]);

        // Without a limit of its own a SKU still stops at the ceiling.
        var open = NewProduct(skus: NewSku());
        Assert.Equal(Sku.QuantityCeiling, Assert.Throws<BusinessRuleException>(() => CartRules.Add([], open, open.Skus[0], 1000, null, T0, NewLineId)).Extensions["limit"]);
        Assert.Equal(Sku.QuantityCeiling, Assert.Throws<BusinessRuleException>(() => CartRules.Add([], open, open.Skus[0], int.MaxValue, null, T0, NewLineId)).Extensions["limit"]);
    }

    [Fact]
    public void A_cart_holds_at_most_100_lines_but_a_full_cart_still_merges()
    {
        var full = Enumerable.Range(0, CartRules.MaxLines).Select(i => NewLine($"l{i}", productId: $"prd-{i}")).ToList();
        var product = NewProduct("prd-new");

        Assert.Equal("cart_full", Assert.Throws<BusinessRuleException>(() => CartRules.Add(full, product, product.Skus[0], 1, null, T0, NewLineId)).Code);
        var (merged, _) = CartRules.Add(full, NewProduct("prd-7"), NewProduct("prd-7").Skus[0], 1, null, T0, NewLineId);
        Assert.Equal(CartRules.MaxLines, merged.Count);
        Assert.Equal(2, merged.Single(l => l.ProductId == "prd-7").Quantity);
    }

    [Fact]
    public void Updating_a_line_checks_the_limit_reprices_and_404s_an_unknown_line()
    {
        var lines = new List<CartItem> { NewLine("a"), NewLine("b", skuId: "sku-2", selected: false) };
        var sku = NewSku(maxPerOrder: 4);

        var updated = CartRules.Update(lines, "a", new UpdateCartItemRequest(3, false), sku, "L2");
        Assert.Equal((3, false, 9_000L), (updated[0].Quantity, updated[0].Selected, updated[0].AddedPriceFen));
        Assert.Same(lines[1], updated[1]);

        Assert.Equal("purchase_limit", Assert.Throws<BusinessRuleException>(() => CartRules.Update(lines, "a", new UpdateCartItemRequest(5, null), sku, null)).Code);
        Assert.Throws<NotFoundException>(() => CartRules.Update(lines, "zzz", new UpdateCartItemRequest(1, null), sku, null));

        // A gone SKU keeps its reference price; only the ceiling applies.
        Assert.Equal(10_000, CartRules.Update(lines, "a", new UpdateCartItemRequest(7, null), null, null)[0].AddedPriceFen);
    }

    [Fact]
    public void Selecting_by_shop_touches_only_that_shop()
    {
        var lines = new List<CartItem> { NewLine("a", shopId: "s1", selected: false), NewLine("b", shopId: "s2", selected: false) };

        Assert.Equal([true, false], CartRules.Select(lines, true, "s1").Select(l => l.Selected));
        Assert.Equal([true, true], CartRules.Select(lines, true, null).Select(l => l.Selected));
    }
}
