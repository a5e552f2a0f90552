using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Marketing;
using MiniShop.Tests.Integration.Coupons;

namespace MiniShop.Tests.Integration.Marketing;

public class MarketingCatalogTests(CouponServices services) : IClassFixture<CouponServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MarketingCatalog Catalog => services.Get<MarketingCatalog>();

    private PromotionAdminService Promotions => services.Get<PromotionAdminService>();

    private MarketingConfigService Config => services.Get<MarketingConfigService>();

    private static PromotionDraft Draft(string name, DateTimeOffset? starts = null, DateTimeOffset? ends = null, ScopeDraft? scope = null) => new(
        name, null, new PromotionRuleDraft(PromotionRuleKind.FullReduction, [new(30_000, 4_000)], null, null, null, null),
        scope ?? new ScopeDraft(ScopeKind.All, null), starts ?? DateTimeOffset.UtcNow.AddDays(-1), ends ?? DateTimeOffset.UtcNow.AddDays(1), null);

    [Fact]
    public async Task Active_promotions_are_the_shops_and_the_platforms_running_now()
    {
        var now = DateTimeOffset.UtcNow;
        var shop = await Promotions.CreateAsync("shop-1", Draft("shop"), Ct);
        var platform = await Promotions.CreateAsync(MarketingOwners.Platform, Draft("platform", scope: new ScopeDraft(ScopeKind.Shops, ["shop-1"])), Ct);
        var other = await Promotions.CreateAsync("shop-2", Draft("other shop"), Ct);
        var future = await Promotions.CreateAsync("shop-1", Draft("future", now.AddDays(2), now.AddDays(3)), Ct);
        var past = await Promotions.CreateAsync("shop-1", Draft("past", now.AddDays(-3), now.AddDays(-2)), Ct);
        var paused = await Promotions.CreateAsync("shop-1", Draft("paused"), Ct);
        await Promotions.SetStatusAsync("shop-1", paused.Id, MarketingStatus.Paused, paused.Version, Ct);

        var active = await Catalog.ActivePromotionsAsync(["shop-1"], now, Ct);

        Assert.Contains(active, p => p.Id == shop.Id && p.ShopId == "shop-1");
        Assert.Contains(active, p => p.Id == platform.Id && p.ShopId is null);
        Assert.DoesNotContain(active, p => p.Id == other.Id || p.Id == future.Id || p.Id == past.Id || p.Id == paused.Id);
        Assert.Contains(await Catalog.ActivePromotionsAsync(["shop-1"], now.AddDays(2.5), Ct), p => p.Id == future.Id);
    }

    [Fact]
    public async Task Writes_through_this_process_invalidate_the_cache()
    {
        var p = await Promotions.CreateAsync("shop-2", Draft("cache me"), Ct);
        Assert.Contains(await Catalog.ActivePromotionsAsync(["shop-2"], DateTimeOffset.UtcNow, Ct), x => x.Id == p.Id);

        await Promotions.SetStatusAsync("shop-2", p.Id, MarketingStatus.Paused, null, Ct);
        Assert.DoesNotContain(await Catalog.ActivePromotionsAsync(["shop-2"], DateTimeOffset.UtcNow, Ct), x => x.Id == p.Id);

        var resumed = await Promotions.SetStatusAsync("shop-2", p.Id, MarketingStatus.Active, null, Ct);
        var renamed = await Promotions.UpdateAsync("shop-2", p.Id, Draft("renamed") with { StackingGroup = "g2" }, resumed.Version, Ct);
        Assert.Equal(4, renamed.Version);
        Assert.Equal("g2", Assert.Single(await Catalog.ActivePromotionsAsync(["shop-2"], DateTimeOffset.UtcNow, Ct), x => x.Id == p.Id).StackingGroup);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Promotions.UpdateAsync("shop-2", p.Id, Draft("stale"), 1, Ct));
    }

    [Fact]
    public async Task Promotions_of_an_unknown_shop_are_refused_and_reserved_ids_are_not_promotions()
    {
        Assert.Contains("ownerId", (await Assert.ThrowsAsync<ValidationException>(() => Promotions.CreateAsync("no-such-shop", Draft("x"), Ct))).Errors.Keys);
        await Assert.ThrowsAsync<NotFoundException>(() => Promotions.GetAsync("shop-1", ShippingTemplateDefinition.DocumentId, Ct));
    }

    [Fact]
    public async Task Shipping_templates_are_created_then_replaced_with_their_version()
    {
        var draft = new ShippingTemplateDraft(ShippingBasis.Weight, new ShippingRateDraft(1_000, 1_000, 500, 400), [], [], 19_900);
        await Assert.ThrowsAsync<NotFoundException>(() => Config.GetShippingTemplateAsync("shop-2", Ct));
        Assert.Empty(await Catalog.ShippingTemplatesAsync(["shop-2"], Ct));

        var created = await Config.PutShippingTemplateAsync("shop-2", draft, null, Ct);
        Assert.Equal(1, created.Version);
        Assert.Equal(ShippingBasis.Weight, Assert.Single(await Catalog.ShippingTemplatesAsync(["shop-2", "shop-1"], Ct)).Basis);

        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Config.PutShippingTemplateAsync("shop-2", draft, null, Ct));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Config.PutShippingTemplateAsync("shop-2", draft, 7, Ct));
        var replaced = await Config.PutShippingTemplateAsync("shop-2", draft with { FreeOverFen = 9_900 }, 1, Ct);
        Assert.Equal((2L, (long?)9_900), (replaced.Version, replaced.FreeOverFen));
        Assert.Equal(9_900, Assert.Single(await Catalog.ShippingTemplatesAsync(["shop-2"], Ct)).FreeOverFen);
        await Assert.ThrowsAsync<NotFoundException>(() => Config.PutShippingTemplateAsync("no-such-shop", draft, null, Ct));
    }

    [Fact]
    public async Task Points_and_stacking_come_from_the_settings_with_defaults()
    {
        var settings = await Config.GetSettingsAsync(Ct);
        if (settings.Version == 0)
        {
            Assert.Equal(new PointsPolicy(100, 5_000, true), await Catalog.PointsPolicyAsync(Ct));
            Assert.Empty((await Catalog.StackingPolicyAsync(Ct)).Exclusions);
        }

        var saved = await Config.PutSettingsAsync(new MarketingSettingsDraft(new PointsPolicyDraft(50, 3_000, false),
            [new(StackingGroups.PlatformCoupon, StackingGroups.ShopFullReduction)]), settings.Version, Ct);

        Assert.Equal(settings.Version + 1, saved.Version);
        Assert.Equal(new PointsPolicy(50, 3_000, false), await Catalog.PointsPolicyAsync(Ct));
        Assert.Equal([new ExclusiveGroups("PlatformCoupon", "ShopFullReduction")], (await Catalog.StackingPolicyAsync(Ct)).Exclusions);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Config.PutSettingsAsync(new MarketingSettingsDraft(new PointsPolicyDraft(1, 1, true), []), settings.Version, Ct));
    }
}
