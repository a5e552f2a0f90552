using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Integration.Catalog;

public class ProductAdminServiceTests(CatalogServices services) : IClassFixture<CatalogServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ProductAdminService Admin => services.Get<ProductAdminService>();

    private Container Products => services.Get<CosmosDb>().Container(CosmosSchema.Products);

    private async Task<List<StockMovement>> MovementsAsync(string productId)
        => await Products.QueryAsync<StockMovement>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'stock-movement'"), productId, ct: Ct);

    [Fact]
    public async Task Creating_a_product_writes_it_with_an_opening_stock_movement_per_sku()
    {
        var product = await Admin.CreateAsync(CatalogServices.Draft(stock: 7), "op-1", Ct);

        var stored = (await Admin.GetAsync(product.Id, Ct)).Value;
        Assert.Equal(4, stored.Skus.Count);
        var movements = await MovementsAsync(product.Id);
        Assert.Equal(4, movements.Count);
        Assert.All(movements, m => Assert.Equal(7, m.AvailableDelta));
        Assert.Equal(stored.Skus.Select(s => s.Id).Order(), movements.Select(m => m.SkuId).Order());
    }

    [Fact]
    public async Task A_barcode_owned_by_another_product_is_refused_and_nothing_is_written()
    {
        var first = await Admin.CreateAsync(CatalogServices.Draft(), "op", Ct);
        var draft = CatalogServices.Draft(title: "copycat");
        var skus = draft.Skus!.ToList();
        skus[2] = skus[2] with { Barcode = first.Skus[0].Barcode };

        var error = await Assert.ThrowsAsync<ValidationException>(() => Admin.CreateAsync(draft with { Skus = skus }, "op", Ct));
        Assert.Contains(first.Id, error.Errors["skus[2].barcode"][0]);
        var copies = await Products.QueryAsync<Product>(new QueryDefinition("SELECT * FROM c WHERE c.title = 'copycat'"), null, ct: Ct);
        Assert.Empty(copies);
    }

    [Fact]
    public async Task An_unknown_shop_is_a_field_error()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => Admin.CreateAsync(CatalogServices.Draft(shopId: "no-such-shop"), "op", Ct));
        Assert.Contains("shopId", error.Errors.Keys);
    }

    [Fact]
    public async Task A_stale_version_is_refused_and_a_fresh_one_updates()
    {
        var product = await Admin.CreateAsync(CatalogServices.Draft(), "op", Ct);
        var draft = CatalogServices.Draft() with { Title = "Renamed" };
        var skus = draft.Skus!.Select((s, i) => s with { Id = product.Skus[i].Id, Code = product.Skus[i].Code, Barcode = product.Skus[i].Barcode }).ToList();

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Admin.UpdateAsync(product.Id, draft with { Skus = skus }, product.Version + 1, Ct));
        var updated = await Admin.UpdateAsync(product.Id, draft with { Skus = skus }, product.Version, Ct);

        Assert.Equal("Renamed", updated.Title);
        Assert.Equal(product.Version + 1, updated.Version);
    }

    [Fact]
    public async Task Stock_adjustments_are_audited_idempotent_and_never_go_below_zero()
    {
        var product = await Admin.CreateAsync(CatalogServices.Draft(stock: 5), "op", Ct);
        var sku = product.Skus[1];

        await Admin.AdjustStockAsync(product.Id, sku.Id, new StockAdjustment(10, "restock", "key-1"), "op", Ct);
        var again = await Admin.AdjustStockAsync(product.Id, sku.Id, new StockAdjustment(10, "restock", "key-1"), "op", Ct);
        Assert.Equal(15, again.FindSku(sku.Id)!.Stock.Available);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => Admin.AdjustStockAsync(product.Id, sku.Id, new StockAdjustment(-16, "shrinkage", null), "op", Ct));
        Assert.Equal("insufficient_stock", error.Code);
        Assert.Equal(15, (await Admin.GetAsync(product.Id, Ct)).Value.FindSku(sku.Id)!.Stock.Available);
        Assert.Equal(2, (await MovementsAsync(product.Id)).Count(m => m.SkuId == sku.Id));
    }

    [Fact]
    public async Task Concurrent_removals_take_exactly_the_stock_there_is()
    {
        var product = await Admin.CreateAsync(CatalogServices.Draft(stock: 12), "op", Ct);
        var sku = product.Skus[0];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await Admin.AdjustStockAsync(product.Id, sku.Id, new StockAdjustment(-1, "damaged", $"dmg-{i}"), "op", Ct);
                return true;
            }
            catch (BusinessRuleException) { return false; }
        }));

        Assert.Equal(12, outcomes.Count(o => o));
        var stored = (await Admin.GetAsync(product.Id, Ct)).Value.FindSku(sku.Id)!;
        Assert.Equal(0, stored.Stock.Available);
        var movements = (await MovementsAsync(product.Id)).Where(m => m.SkuId == sku.Id).ToList();
        Assert.Equal(stored.Stock.Available, movements.Sum(m => m.AvailableDelta)); // the audit trail explains every unit
    }

    [Fact]
    public async Task Publishing_needs_an_image_and_projects_a_card_that_unpublishing_removes()
    {
        var noImage = await Admin.CreateAsync(CatalogServices.Draft() with { Media = [] }, "op", Ct);
        Assert.Equal("no_image", (await Assert.ThrowsAsync<BusinessRuleException>(() => Admin.PublishAsync(noImage.Id, null, Ct))).Code);

        var product = await Admin.CreateAsync(CatalogServices.Draft(), "op", Ct);
        await Admin.PublishAsync(product.Id, product.Version, Ct);
        var cards = services.Get<CosmosDb>().Container(CosmosSchema.ProductCards);
        var card = await cards.ReadOrNullAsync<ProductCard>(product.Id, ProductCard.MiniProgramChannel, Ct);
        Assert.NotNull(card);
        Assert.Equal(["tshirts", "apparel", "tops"], card.Value.CategoryIds.OrderBy(c => c != "tshirts").ThenBy(c => c));

        await Admin.UnpublishAsync(product.Id, null, Ct);
        Assert.Null(await cards.ReadOrNullAsync<ProductCard>(product.Id, ProductCard.MiniProgramChannel, Ct));
    }
}
