using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;

namespace MiniShop.Tests.Unit.Marketing;

public class ShippingAndSettingsRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static ShippingTemplateDraft Valid() => new(ShippingBasis.Count, new ShippingRateDraft(1, 800, 1, 200),
        [new RegionalRateDraft(["650000", "540000"], new ShippingRateDraft(1, 2_000, 1, 1_000))], ["310000"], 19_900);

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(ShippingTemplateDraft draft)
        => Assert.Throws<ValidationException>(() => ShippingRules.Build("shop-1", draft, null, Now)).Errors;

    [Fact]
    public void A_valid_template_maps_to_the_engine_template()
    {
        var engine = ShippingRules.Build("shop-1", Valid(), null, Now).ToEngine();

        Assert.Equal(("shop-1", ShippingBasis.Count, new ShippingRate(1, 800, 1, 200), (long?)19_900), (engine.ShopId, engine.Basis, engine.DefaultRate, engine.FreeOverFen));
        var regional = Assert.Single(engine.RegionalRates);
        Assert.Equal(["650000", "540000"], regional.ProvinceCodes);
        Assert.Equal(new ShippingRate(1, 2_000, 1, 1_000), regional.Rate);
        Assert.Equal(["310000"], engine.FreeProvinceCodes);
    }

    [Fact]
    public void The_engine_charges_what_the_template_says()
    {
        var template = ShippingRules.Build("shop-1", Valid(), null, Now).ToEngine();
        var line = new CartLine("l1", "shop-1", "sku-1", "spu-1", [], 3, 5_000);

        var result = new PromotionEngine().Price(new PricingRequest([line], null, [], [], Now) { ShippingTemplates = [template] });
        var xinjiang = new PromotionEngine().Price(new PricingRequest([line], null, [], [], Now) { ShippingTemplates = [template], DestinationProvinceCode = "650000" });

        Assert.Equal(800 + 2 * 200, result.Totals.ShippingFen);
        Assert.Equal(2_000 + 2 * 1_000, xinjiang.Totals.ShippingFen);
    }

    [Fact]
    public void Every_wrong_field_is_named()
    {
        var errors = ErrorsOf(new ShippingTemplateDraft(null, new ShippingRateDraft(-1, null, 0, 2_000_000),
            [new RegionalRateDraft(["65000", "540000"], null), new RegionalRateDraft([], new ShippingRateDraft(1, 1, 1, 1))], ["540000"], 0));

        Assert.Equal(
            ["basis", "defaultRate.additionalFeeFen", "defaultRate.additionalUnits", "defaultRate.firstFeeFen", "defaultRate.firstUnits",
             "freeOverFen", "freeProvinceCodes[0]", "regionalRates[0].provinceCodes[0]", "regionalRates[0].rate", "regionalRates[1].provinceCodes"],
            errors.Keys.Order());
        Assert.Contains("already listed", errors["freeProvinceCodes[0]"][0]);
    }

    [Fact]
    public void A_province_appears_only_once_across_the_template()
    {
        var draft = Valid() with { RegionalRates = [new(["650000"], new(1, 1, 1, 1)), new(["650000"], new(1, 2, 1, 2))] };
        Assert.Contains("regionalRates[1].provinceCodes[0]", ErrorsOf(draft).Keys);
    }

    [Fact]
    public void Settings_default_to_100_points_a_yuan_half_the_goods_whole_yuan()
    {
        Assert.Equal(new PointsPolicy(100, 5_000, true), MarketingSettings.Default.Points);
        Assert.Empty(MarketingSettings.Default.ToStackingPolicy().Exclusions);
        Assert.Equal(0, MarketingSettings.Default.Version);
    }

    [Fact]
    public void Settings_validate_points_and_exclusion_pairs()
    {
        var errors = Assert.Throws<ValidationException>(() => MarketingSettingsRules.Build(new MarketingSettingsDraft(
            new PointsPolicyDraft(0, 10_001, null),
            [new("PlatformCoupon", "PlatformCoupon"), new("a b", null), new("ShopCoupon", "ShopFullReduction"), new("ShopFullReduction", "ShopCoupon")]),
            MarketingSettings.Default, Now)).Errors;

        Assert.Equal(
            ["points.maxShareBasisPoints", "points.pointsPerYuan", "stackingExclusions[0].second", "stackingExclusions[1].first",
             "stackingExclusions[1].second", "stackingExclusions[3]"],
            errors.Keys.Order());
    }

    [Fact]
    public void Valid_settings_map_to_the_engine_policies()
    {
        var settings = MarketingSettingsRules.Build(new MarketingSettingsDraft(new PointsPolicyDraft(30, 2_000, false),
            [new(StackingGroups.PlatformCoupon, StackingGroups.ShopFullReduction)]), MarketingSettings.Default, Now);

        Assert.Equal(new PointsPolicy(30, 2_000, false), settings.Points);
        Assert.Equal([new ExclusiveGroups("PlatformCoupon", "ShopFullReduction")], settings.ToStackingPolicy().Exclusions);
        Assert.Equal(1, settings.Version);
    }
}
