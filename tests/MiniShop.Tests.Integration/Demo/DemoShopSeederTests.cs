using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Integration.Demo;

public class DemoShopSeederTests(Services services) : IClassFixture<Services>
{
    [Fact]
    public async Task Seeding_twice_changes_nothing_the_second_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeder = services.Get<DemoShopSeeder>();

        var first = await seeder.SeedAsync("demo-password-123", ct);
        var tee = (await services.Get<ProductAdminService>().GetAsync("prd-demo-tee", ct)).Value;
        var second = await seeder.SeedAsync("demo-password-123", ct);

        Assert.True(first.Created > 0);
        Assert.Equal(0, second.Created);
        Assert.Equal(first.Created, second.AlreadyThere);
        Assert.Equal(tee.Version, (await services.Get<ProductAdminService>().GetAsync("prd-demo-tee", ct)).Value.Version);
        Assert.Equal(12, tee.Skus.Count); // 4 sizes x 3 colours
    }
}
