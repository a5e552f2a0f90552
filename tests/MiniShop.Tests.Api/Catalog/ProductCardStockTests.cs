using System.Text.Json;
using MiniShop.Tests.Api.Checkout;
using MiniShop.Tests.Api.FlashSales;
using MiniShop.Tests.Api.Orders;

namespace MiniShop.Tests.Api.Catalog;

/// <summary>The listing follows stock and sales that checkout and payment change (the products' change feed refreshes the cards).</summary>
public class ProductCardStockTests(LifecycleHost host) : IClassFixture<LifecycleHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> CardAsync(FlashSaleKit kit)
        => (await Json.ReadAsync(await host.Api.Client().GetAsync($"catalog/products?shopId={kit.ShopId}", Ct), 200)).GetProperty("items").EnumerateArray().Single();

    [Fact]
    public async Task A_product_sold_out_by_checkout_shows_out_of_stock_in_the_list_and_its_sales_count_once_paid()
    {
        var kit = await FlashSaleKit.CreateAsync(host.Api, stock: 2);
        var listed = await CardAsync(kit);
        Assert.Equal((true, 0L), (listed.GetProperty("inStock").GetBoolean(), listed.GetProperty("sales").GetInt64()));

        var shopper = await Shopper.CreateAsync(host.Api, "card-stock");
        var placed = await host.PlaceAsync(shopper, (kit.ProductId, 0, 2));
        await LifecycleHost.EventuallyAsync(() => CardAsync(kit), c => !c.GetProperty("inStock").GetBoolean(), 20);

        await host.PayAsync(shopper, placed.GetProperty("paymentOrderId").GetString()!);
        var sold = await LifecycleHost.EventuallyAsync(() => CardAsync(kit), c => c.GetProperty("sales").GetInt64() == 2, 20);
        Assert.False(sold.GetProperty("inStock").GetBoolean());
        var detail = await Json.ReadAsync(await host.Api.Client().GetAsync($"catalog/products/{kit.ProductId}", Ct), 200);
        Assert.Equal(2, detail.GetProperty("sales").GetInt64());
    }
}
