using MiniShop.Domain.Catalog;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Identity;

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
    OperatorAdminService operators)
{
    public const string ShopId = "shop-demo";
    public const string TeaShopId = "shop-tea";
    public const string AdminUser = "admin";
    public const string MerchantUser = "merchant";

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

    /// <summary>Counts an entity as already there (true) or about to be created (false).</summary>
    private bool Count(bool exists)
    {
        if (exists) _existing++;
        else _created++;
        return exists;
    }
}
