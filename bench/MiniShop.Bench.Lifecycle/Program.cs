using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

// Usage: MiniShop.Bench.Lifecycle [--orders 200] [--concurrency 16] [--out docs/benchmarks.md]
var orders = Arg("--orders", 200);
var concurrency = Arg("--concurrency", 16);
var outPath = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();

var settings = TestCosmos.AppSettings(TestCosmos.NewDatabaseName("benchlife"));
settings["Logging:LogLevel:Default"] = "Error";
settings["WeChatPay:Sandbox:Enabled"] = "true";
settings["Orders:PaymentTimeoutSeconds"] = "900";
settings["Orders:AutoConfirmSeconds"] = "3600";
settings["Orders:ReviewWindowSeconds"] = "1";
settings["Orders:ShipmentPollSeconds"] = "3600";
var app = LocalHostBuilder.Create(new LocalHostOptions { Settings = settings, Urls = "http://127.0.0.1:0" });
await app.StartAsync();
var services = app.Services;
await services.GetRequiredService<DemoShopSeeder>().SeedAsync("bench-operator-password", CancellationToken.None);
var catalog = services.GetRequiredService<ProductAdminService>();
var cap = (await catalog.GetAsync("prd-demo-cap", CancellationToken.None)).Value;
await catalog.AdjustStockAsync(cap.Id, cap.Skus[0].Id, new StockAdjustment(orders * 2L, "bench stock", "bench-stock"), "bench", CancellationToken.None);

var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(app.Urls.First() + "/api/"), Timeout = TimeSpan.FromMinutes(2) };
var admin = await TokenAsync("admin/auth/login", new { userName = DemoShopSeeder.AdminUser, password = "bench-operator-password" });

Console.WriteLine($"Preparing {orders} shoppers...");
var shoppers = new List<(string Token, string AddressId)>();
foreach (var chunk in Enumerable.Range(0, orders).Chunk(32))
    shoppers.AddRange(await Task.WhenAll(chunk.Select(async i =>
    {
        var token = await TokenAsync("auth/wechat-login", new { code = $"dev-bench{i}" });
        var address = await SendAsync(HttpMethod.Post, "addresses", token, new
        {
            recipientName = "测试", phone = "13800138000", provinceCode = "440000", provinceName = "广东省", cityCode = "440300", cityName = "深圳市",
            districtCode = "440305", districtName = "南山区", detail = "科技园路 1 号",
        });
        return (token, address.GetProperty("id").GetString()!);
    })));

Console.WriteLine($"Running {orders} order lifecycles, {concurrency} at a time...");
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var flowMs = new double[orders];
var orderIds = new string[orders];
var next = -1;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < orders)
    {
        var started = clock.Elapsed;
        var (token, addressId) = shoppers[i];
        var items = new[] { new { productId = cap.Id, skuId = cap.Skus[0].Id, quantity = 1 } };
        var preview = await SendAsync(HttpMethod.Post, "checkout/preview", token, new { items, addressId });
        var placed = await SendAsync(HttpMethod.Post, "checkout", token,
            new { items, addressId, expectedPayableFen = preview.GetProperty("totals").GetProperty("payableFen").GetInt64() }, idempotencyKey: $"bench-{i}");
        var paymentId = placed.GetProperty("paymentOrderId").GetString();
        var orderId = orderIds[i] = placed.GetProperty("orders")[0].GetProperty("orderId").GetString()!;
        await SendAsync(HttpMethod.Post, $"payments/{paymentId}/prepay", token, null);
        await SendAsync(HttpMethod.Post, $"sandbox/wechatpay/payments/{paymentId}/pay", token, null);
        await UntilAsync(token, orderId, "awaitingShipment");
        await SendAsync(HttpMethod.Post, $"admin/orders/{orderId}/ship", admin, new { carrier = "SF", trackingNumber = $"SF{i:000000}" });
        await SendAsync(HttpMethod.Post, $"orders/{orderId}/confirm-receipt", token, null);
        flowMs[i] = (clock.Elapsed - started).TotalMilliseconds;
    }
}));
var flowsDone = clock.Elapsed;
for (var i = 0; i < orders; i++) await UntilAsync(shoppers[i].Token, orderIds[i], "completed");
var allDone = clock.Elapsed;
var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;

