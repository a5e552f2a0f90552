using System.Text;
using System.Text.RegularExpressions;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Tests.Api.Platform;

/// <summary>Its own app and database, with the sandbox on: the sweep below writes nothing valid, but nothing is shared.</summary>
public sealed class HostileInputHost() : SeededAppHost("hostile")
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["WeChatPay:Sandbox:Enabled"] = "true";
}

/// <summary>
/// Every endpoint, as anyone, a shopper and a platform admin, with bodies that are wrong in every way a client gets
/// them wrong: never a 500 (a clear 4xx problem instead), never a stack trace.
/// </summary>
public partial class HostileInputTests(HostileInputHost host) : IClassFixture<HostileInputHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Bodies =
    [
        "", "{", "[]", "\"text\"", "null", "{}", "{\"id\":1,\"quantity\":\"many\",\"items\":{},\"amountFen\":1e400}",
        "{\"items\":[{\"productId\":null,\"skuId\":[],\"quantity\":-1}],\"expectedPayableFen\":-5}",
        "{\"name\":\"" + new string('名', 5_000) + "\",\"lines\":[null],\"reason\":{}}",
    ];

    [Fact]
    public async Task No_endpoint_answers_a_500_to_wrong_input_from_anyone()
    {
        var member = await host.Api.MemberTokenAsync("hostile-member");
        var admin = await host.Api.AdminTokenAsync();
        var callers = new Dictionary<string, HttpClient> { ["anonymous"] = host.Api.Client(), ["member"] = host.Api.Client(member), ["admin"] = host.Api.Client(admin) };
        var failures = new List<string>();
        // Each route twice: with ids that do not exist, and with the demo shop's real ones (so handlers get past the lookup).
        foreach (var (f, path) in HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly)
                     .SelectMany(f => new[] { (f, RouteParameter().Replace(f.Route, "x-404")), (f, RouteParameter().Replace(f.Route, m => RealId(f.Route, m.Groups[1].Value))) })
                     .Distinct())
        {
            foreach (var verb in f.Methods)
            foreach (var (caller, client) in callers)
            foreach (var body in verb is "GET" or "DELETE" ? [""] : Bodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(verb), path);
                if (verb is not ("GET" or "DELETE")) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                request.Headers.TryAddWithoutValidation("Idempotency-Key", $"hostile-{Guid.NewGuid():N}");
                using var response = await client.SendAsync(request, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                    failures.Add($"{verb} /api/{path} ({caller}, body {Short(body)}): {(int)response.StatusCode} {Short(text)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
    }

    [Fact]
    public async Task Member_and_admin_endpoints_refuse_callers_without_the_right_token_before_doing_anything()
    {
        var member = host.Api.Client(await host.Api.MemberTokenAsync("hostile-role"));
        var anonymous = host.Api.Client();
        var forged = host.Api.Client("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.forged");
        var failures = new List<string>();
        foreach (var f in HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly).Where(f => f.Api?.Auth is ApiAuth.Member or ApiAuth.Admin))
        {
            var path = RouteParameter().Replace(f.Route, m => RealId(f.Route, m.Groups[1].Value));
            foreach (var verb in f.Methods)
            {
                var callers = new List<(string Name, HttpClient Client, int[] Expected)> { ("anonymous", anonymous, [401]), ("forged token", forged, [401]) };
                if (f.Api!.Auth == ApiAuth.Admin) callers.Add(("member", member, [401, 403]));
                foreach (var (name, client, expected) in callers)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(verb), path);
                    if (verb is not ("GET" or "DELETE")) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    using var response = await client.SendAsync(request, Ct);
                    if (!expected.Contains((int)response.StatusCode)) failures.Add($"{verb} /api/{path} as {name}: {(int)response.StatusCode}, expected {string.Join(" or ", expected)}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
    }

    private static string RealId(string route, string parameter) => parameter switch
    {
        "shopId" or "ownerId" => DemoShopSeeder.ShopId,
        "productId" => "prd-demo-tee",
        "id" when route.Contains("products/", StringComparison.Ordinal) => "prd-demo-tee",
        "id" when route.Contains("categories/", StringComparison.Ordinal) => "tops",
        "id" when route.Contains("coupon-templates/", StringComparison.Ordinal) => DemoShopSeeder.ShopCouponTemplateId,
        "id" when route.Contains("shops/", StringComparison.Ordinal) => DemoShopSeeder.ShopId,
        _ => "x-404",
    };

    internal static string Short(string s) => s.Length <= 120 ? s : s[..120] + "…";

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(:[^}]*)?\}")]
    internal static partial Regex RouteParameter();
}
