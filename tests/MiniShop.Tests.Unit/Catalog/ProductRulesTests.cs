using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;

namespace MiniShop.Tests.Unit.Catalog;

public class ProductRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static Product Create(ProductDraft draft) => ProductRules.Create("prd-1", draft, ProductDrafts.Refs, ProductDrafts.NewSkuId, Now);

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(ProductDraft draft)
        => Assert.Throws<ValidationException>(() => Create(draft)).Errors;

    [Fact]
    public void A_complete_matrix_becomes_a_draft_product_with_opening_stock()
    {
        var product = Create(ProductDrafts.Valid());

        Assert.Equal(ProductStatus.Draft, product.Status);
        Assert.Equal(4, product.Skus.Count);
        Assert.Equal(1, product.Version);
        Assert.All(product.Skus, s => Assert.Equal(new SkuStock(10), s.Stock));
        Assert.Equal(4, product.Skus.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void A_missing_combination_is_reported_on_skus()
    {
        var draft = ProductDrafts.Valid();
        var errors = ErrorsOf(draft with { Skus = draft.Skus!.Take(3).ToList() });
        Assert.Contains("needs 4 SKU(s)", Assert.Single(errors["skus"]));
    }

    [Fact]
    public void A_repeated_combination_and_repeated_codes_are_named_by_index()
    {
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[3] = ProductDrafts.Sku(["S", "白"], "T-S-W", "6900000000011");
        var errors = ErrorsOf(draft with { Skus = skus });

        Assert.Contains("skus[3].specValues", errors.Keys);
        Assert.Contains("skus[3].code", errors.Keys);
        Assert.Contains("skus[3].barcode", errors.Keys);
    }

    [Fact]
    public void A_value_that_is_not_in_the_dimension_is_rejected()
    {
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[0] = ProductDrafts.Sku(["XXL", "白"], "T-X", null);
        var errors = ErrorsOf(draft with { Skus = skus });
        Assert.Contains("'XXL' is not a value of 尺码", errors["skus[0].specValues[0]"][0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Prices_must_be_positive(long price)
    {
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[1] = skus[1] with { ListPriceFen = price, MemberPricesFen = [], TierPrices = [] };
        Assert.Contains("skus[1].listPriceFen", ErrorsOf(draft with { Skus = skus }).Keys);
    }

    [Fact]
    public void Tier_prices_must_not_rise_with_quantity_nor_exceed_the_list_price()
    {
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[0] = skus[0] with { TierPrices = [new TierPriceDraft(3, 9000), new TierPriceDraft(5, 9500), new TierPriceDraft(4, 8000)] };
        skus[1] = skus[1] with { TierPrices = [new TierPriceDraft(2, 12000)] };
        var errors = ErrorsOf(draft with { Skus = skus });

        Assert.Contains("skus[0].tierPrices[1].priceFen", errors.Keys);
        Assert.Contains("skus[0].tierPrices[2].minQuantity", errors.Keys);
        Assert.Contains("skus[1].tierPrices[0].priceFen", errors.Keys);
    }

    [Fact]
    public void Member_prices_must_name_a_known_level_and_not_exceed_the_list_price()
    {
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[0] = skus[0] with { MemberPricesFen = new() { ["L2"] = 10_000 } };
        skus[1] = skus[1] with { MemberPricesFen = new() { ["GOLD"] = 100 } };
        var errors = ErrorsOf(draft with { Skus = skus });

        Assert.Contains("must not be above the list price", errors["skus[0].memberPricesFen.L2"][0]);
        Assert.Contains("not a member level", errors["skus[1].memberPricesFen.GOLD"][0]);
    }

    [Fact]
    public void Every_wrong_field_is_reported_at_once()
    {
        var draft = ProductDrafts.Valid() with
        {
            Title = "", CategoryIds = ["nope"], Media = [new MediaDraft(MediaKind.Video, "https://v.example.com/a.mp4", null)],
        };
        var errors = ErrorsOf(draft);

        Assert.Contains("title", errors.Keys);
        Assert.Contains("categoryIds[0]", errors.Keys);
        Assert.Contains("media[0].posterUrl", errors.Keys);
    }

    [Fact]
    public void Spec_dimensions_must_have_unique_names_and_values()
    {
        var draft = ProductDrafts.Valid() with { Specs = [new SpecDimensionDraft("尺码", ["S", "S"]), new SpecDimensionDraft("尺码", ["白"])] };
        var errors = ErrorsOf(draft);
        Assert.Contains("specs[0].values[1]", errors.Keys);
        Assert.Contains("specs[1].name", errors.Keys);
    }

    [Fact]
    public void A_product_without_specs_has_exactly_one_sku()
    {
        var draft = ProductDrafts.Valid() with { Specs = [], Skus = [ProductDrafts.Sku([], "ONE", null)] };
        Assert.Single(Create(draft).Skus);

        var two = draft with { Skus = [ProductDrafts.Sku([], "ONE", null), ProductDrafts.Sku([], "TWO", null)] };
        Assert.Contains("skus", ErrorsOf(two).Keys);
    }

    [Fact]
    public void An_update_keeps_identity_stock_and_sales_but_replaces_content()
    {
        var original = Create(ProductDrafts.Valid()) with { Sales = 7 };
        original = original with { Skus = original.Skus.Select(s => s with { Stock = new SkuStock(3, 2, 5) }).ToList() };
        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.Select((s, i) => s with { Id = original.Skus[i].Id, Stock = 999, ListPriceFen = 12_000 }).ToList();

        var updated = ProductRules.Update(original, draft with { Title = "新标题", Skus = skus }, ProductDrafts.Refs, ProductDrafts.NewSkuId, Now.AddHours(1));

        Assert.Equal("新标题", updated.Title);
        Assert.Equal(2, updated.Version);
        Assert.Equal(7, updated.Sales);
        Assert.All(updated.Skus, s => Assert.Equal(new SkuStock(3, 2, 5), s.Stock));
        Assert.All(updated.Skus, s => Assert.Equal(12_000, s.ListPriceFen));
        Assert.Equal(original.Skus.Select(s => s.Id), updated.Skus.Select(s => s.Id));
    }

    [Fact]
    public void An_update_may_not_move_the_product_to_another_shop_or_name_foreign_skus()
    {
        var original = Create(ProductDrafts.Valid());
        Assert.Contains("shopId", Assert.Throws<ValidationException>(() =>
            ProductRules.Update(original, ProductDrafts.Valid() with { ShopId = "shop-2" }, ProductDrafts.Refs, ProductDrafts.NewSkuId, Now)).Errors.Keys);

        var draft = ProductDrafts.Valid();
        var skus = draft.Skus!.ToList();
        skus[0] = skus[0] with { Id = "sku-of-someone-else" };
        Assert.Contains("skus[0].id", Assert.Throws<ValidationException>(() =>
            ProductRules.Update(original, draft with { Skus = skus }, ProductDrafts.Refs, ProductDrafts.NewSkuId, Now)).Errors.Keys);
    }
}