var sorted = flowMs.Order().ToArray();
double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
var orchestrations = orders * 2; // one payment lifecycle + one shop-order lifecycle per order
var report = new StringBuilder()
    .AppendLine("<!-- lifecycle:start -->")
    .AppendLine("## Order lifecycles in the in-process Durable host")
    .AppendLine()
    .AppendLine("Written by `bench/lifecycle.sh` (project `bench/MiniShop.Bench.Lifecycle`); re-run it rather than editing this section.")
    .AppendLine()
    .AppendLine($"- Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average before the run {LoadAverage()}.")
    .AppendLine("- What runs: the whole app in the in-process host (Kestrel, the app's functions, the Durable Task in-process host with the")
    .AppendLine("  widened in-memory backend), the local Cosmos server, and the WeChat Pay sandbox. Each order: checkout preview and place")
    .AppendLine("  (stock reserved, one order + one payment order), prepay, a signed and encrypted payment notification through the webhook,")
    .AppendLine("  the payment lifecycle settling it (stock sold) and starting the shop-order lifecycle, shipment by an operator, receipt")
    .AppendLine("  confirmed by the shopper, the review window (1 s here) and completion. Two orchestrations per order.")
    .AppendLine($"- {orders} orders, {concurrency} shoppers at a time, every order checked to reach `completed`.")
    .AppendLine()
    .AppendLine("| Orders | Concurrency | Flows done (s) | All completed (s) | Orders completed/s | Orchestrations completed/s | Flow p50 (ms) | Flow p99 (ms) | Bench process CPU (s) |")
    .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    .AppendLine($"| {orders} | {concurrency} | {flowsDone.TotalSeconds:0.0} | {allDone.TotalSeconds:0.0} | {orders / allDone.TotalSeconds:0.0} | {orchestrations / allDone.TotalSeconds:0.0} | {P(0.5):0} | {P(0.99):0} | {cpuUsed.TotalSeconds:0.0} |")
    .AppendLine()
    .AppendLine("A flow is the shopper's and the operator's calls for one order, from preview to confirmed receipt (eight HTTP calls plus")
    .AppendLine("polling for the paid state); the completion includes the 1 s review window. The in-memory Durable backend and the")
    .AppendLine("in-memory Cosmos server share the machine with the app, so these are local figures, not Azure ones.")
    .AppendLine("<!-- lifecycle:end -->")
    .ToString();
Console.WriteLine(report);
if (outPath is not null)
{
    var doc = File.Exists(outPath) ? await File.ReadAllTextAsync(outPath) : "";
    var start = doc.IndexOf("<!-- lifecycle:start -->", StringComparison.Ordinal);
    var end = doc.IndexOf("<!-- lifecycle:end -->", StringComparison.Ordinal);
    doc = start >= 0 && end > start ? doc[..start] + report.TrimEnd() + doc[(end + "<!-- lifecycle:end -->".Length)..] : doc.TrimEnd() + "\n\n" + report;
    await File.WriteAllTextAsync(outPath, doc);
}

var db = services.GetRequiredService<CosmosDb>();
try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); } catch (Microsoft.Azure.Cosmos.CosmosException) { }
await app.StopAsync();
return 0;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v && int.TryParse(v, out var n) ? n : fallback;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

async Task<string> TokenAsync(string path, object body)
    => (await SendAsync(HttpMethod.Post, path, null, body)).GetProperty("tokens").GetProperty("accessToken").GetString()!;

async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? body, string? idempotencyKey = null)
{
    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
    if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}

async Task UntilAsync(string token, string orderId, string status)
{
    for (var attempt = 0; attempt < 1200; attempt++)
    {
        if ((await SendAsync(HttpMethod.Get, $"orders/{orderId}", token, null)).GetProperty("status").GetString() == status) return;
        await Task.Delay(50);
    }
    throw new TimeoutException($"Order {orderId} did not reach {status}.");
}
