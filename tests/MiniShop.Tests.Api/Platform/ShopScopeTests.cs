using System.Text;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Platform;

/// <summary>Admin actions check shop scope: the demo shop's merchant admin reaches nothing of the tea shop.</summary>
public class ShopScopeTests(HostileInputHost host) : IClassFixture<HostileInputHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string TeaProduct = "prd-demo-longjing";

    [Fact]
    public async Task A_merchant_admin_changes_and_reads_nothing_of_another_shop_on_any_admin_endpoint()
    {
        var merchant = host.Api.Client(await host.Api.AdminTokenAsync(DemoShopSeeder.MerchantUser));
        var reached = new List<string>();
        foreach (var f in HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly).Where(f => f.Api?.Auth == ApiAuth.Admin && !f.Route.StartsWith("admin/auth/", StringComparison.Ordinal)))
        foreach (var verb in f.Methods)
        {
            var path = HostileInputTests.RouteParameter().Replace(f.Route, m => TeaId(f.Route, m.Groups[1].Value))
                       + $"?shopId={DemoShopSeeder.TeaShopId}&ownerId={DemoShopSeeder.TeaShopId}";
            using var request = new HttpRequestMessage(new HttpMethod(verb), path);
            if (verb is not ("GET" or "DELETE"))
                request.Content = new StringContent($"{{\"shopId\":\"{DemoShopSeeder.TeaShopId}\",\"name\":\"mine now\",\"quantity\":1,\"delta\":5,\"reason\":\"scope\"}}", Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var response = await merchant.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            // A write that succeeds, or a read that shows the tea shop's things, crossed the scope.
            var shows = response.IsSuccessStatusCode && (text.Contains(DemoShopSeeder.TeaShopId, StringComparison.Ordinal) || text.Contains(TeaProduct, StringComparison.Ordinal));
            if ((response.IsSuccessStatusCode && verb != "GET") || shows)
                reached.Add($"{verb} /api/{path}: {(int)response.StatusCode} {HostileInputTests.Short(text)}");
        }
        Assert.True(reached.Count == 0, string.Join('\n', reached.Take(30)));

        var tea = await Json.ReadAsync(await host.Api.Client().GetAsync($"catalog/products/{TeaProduct}", Ct), 200);
        Assert.Equal("明前龙井", tea.GetProperty("title").GetString()); // untouched
    }

    private static string TeaId(string route, string parameter) => parameter switch
    {
        "shopId" or "ownerId" => DemoShopSeeder.TeaShopId,
        "productId" => TeaProduct,
        "id" when route.Contains("products/", StringComparison.Ordinal) => TeaProduct,
        "id" when route.Contains("shops/", StringComparison.Ordinal) => DemoShopSeeder.TeaShopId,
        "id" when route.Contains("promotions/", StringComparison.Ordinal) => DemoShopSeeder.PlatformTeaMultiBuyId,
        _ => "x-404",
    };
}
