using System.Net.Http.Json;
using System.Text.Json;

namespace MiniShop.Tests.Api.Checkout;

public class CheckoutApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> ProductAsync(string id) => await Json.ReadAsync(await host.Client().GetAsync($"catalog/products/{id}", Ct), 200);

    private static string Sku(JsonElement product, int i) => product.GetProperty("skus")[i].GetProperty("id").GetString()!;

    [Fact]
    public async Task The_preview_groups_lines_by_shop_with_discounts_shipping_and_a_total_that_adds_up()
    {
        var shopper = await Shopper.CreateAsync(host, "preview1");
        var tee = await ProductAsync("prd-demo-tee");
        var tea = await ProductAsync("prd-demo-longjing");

        var preview = await shopper.PreviewAsync(new
        {
            items = Shopper.Items(("prd-demo-tee", Sku(tee, 0), 4), ("prd-demo-longjing", Sku(tea, 0), 1)), addressId = shopper.AddressId,
        });

        var shops = preview.GetProperty("shops").EnumerateArray().ToList();
        Assert.Equal(["shop-demo", "shop-tea"], shops.Select(s => s.GetProperty("shopId").GetString()).Order());
        long sum = 0;
        foreach (var shop in shops)
        {
            var lines = shop.GetProperty("lines").EnumerateArray().ToList();
            Assert.Equal(shop.GetProperty("goodsFen").GetInt64(), lines.Sum(l => l.GetProperty("lineAmountFen").GetInt64()));
            foreach (var line in lines)
                Assert.Equal(line.GetProperty("lineAmountFen").GetInt64() - line.GetProperty("discounts").EnumerateArray().Sum(d => d.GetProperty("amountFen").GetInt64()),
                    line.GetProperty("payableFen").GetInt64());
            Assert.Equal(lines.Sum(l => l.GetProperty("payableFen").GetInt64()) + shop.GetProperty("shippingFen").GetInt64(), shop.GetProperty("payableFen").GetInt64());
            sum += shop.GetProperty("payableFen").GetInt64();
        }
        var totals = preview.GetProperty("totals");
        Assert.Equal(sum, totals.GetProperty("payableFen").GetInt64());
        Assert.True(totals.GetProperty("payableFen").GetInt64() > 0);
        // Four tees reach the tier price of 3+ (8500 each).
        var teeLine = shops.Single(s => s.GetProperty("shopId").GetString() == "shop-demo").GetProperty("lines")[0];
        Assert.Equal(8500, teeLine.GetProperty("unitPriceFen").GetInt64());
        Assert.Equal("quantityTier", teeLine.GetProperty("priceRule").GetString());
    }

    [Fact]
    public async Task Placing_creates_one_order_per_shop_and_one_payment_and_a_repeat_creates_nothing()
    {
        var shopper = await Shopper.CreateAsync(host, "place1");
        var tee = await ProductAsync("prd-demo-tee");
        var tea = await ProductAsync("prd-demo-longjing");
        var items = Shopper.Items(("prd-demo-tee", Sku(tee, 1), 1), ("prd-demo-longjing", Sku(tea, 1), 1));
        var preview = await shopper.PreviewAsync(new { items, addressId = shopper.AddressId });
        var body = new { items, addressId = shopper.AddressId, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64() };

        var first = await shopper.PlaceAsync(body, "key-place-1");
        var placed = await Json.ReadAsync(first, 201);
        Assert.Equal(2, placed.GetProperty("orders").GetArrayLength());
        Assert.Equal(preview.GetProperty("totals").GetProperty("payableFen").GetInt64(), placed.GetProperty("payableFen").GetInt64());
        Assert.Equal(placed.GetProperty("orders").EnumerateArray().Sum(o => o.GetProperty("payableFen").GetInt64()), placed.GetProperty("payableFen").GetInt64());

        var again = await Json.ReadAsync(await shopper.PlaceAsync(body, "key-place-1"), 200);
        Assert.Equal(placed.GetProperty("paymentOrderId").GetString(), again.GetProperty("paymentOrderId").GetString());

        var other = new { items, addressId = shopper.AddressId, expectedPayableFen = 1L };
        Assert.Equal("idempotency_key_reused", (await Json.ProblemAsync(await shopper.PlaceAsync(other, "key-place-1"), 422)).GetProperty("code").GetString());

        var stock = (await ProductAsync("prd-demo-longjing")).GetProperty("skus")[1].GetProperty("stock").GetInt64();
        Assert.Equal(tea.GetProperty("skus")[1].GetProperty("stock").GetInt64() - 1, stock); // reserved once, not twice

        // This host has no WeChat Pay settings: paying is refused clearly (503), never a 500.
        var prepay = await Json.ProblemAsync(await shopper.Client.PostAsync($"payments/{placed.GetProperty("paymentOrderId").GetString()}/prepay", null, Ct), 503);
        Assert.Equal("payments_not_configured", prepay.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stale_total_gets_409_with_the_new_preview_and_reserves_nothing()
    {
        var shopper = await Shopper.CreateAsync(host, "stale1");
        var cap = await ProductAsync("prd-demo-cap");
        var items = Shopper.Items(("prd-demo-cap", Sku(cap, 2), 2));

        var problem = await Json.ProblemAsync(await shopper.PlaceAsync(new { items, addressId = shopper.AddressId, expectedPayableFen = 1 }, "key-stale-1"), 409);

        Assert.Equal("price_changed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("preview").GetProperty("totals").GetProperty("payableFen").GetInt64() > 1);
        Assert.Equal(cap.GetProperty("skus")[2].GetProperty("stock").GetInt64(), (await ProductAsync("prd-demo-cap")).GetProperty("skus")[2].GetProperty("stock").GetInt64());
        // The key is free again: the shopper confirms the new total and places with the same key.
        var total = problem.GetProperty("preview").GetProperty("totals").GetProperty("payableFen").GetInt64();
        await Json.ReadAsync(await shopper.PlaceAsync(new { items, addressId = shopper.AddressId, expectedPayableFen = total }, "key-stale-1"), 201);
    }

    [Fact]
    public async Task Bad_input_names_the_cause_and_reserves_or_locks_nothing()
    {
        var shopper = await Shopper.CreateAsync(host, "bad1");
        var stranger = await Shopper.CreateAsync(host, "bad2");
        var tee = await ProductAsync("prd-demo-tee");
        var before = tee.GetProperty("skus")[5].GetProperty("stock").GetInt64();

        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", "sku-nope", 1)), addressId = shopper.AddressId, expectedPayableFen = 100 }, "k-b1"), 400, "items[0].skuId");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 0)), addressId = shopper.AddressId, expectedPayableFen = 100 }, "k-b2"), 400, "items[0].quantity");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 100_000)), addressId = shopper.AddressId, expectedPayableFen = 100 }, "k-b3"), 400, "items[0].quantity");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 1)), addressId = stranger.AddressId, expectedPayableFen = 100 }, "k-b4"), 400, "addressId");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 1)), addressId = shopper.AddressId, couponIds = new[] { "cpn:someone-else:1" }, expectedPayableFen = 100 }, "k-b5"), 400, "couponIds[0]");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 1)), addressId = shopper.AddressId }, "k-b6"), 400, "expectedPayableFen");
        await Json.ProblemAsync(await shopper.PlaceAsync(new { items = Shopper.Items(("prd-demo-tee", Sku(tee, 5), 1)), addressId = shopper.AddressId, expectedPayableFen = 100 }, "bad key!"), 400, "Idempotency-Key");
        await Json.ProblemAsync(await host.Client().PostAsJsonAsync("checkout/preview", new { }, Ct), 401);

        Assert.Equal(before, (await ProductAsync("prd-demo-tee")).GetProperty("skus")[5].GetProperty("stock").GetInt64());
    }

    [Fact]
    public async Task The_cart_checks_out_its_selected_lines_and_they_leave_the_cart()
    {
        var shopper = await Shopper.CreateAsync(host, "cart1");
        var shirt = await ProductAsync("prd-demo-shirt");
        await Json.ReadAsync(await shopper.Client.PostAsJsonAsync("cart/items", new { productId = "prd-demo-shirt", skuId = Sku(shirt, 0), quantity = 1 }, Ct), 200);
        await Json.ReadAsync(await shopper.Client.PostAsJsonAsync("cart/items", new { productId = "prd-demo-shirt", skuId = Sku(shirt, 1), quantity = 2 }, Ct), 200);

        var preview = await shopper.PreviewAsync(new { addressId = shopper.AddressId });
        Assert.Equal(2, preview.GetProperty("shops")[0].GetProperty("lines").GetArrayLength());
        await Json.ReadAsync(await shopper.PlaceAsync(new { addressId = shopper.AddressId, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64() }, "cart-k1"), 201);

        var cart = await Json.ReadAsync(await shopper.Client.GetAsync("cart", Ct), 200);
        Assert.DoesNotContain(Sku(shirt, 0), cart.ToString());
    }
}
