using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Identity;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Marketing;

namespace MiniShop.Infrastructure.Demo;

public sealed record SeedReport(int Created, int AlreadyThere);

/// <summary>
/// A demo shop a developer can browse right away. Every entity has a fixed id and is only created when missing,
/// so running the seed again changes nothing.
/// </summary>
public sealed class DemoShopSeeder(
    ShopStore shops,
    CategoryStore categories,
    MemberLevelDirectory levels,
    ProductAdminService products,
    OperatorAdminService operators,
    PromotionAdminService promotions,
    MarketingConfigService marketing,
    CouponTemplateAdminService couponTemplates)
{
    public const string ShopId = "shop-demo";
    public const string TeaShopId = "shop-tea";
    public const string AdminUser = "admin";
    public const string MerchantUser = "merchant";
    public const string ShopFullReductionId = "prm-demo-full-reduction";
    public const string PlatformTeaMultiBuyId = "prm-platform-tea-2-items";
    public const string PlatformCouponTemplateId = "ctp-platform-welcome";
    public const string ShopCouponTemplateId = "ctp-demo-50-off";

    // Fixed windows, so a second seed run writes exactly the same thing (and writes nothing, as it is already there).
    private static readonly DateTimeOffset SeedFrom = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SeedUntil = new(2035, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private int _created;
    private int _existing;

    public async Task<SeedReport> SeedAsync(string operatorPassword, CancellationToken ct)
    {
        _created = _existing = 0;
        await SeedLevelsAsync(ct);
        await SeedShopAsync(ShopId, "潮流服饰旗舰店", "Everyday apparel and accessories", ct);
        await SeedShopAsync(TeaShopId, "山间茶舍", "Loose-leaf teas from Fujian and Zhejiang", ct);
        await SeedCategoriesAsync(ct);
        foreach (var (id, draft) in DemoCatalog.Products()) await SeedProductAsync(id, draft, ct);
        await SeedOperatorAsync(new OperatorDraft(AdminUser, "Demo platform admin", operatorPassword, [AdminRole.PlatformAdmin], []), ct);
        await SeedOperatorAsync(new OperatorDraft(MerchantUser, "Demo merchant", operatorPassword, [AdminRole.MerchantAdmin], [ShopId]), ct);
        await SeedMarketingAsync(ct);
        return new SeedReport(_created, _existing);
    }

    private async Task SeedLevelsAsync(CancellationToken ct)
    {
        var existing = (await levels.AllAsync(ct)).Select(l => l.Id).ToHashSet();
        foreach (var level in new[] { new MemberLevel("L1", "普通会员", 0, 0, 1), new MemberLevel("L2", "银卡会员", 1, 1000, 1), new MemberLevel("L3", "金卡会员", 2, 5000, 1) })
        {
            if (Count(existing.Contains(level.Id))) continue;
            await levels.UpsertAsync(level, ct);
        }
    }

    private async Task SeedShopAsync(string id, string name, string description, CancellationToken ct)
    {
        if (Count(await shops.FindAsync(id, ct) is not null)) return;
        await shops.CreateAsync(id, new ShopDraft(name, description, $"https://picsum.photos/seed/{id}/200", ShopStatus.Active), ct);
    }

    private async Task SeedCategoriesAsync(CancellationToken ct)
    {
        var existing = (await categories.ListAsync(ct)).Select(c => c.Id).ToHashSet();
        foreach (var draft in DemoCatalog.Categories())
        {
            if (Count(existing.Contains(draft.Id!))) continue;
            await categories.CreateAsync(draft, ct);
        }
    }

    private async Task SeedProductAsync(string id, ProductDraft draft, CancellationToken ct)
    {
        Product product;
        try
        {
            product = (await products.GetAsync(id, ct)).Value;
            _existing++;
        }
        catch (Domain.Common.NotFoundException)
        {
            product = await products.CreateAsync(draft, "demo-seed", ct, id);
            _created++;
        }
        if (product.Status != ProductStatus.Published) await products.PublishAsync(id, null, ct);
    }

    private async Task SeedOperatorAsync(OperatorDraft draft, CancellationToken ct)
    {
        if (Count(await operators.FindAsync(draft.UserName!, ct) is not null)) return;
        await operators.CreateAsync(draft, ct);
    }

    private async Task SeedMarketingAsync(CancellationToken ct)
    {
        await SeedPromotionAsync(ShopId, ShopFullReductionId, new PromotionDraft("满300减40，满500减80", "全店通用",
            new PromotionRuleDraft(PromotionRuleKind.FullReduction, [new(30_000, 4_000), new(50_000, 8_000)], null, null, null, null),
            new ScopeDraft(ScopeKind.All, null), SeedFrom, SeedUntil, null), ct);
        await SeedPromotionAsync(MarketingOwners.Platform, PlatformTeaMultiBuyId, new PromotionDraft("茶叶任选2件9折", "平台茶叶类目",
            new PromotionRuleDraft(PromotionRuleKind.MultiBuy, null, null, null, null, [new(2, 1_000)]),
            new ScopeDraft(ScopeKind.Categories, ["tea"]), SeedFrom, SeedUntil, null), ct);

        // Apparel ships by item count: ¥8 for the first item, ¥2 each after, ¥20 + ¥10 to Xinjiang and Tibet, free over ¥199.
        await SeedShippingAsync(ShopId, new ShippingTemplateDraft(ShippingBasis.Count, new ShippingRateDraft(1, 800, 1, 200),
            [new RegionalRateDraft(["650000", "540000"], new ShippingRateDraft(1, 2_000, 1, 1_000))], [], 19_900), ct);
        // Tea ships by weight: ¥10 for the first kilogram, ¥4 per started 500 g after, free over ¥199.
        await SeedShippingAsync(TeaShopId, new ShippingTemplateDraft(ShippingBasis.Weight, new ShippingRateDraft(1_000, 1_000, 500, 400),
            [], [], 19_900), ct);

        await SeedCouponTemplateAsync(PlatformCouponTemplateId, new CouponTemplateDraft("平台新人券", "满199减20，领取后30天内有效", null,
            new CouponBenefitDraft(CouponBenefitKind.AmountOff, 2_000, null, null), 19_900, null, SeedFrom, SeedUntil,
            new CouponValidityDraft(CouponValidityKind.DaysFromClaim, null, null, 30), 100_000, 1, null), ct);
        await SeedCouponTemplateAsync(ShopCouponTemplateId, new CouponTemplateDraft("满399减50", "潮流服饰旗舰店专享", ShopId,
            new CouponBenefitDraft(CouponBenefitKind.AmountOff, 5_000, null, null), 39_900, null, SeedFrom, SeedUntil,
            new CouponValidityDraft(CouponValidityKind.Fixed, SeedFrom, SeedUntil, null), 10_000, 2, null), ct);
    }

    private async Task SeedPromotionAsync(string ownerId, string id, PromotionDraft draft, CancellationToken ct)
    {
        try
        {
            await promotions.GetAsync(ownerId, id, ct);
            _existing++;
        }
        catch (NotFoundException)
        {
            await promotions.CreateAsync(ownerId, draft, ct, id);
            _created++;
        }
    }

    private async Task SeedShippingAsync(string shopId, ShippingTemplateDraft draft, CancellationToken ct)
    {
        try
        {
            await marketing.GetShippingTemplateAsync(shopId, ct);
            _existing++;
        }
        catch (NotFoundException)
        {
            await marketing.PutShippingTemplateAsync(shopId, draft, null, ct);
            _created++;
        }
    }

    private async Task SeedCouponTemplateAsync(string id, CouponTemplateDraft draft, CancellationToken ct)
    {
        try
        {
            await couponTemplates.GetAsync(id, ct);
            _existing++;
        }
        catch (NotFoundException)
        {
            await couponTemplates.CreateAsync(draft, ct, id);
            _created++;
        }
    }

    /// <summary>Counts an entity as already there (true) or about to be created (false).</summary>
    private bool Count(bool exists)
    {
        if (exists) _existing++;
        else _created++;
        return exists;
    }
}
