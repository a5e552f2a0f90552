using System.Text;
using System.Text.Json;
using MiniShop.Functions.Http;

namespace MiniShop.Tests.Api.Platform;

public class PlatformApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_correlation_id_is_echoed_or_made_and_appears_in_problems()
    {
        var client = host.Client();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "trace-123");
        var response = await client.GetAsync("catalog/products/prd-missing", Ct);
        Assert.Equal("trace-123", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("trace-123", (await Json.ProblemAsync(response, 404)).GetProperty("correlationId").GetString());

        var generated = await host.Client().GetAsync("health", Ct);
        Assert.Matches("^[0-9a-f]{32}$", generated.Headers.GetValues("X-Correlation-Id").Single());

        var hostile = host.Client();
        hostile.DefaultRequestHeaders.TryAddWithoutValidation("X-Correlation-Id", "<script>");
        Assert.NotEqual("<script>", (await hostile.GetAsync("health", Ct)).Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task Oversized_bodies_get_413_before_being_read()
    {
        var body = new StringContent("{\"code\":\"" + new string('x', 1_100_000) + "\"}", Encoding.UTF8, "application/json");
        await Json.ProblemAsync(await host.Client().PostAsync("auth/wechat-login", body, Ct), 413);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_http_function_with_its_shapes()
    {
        var doc = await Json.ReadAsync(await host.Client().GetAsync("openapi.json", Ct), 200);
        Assert.Equal("3.1.0", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");

        foreach (var f in HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly))
        {
            var path = "/api/" + System.Text.RegularExpressions.Regex.Replace(f.Route, @"\{\*?([A-Za-z0-9_]+)(:[^}]*)?\}", "{$1}");
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing");
            foreach (var verb in f.Methods)
            {
                var op = item.GetProperty(verb.ToLowerInvariant());
                Assert.Equal(f.Name, op.GetProperty("operationId").GetString());
                if (f.Api!.Request is not null) Assert.True(op.TryGetProperty("requestBody", out _), $"{f.Name} lacks its request body");
                if (f.Api.Response is not null)
                    Assert.True(op.GetProperty("responses").GetProperty(f.Api.SuccessStatus.ToString()).TryGetProperty("content", out _), $"{f.Name} lacks its response");
            }
        }
        var create = paths.GetProperty("/api/admin/products").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.True(create.GetProperty("properties").TryGetProperty("skus", out _));

        // Headers say whether they are required: checkout's key and a product edit's ETag are; a coupon claim's key and publishing's ETag are not.
        bool Required(string path, string verb, string header) => paths.GetProperty(path).GetProperty(verb).GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == header).GetProperty("required").GetBoolean();
        Assert.True(Required("/api/checkout", "post", "Idempotency-Key"));
        Assert.True(Required("/api/admin/products/{id}", "put", "If-Match"));
        Assert.True(Required("/api/webhooks/wechatpay/transactions", "post", "Wechatpay-Signature"));
        Assert.False(Required("/api/coupon-templates/{id}/claim", "post", "Idempotency-Key"));
        Assert.False(Required("/api/admin/products/{id}/publish", "post", "If-Match"));
        Assert.False(paths.GetProperty("/api/admin/products/{id}/publish").GetProperty("post").GetProperty("responses").TryGetProperty("428", out _));
    }

    [Fact]
    public void Every_http_function_is_documented_and_routes_are_unique()
    {
        var functions = HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly);
        Assert.NotEmpty(functions);
        Assert.All(functions, f => Assert.True(f.Api is not null, $"{f.Name} has no [ApiOperation]"));
        var keys = functions.SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}")).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_in_process_host_serves_exactly_what_the_functions_metadata_declares()
    {
        // functions.metadata is what the Functions host reads; it is generated next to the function app's build output.
        var root = MiniShop.LocalHost.LocalSettings.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var metadata = Path.Combine(root, "functions", "MiniShop.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(metadata), $"build the function app first: {metadata}");

        using var doc = JsonDocument.Parse(File.ReadAllText(metadata));
        var declared = doc.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
                .Select(b => $"{f.GetProperty("name").GetString()} {string.Join(",", b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))} {b.GetProperty("route").GetString()}"))
            .Order().ToList();
        var served = HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly)
            .Select(f => $"{f.Name} {string.Join(",", f.Methods)} {f.Route}").Order().ToList();

        Assert.Equal(declared, served);
    }
}
