using MiniShop.Domain.Catalog;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Coupons;

namespace MiniShop.Tests.Integration.Coupons;

/// <summary>A fresh database with two shops, for coupon and marketing tests.</summary>
public sealed class CouponServices : IAsyncLifetime
{
    private readonly Services _services = new();

    public T Get<T>() where T : notnull => _services.Get<T>();

    public async ValueTask InitializeAsync()
    {
        await _services.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        await Get<ShopStore>().CreateAsync("shop-1", new ShopDraft("Shop One", null, null, ShopStatus.Active), ct);
        await Get<ShopStore>().CreateAsync("shop-2", new ShopDraft("Shop Two", null, null, ShopStatus.Active), ct);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public static CouponTemplateDraft Draft(long total = 100, int perMember = 1, string? shopId = "shop-1", DateTimeOffset? claimFrom = null,
        CouponValidityDraft? validity = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new CouponTemplateDraft("满100减10", null, shopId, new CouponBenefitDraft(CouponBenefitKind.AmountOff, 1_000, null, null), 10_000,
            new ScopeDraft(ScopeKind.All, null), claimFrom ?? now.AddDays(-1), now.AddDays(10),
            validity ?? new CouponValidityDraft(CouponValidityKind.DaysFromClaim, null, null, 7), total, perMember, null);
    }

    public Task<CouponTemplate> TemplateAsync(CouponTemplateDraft draft) => Get<CouponTemplateAdminService>().CreateAsync(draft, TestContext.Current.CancellationToken);

    public static string NewMemberId() => $"mbr_{Guid.NewGuid():N}";
}
