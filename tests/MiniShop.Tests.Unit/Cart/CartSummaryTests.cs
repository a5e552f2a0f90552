using MiniShop.Domain.Cart;
using MiniShop.Domain.Catalog;
using static MiniShop.Tests.Unit.Cart.CartTestData;

namespace MiniShop.Tests.Unit.Cart;

public class CartSummaryTests
{
    private static readonly Dictionary<string, string> ShopNames = new() { ["shop-1"] = "Shop One", ["shop-2"] = "Shop Two" };

    private static CartSummary Build(ShoppingCart cart, string? level = null, params Product[] products)
        => CartSummaries.Build(cart, products.ToDictionary(p => p.Id), ShopNames, level);

    [Fact]
    public void Lines_are_grouped_by_shop_newest_first_with_totals_of_selected_available_lines()
    {
        var cart = NewCart(
            NewLine("a", "prd-1", shopId: "shop-1", quantity: 2, minutes: 1),
            NewLine("b", "prd-2", shopId: "shop-2", quantity: 1, minutes: 5),
            NewLine("c", "prd-3", shopId: "shop-1", quantity: 3, minutes: 3, addedPriceFen: 9_500),
            NewLine("d", "prd-4", shopId: "shop-2", quantity: 1, selected: false, minutes: 0));

        var summary = Build(cart, null, NewProduct("prd-1"), NewProduct("prd-2", "shop-2"), NewProduct("prd-3"), NewProduct("prd-4", "shop-2"));

        Assert.Equal(["shop-2", "shop-1"], summary.Shops.Select(s => s.ShopId));
        Assert.Equal(["Shop Two", "Shop One"], summary.Shops.Select(s => s.ShopName));
        Assert.Equal(["c", "a"], summary.Shops[1].Lines.Select(l => l.LineId));
        Assert.Equal(2 * 10_000 + 3 * 9_500, summary.Shops[1].SelectedTotalFen);
        Assert.Equal(10_000, summary.Shops[0].SelectedTotalFen);
        Assert.False(summary.Shops[0].AllSelected);
        Assert.True(summary.Shops[1].AllSelected);
        Assert.Equal(2 * 10_000 + 3 * 9_500 + 10_000, summary.SelectedTotalFen);
        Assert.Equal((3, 6), (summary.SelectedLineCount, summary.SelectedQuantity));
        Assert.Equal((4, 0), (summary.LineCount, summary.UnavailableLineCount));
        Assert.False(summary.AllSelected);
        Assert.Equal(3, summary.Version);
    }

    [Fact]
    public void Each_availability_state_is_recognised_and_only_available_lines_count()
    {
        var cart = NewCart(
            NewLine("ok", "prd-ok"),
            NewLine("short", "prd-short", quantity: 4),
            NewLine("disabled", "prd-disabled"),
            NewLine("unpublished", "prd-unpublished"),
            NewLine("gone", "prd-gone"),
            NewLine("gone-sku", "prd-ok", skuId: "sku-gone"));

        var summary = Build(cart, null,
            NewProduct("prd-ok"), NewProduct("prd-short", skus: NewSku(stock: 3)), NewProduct("prd-disabled", skus: NewSku(enabled: false)),
            NewProduct("prd-unpublished", status: ProductStatus.Unpublished));
        var lines = summary.Shops.Single().Lines.ToDictionary(l => l.LineId);

        Assert.Equal(CartLineAvailability.Available, lines["ok"].Availability);
        Assert.Equal(CartLineAvailability.InsufficientStock, lines["short"].Availability);
        Assert.Equal(3, lines["short"].StockLeft);
        Assert.Null(lines["ok"].StockLeft);
        Assert.Equal(CartLineAvailability.Disabled, lines["disabled"].Availability);
        Assert.Equal(CartLineAvailability.Unpublished, lines["unpublished"].Availability);
        Assert.Equal(CartLineAvailability.Removed, lines["gone"].Availability);
        Assert.Equal("Snapshot title", lines["gone"].Title);
        Assert.Null(lines["gone"].UnitPriceFen);
        Assert.Equal(CartLineAvailability.Removed, lines["gone-sku"].Availability);
        Assert.Equal("Product prd-ok", lines["gone-sku"].Title);

        Assert.Equal(10_000, summary.SelectedTotalFen);
        Assert.Equal(5, summary.UnavailableLineCount);
        Assert.True(summary.AllSelected);
        Assert.All(lines.Values.Where(l => l.LineId != "ok"), l => Assert.False(l.Purchasable));
    }

    [Fact]
    public void Current_prices_are_the_callers_and_a_change_since_adding_is_flagged()
    {
        var cart = NewCart(NewLine("same", "prd-1", addedPriceFen: 9_000), NewLine("moved", "prd-2", addedPriceFen: 12_000), NewLine("tier", "prd-3", quantity: 3, addedPriceFen: 9_000));

        var summary = Build(cart, "L2", NewProduct("prd-1"), NewProduct("prd-2"), NewProduct("prd-3"));
        var lines = summary.Shops.Single().Lines.ToDictionary(l => l.LineId);

        Assert.Equal((9_000L, false), (lines["same"].UnitPriceFen!.Value, lines["same"].PriceChanged));
        Assert.Equal((9_000L, true, -3_000L), (lines["moved"].UnitPriceFen!.Value, lines["moved"].PriceChanged, lines["moved"].PriceDeltaFen!.Value));
        Assert.Equal(27_000, lines["tier"].LineTotalFen);
        Assert.Equal(9_000 + 9_000 + 27_000, summary.SelectedTotalFen);
    }

    [Fact]
    public void A_quantity_above_the_sku_limit_is_marked_and_left_out_of_totals()
    {
        var summary = Build(NewCart(NewLine("a", "prd-1", quantity: 3)), null, NewProduct("prd-1", skus: NewSku(maxPerOrder: 2, stock: 10)));
        var line = summary.Shops.Single().Lines.Single();

        Assert.Equal(CartLineAvailability.Available, line.Availability);
        Assert.True(line.ExceedsMaxQuantity);
        Assert.Equal(2, line.MaxQuantity);
        Assert.False(line.Purchasable);
        Assert.Equal(0, summary.SelectedTotalFen);
    }

    [Fact]
    public void An_empty_cart_and_an_unknown_shop_name()
    {
        var empty = Build(NewCart());
        Assert.Empty(empty.Shops);
        Assert.Equal((0, 0L, false), (empty.LineCount, empty.SelectedTotalFen, empty.AllSelected));

        var unknown = Build(NewCart(NewLine("a", "prd-1", shopId: "shop-9")), null, NewProduct("prd-1", "shop-9"));
        Assert.Equal("shop-9", unknown.Shops.Single().ShopName);
    }
}
