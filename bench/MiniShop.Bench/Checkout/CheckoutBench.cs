using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Coupons;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

namespace MiniShop.Bench.Checkout;

public sealed record CheckoutOptions(int[] Shoppers, int Checkouts, int Rounds, TimeSpan WarmUp)
{
    public static CheckoutOptions Parse(Args a)
    {
        var shoppers = a.Ints("--shoppers", [1, 8]);
        if (shoppers.Any(n => n is < 1 or > 64)) throw new ArgumentException("--shoppers: each value must be 1-64.");
        var checkouts = Math.Max(1, a.Int("--checkouts", 400));
        return new CheckoutOptions(shoppers, checkouts, Math.Clamp(a.Int("--checkout-rounds", 8), 1, checkouts), TimeSpan.FromSeconds(a.Seconds("--checkout-warmup", 15)));
    }
}

/// <summary>One measured checkout: the two calls' latencies (client side, body read) and the Cosmos requests each made.</summary>
public sealed record CheckoutSample(int Round, int Worker, long PreviewTicks, long PlaceTicks, IReadOnlyList<CosmosOp> PreviewOps, IReadOnlyList<CosmosOp> PlaceOps)
{
    public long TotalTicks => PreviewTicks + PlaceTicks;
}

/// <param name="Elapsed">The measured rounds' wall time, without the resets between them.</param>
/// <param name="OutsideOps">Cosmos requests during the rounds that no timed call made, other than the bench's wallet refills.</param>
/// <param name="BaseDocs">Documents in members / products at the start of every round.</param>
/// <param name="PeakDocs">The most documents in members / products at the end of a round (before its reset).</param>
/// <param name="WrittenPerCheckout">Documents a checkout added to members (without the bench's two coupons) / products.</param>
public sealed record CheckoutCell(
    int Shoppers, IReadOnlyList<CheckoutSample> Samples, int Errors, TimeSpan Elapsed, CpuShares Cpu, long OutsideOps,
    (long Members, long Products) BaseDocs, (long Members, long Products) PeakDocs, (double Members, double Products) WrittenPerCheckout,
    TimeSpan Setup, JsonElement FirstPreview, int WarmUpCheckouts)
{
    public double CheckoutsPerSecond => Samples.Count / Elapsed.TotalSeconds;
}

/// <summary>
/// A checkout through the API, as the mini-program makes it: <c>POST /api/checkout/preview</c>, then
/// <c>POST /api/checkout</c> with the previewed total and a fresh Idempotency-Key. Each shopper (a member with an
/// address, gold level, points and two coupons in the wallet) places its own orders back to back; every Cosmos DB
/// request the app makes for each call is counted by <see cref="CosmosOpCounter"/>. Each concurrency level runs on a
/// fresh database (the local server scans a whole container per query, so both levels should see the same data).
/// </summary>
public static class CheckoutBench
{
    private const long Stock = 1_000_000;
    private const string ShopCouponTemplate = "ctp-bench-shop-399-50";
    private const string PlatformCouponTemplate = "ctp-bench-platform-199-20";
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = new(2035, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The cart: 6 lines, 3 products, 2 shops (apparel: a tee and jeans, two sizes each; tea: one product in two weights).
    public static readonly (string ProductId, int Sku, int Quantity)[] Cart =
        [("prd-bench-co-tee", 0, 2), ("prd-bench-co-tee", 1, 1), ("prd-bench-co-jeans", 0, 1), ("prd-bench-co-jeans", 1, 1), ("prd-bench-co-tea", 0, 1), ("prd-bench-co-tea", 1, 1)];

    public static async Task<int> RunAsync(CheckoutOptions o, string outPath)
    {
        int? serverPid = int.TryParse(Environment.GetEnvironmentVariable("BENCH_COSMOS_PID"), out var pid) ? pid : null;
        var cpu = new CpuMeter(serverPid);
        var loadBefore = MachineInfo.LoadAverage();
        var partCpu = cpu.Take();
        var clock = Stopwatch.StartNew();
        var cells = new List<CheckoutCell>();
        foreach (var shoppers in o.Shoppers)
        {
            Console.WriteLine($"checkout: {shoppers} shopper(s), {o.Checkouts} checkouts in {o.Rounds} rounds");
            var cell = await RunCellAsync(shoppers, o, cpu, serverPid);
            cells.Add(cell);
            var total = new Latencies(cell.Samples.Select(s => s.TotalTicks));
            Console.WriteLine($"  preview+place p50 {total.P50:0.00} ms  p99 {total.P99:0.00} ms  {cell.CheckoutsPerSecond:0.0} checkouts/s  ({cell.Samples.Count} ok, {cell.Errors} errors)  " +
                              $"cpu bench {cell.Cpu.Bench:P0}, Cosmos server {cell.Cpu.Server:P0}, others {cell.Cpu.Others:P0}");
        }

        var shares = cpu.Between(partCpu, cpu.Take());
        await BenchDoc.WriteSectionAsync(outPath, "checkout", CheckoutReport.Markdown(o, cells, loadBefore, shares, clock.Elapsed));
        Console.WriteLine($"checkout: wrote the checkout section of {Path.GetFullPath(outPath)}");
        return cells.Any(c => c.Errors > 0) ? 1 : 0;
    }

    private sealed record Shopper(int Index, string MemberId, string Token, string AddressId)
    {
        public int NextSlot { get; set; } = 1;
    }

    private static async Task<CheckoutCell> RunCellAsync(int shopperCount, CheckoutOptions o, CpuMeter cpu, int? pid)
    {
        var setupClock = Stopwatch.StartNew();
        var settings = BenchApp.Settings("bench-co");
        var accessor = new HttpContextAccessor();
        var counter = new CosmosOpCounter(accessor);
        var app = LocalHostBuilder.Create(new LocalHostOptions
        {
            Settings = settings,
            Urls = "http://127.0.0.1:0",
            ConfigureServices = services =>
            {
                // The app's client, built by the app's factory, with the counting handler in its pipeline.
                services.AddSingleton<IHttpContextAccessor>(accessor);
                services.RemoveAll<CosmosClient>();
                services.AddSingleton(sp => CosmosClientFactory.Create(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, [counter]));
            },
        });
        await app.StartAsync();
        var services = app.Services;
        var db = services.GetRequiredService<CosmosDb>();
        try
        {
            await services.GetRequiredService<DemoShopSeeder>().SeedAsync(settings["Demo:OperatorPassword"]!, CancellationToken.None);
            var skus = await SeedProductsAsync(services.GetRequiredService<ProductAdminService>());
            var templates = services.GetRequiredService<CouponTemplateAdminService>();
            var shopCoupon = await templates.CreateAsync(CouponDraft("满399减50 (bench)", DemoShopSeeder.ShopId, 5_000, 39_900), CancellationToken.None, ShopCouponTemplate);
            var platformCoupon = await templates.CreateAsync(CouponDraft("满199减20 (bench)", null, 2_000, 19_900), CancellationToken.None, PlatformCouponTemplate);

            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 256,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { BaseAddress = new Uri(app.Urls.First() + "/api/"), Timeout = TimeSpan.FromSeconds(60) };

            var members = db.Container(CosmosSchema.Members);
            var shoppers = new List<Shopper>();
            for (var i = 0; i < shopperCount; i++) shoppers.Add(await CreateShopperAsync(http, members, i));
            async Task RefillWalletAsync(Shopper s)
            {
                // Two fresh coupons before each checkout, written straight into the member's partition (the claim API
                // caps a template at 20 per member): each checkout sees the same wallet and uses both.
                var now = DateTimeOffset.UtcNow;
                var slot = s.NextSlot++;
                await members.CreateItemAsync(WalletCoupon.Claim(shopCoupon, s.MemberId, slot, now, null), new PartitionKey(s.MemberId));
                await members.CreateItemAsync(WalletCoupon.Claim(platformCoupon, s.MemberId, slot, now, null), new PartitionKey(s.MemberId));
            }

            var items = Cart.Select(c => new { productId = c.ProductId, skuId = skus[c.ProductId][c.Sku], quantity = c.Quantity }).ToArray();
            var seq = 0L;
            async Task<(HttpStatusCode Status, string Body, long Ticks, IReadOnlyList<CosmosOp> Ops)> CallAsync(Shopper s, string path, object body, string? key)
            {
                var callId = $"{s.Index}-{Interlocked.Increment(ref seq)}";
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Token);
                request.Headers.Add(CosmosOpCounter.CallHeader, callId);
                if (key is not null) request.Headers.Add("Idempotency-Key", key);
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var ticks = Stopwatch.GetTimestamp() - t0;
                return (response.StatusCode, text, ticks, counter.Take(callId));
            }

            var round = 0;
            async Task<(CheckoutSample Sample, JsonElement Preview)> CheckoutAsync(int worker, Shopper s)
            {
                await RefillWalletAsync(s);
                var preview = await CallAsync(s, "checkout/preview", new { items, addressId = s.AddressId, usePoints = true }, null);
                if (preview.Status != HttpStatusCode.OK) throw new InvalidOperationException($"preview: {(int)preview.Status} {preview.Body}");
                var previewJson = JsonDocument.Parse(preview.Body).RootElement.Clone();
                var payable = previewJson.GetProperty("totals").GetProperty("payableFen").GetInt64();
                var place = await CallAsync(s, "checkout", new { items, addressId = s.AddressId, usePoints = true, expectedPayableFen = payable }, $"bench-{Guid.NewGuid():N}");
                if (place.Status != HttpStatusCode.Created) throw new InvalidOperationException($"place: {(int)place.Status} {place.Body}");
                return (new CheckoutSample(round, worker, preview.Ticks, place.Ticks, preview.Ops, place.Ops), previewJson);
            }

            // The checkout must be the full one before it is timed: both coupons chosen, points used, two shop orders.
            var (_, first) = await CheckoutAsync(0, shoppers[0]);
            if (first.GetProperty("chosenCouponIds").GetArrayLength() != 2 || first.GetProperty("points").GetProperty("used").GetInt64() <= 0
                || first.GetProperty("shops").GetArrayLength() != 2 || first.GetProperty("totals").GetProperty("promotionDiscountFen").GetInt64() <= 0)
                throw new InvalidOperationException("The bench checkout does not use two coupons, points and promotions over two shops: " + first);

            // The data every round starts from: the local server scans whole containers per query, so without a reset
            // the latency would grow with every order placed.
            var products = db.Container(CosmosSchema.Products);
            var baseline = await DataReset.SnapshotAsync([members, products]);

            // Warm-up (JIT, connection pools, caches of the app and the SDK), spread over the shoppers like the measured run.
            var warmUpCheckouts = 0;
            var sinceReset = 0;
            var warmUpEnd = Stopwatch.GetTimestamp() + (long)(o.WarmUp.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < warmUpEnd)
            {
                await RunWorkersAsync(shoppers, shoppers.Count * 5, CheckoutAsync, _ => Interlocked.Increment(ref warmUpCheckouts), _ => { });
                sinceReset += shoppers.Count * 5;
                if (sinceReset < 100) continue;
                await baseline.ResetAsync(); // keep the containers as small as in the measured rounds
                sinceReset = 0;
            }
            await baseline.ResetAsync();
            var baseDocs = (await CountAsync(members), await CountAsync(products));
            var setup = setupClock.Elapsed;

            var samples = new List<CheckoutSample>();
            var errors = 0;
            var elapsed = TimeSpan.Zero;
            long outside = 0, busyBench = 0, busyServer = 0, busyOthers = 0, totalTicks = 0;
            (long Members, long Products) peak = baseDocs;
            (double Members, double Products) written = (0, 0);
            for (round = 0; round < o.Rounds; round++)
            {
                var count = o.Checkouts / o.Rounds + (round < o.Checkouts % o.Rounds ? 1 : 0);
                var before = samples.Count;
                var roundErrors = errors;
                counter.ResetOutside();
                var cpuBefore = cpu.Take();
                var clock = Stopwatch.StartNew();
                await RunWorkersAsync(shoppers, count, CheckoutAsync, sample => { lock (samples) samples.Add(sample); },
                    e => { if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  checkout failed: {e.Message}"); });
                elapsed += clock.Elapsed;
                var cpuAfter = cpu.Take();
                if (cpuBefore is { } a && cpuAfter is { } b)
                {
                    totalTicks += b.Total - a.Total;
                    busyBench += b.Bench - a.Bench;
                    busyServer += b.Server - a.Server;
                    busyOthers += b.Busy - a.Busy - (b.Bench - a.Bench) - (b.Server - a.Server);
                }
                var placed = samples.Count - before;
                outside += counter.Outside - 2L * (placed + errors - roundErrors); // the wallet refills are the bench's own writes
                var docs = (await CountAsync(members), await CountAsync(products));
                peak = (Math.Max(peak.Members, docs.Item1), Math.Max(peak.Products, docs.Item2));
                written = (written.Members + docs.Item1 - baseDocs.Item1 - 2.0 * placed, written.Products + docs.Item2 - baseDocs.Item2);
                await baseline.ResetAsync();
            }

            var shares = totalTicks <= 0 ? CpuShares.Unknown : new CpuShares(
                busyBench / (double)totalTicks, pid is null ? double.NaN : busyServer / (double)totalTicks, Math.Max(0, busyOthers / (double)totalTicks));
            return new CheckoutCell(shopperCount, samples, errors, elapsed, shares, outside, baseDocs, peak,
                (written.Members / Math.Max(1, samples.Count), written.Products / Math.Max(1, samples.Count)), setup, first, warmUpCheckouts);
        }
        finally
        {
            try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); }
            catch (CosmosException) { /* best effort: the local server is in memory anyway */ }
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Each shopper places its share of <paramref name="total"/> checkouts back to back, all shoppers at once.</summary>
    private static async Task RunWorkersAsync(List<Shopper> shoppers, int total, Func<int, Shopper, Task<(CheckoutSample, JsonElement)>> checkout,
        Action<CheckoutSample> onSample, Action<Exception> onError)
    {
        var workers = shoppers.Select((s, w) => Task.Run(async () =>
        {
            var mine = total / shoppers.Count + (w < total % shoppers.Count ? 1 : 0);
            for (var i = 0; i < mine; i++)
            {
                try { onSample((await checkout(w, s)).Item1); }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or CosmosException) { onError(e); }
            }
        }));
        await Task.WhenAll(workers);
    }

    private static async Task<long> CountAsync(Container container) =>
        (await container.QueryAsync<long>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), null)).Sum();

    private static async Task<Shopper> CreateShopperAsync(HttpClient http, Container members, int index)
    {
        using var login = await http.PostAsJsonAsync("auth/wechat-login", new { code = $"dev-bench-shopper-{index}" });
        var session = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement;
        if (login.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"login: {(int)login.StatusCode} {session}");
        var token = session.GetProperty("tokens").GetProperty("accessToken").GetString()!;
        var memberId = session.GetProperty("memberId").GetString()!;

        using var created = await BenchApp.AddAddressAsync(http, token);
        var address = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"address: {(int)created.StatusCode} {address}");

        // A gold member with points enough for every order of the run (there is no API that grants points).
        await members.PatchItemAsync<JsonElement>(memberId, new PartitionKey(memberId),
            [PatchOperation.Set("/levelId", "L3"), PatchOperation.Set("/points", new { available = 100_000_000L, locked = 0L })]);
        return new Shopper(index, memberId, token, address.GetProperty("id").GetString()!);
    }

    /// <summary>Three products with stock for every checkout of the run; the same prices and member levels as the demo's.</summary>
    private static async Task<Dictionary<string, string[]>> SeedProductsAsync(ProductAdminService admin)
    {
        ProductDraft Draft(string shopId, string title, string category, string specName, (string Value, long List, long Gold, int Grams)[] skus) => new(
            shopId, title, "bench", $"<p>{title}</p>", [new MediaDraft(MediaKind.Image, "https://picsum.photos/seed/bench/800", null)],
            [category], [], [new SpecDimensionDraft(specName, skus.Select(s => s.Value).ToList())], [],
            skus.Select((s, i) => new SkuDraft(null, [s.Value], $"BCO-{title.Length}-{i}", null, s.List,
                new Dictionary<string, long> { ["L2"] = s.List * 95 / 100, ["L3"] = s.Gold }, [], Stock, true, s.Grams)).ToList());

        var drafts = new (string Id, ProductDraft Draft)[]
        {
            ("prd-bench-co-tee", Draft(DemoShopSeeder.ShopId, "纯棉T恤 (bench)", "tshirts", "尺码", [("M", 12_900, 10_900, 220), ("L", 12_900, 10_900, 230)])),
            ("prd-bench-co-jeans", Draft(DemoShopSeeder.ShopId, "直筒牛仔裤 (bench)", "jeans", "腰围", [("30", 29_900, 25_900, 650), ("32", 29_900, 25_900, 660)])),
            ("prd-bench-co-tea", Draft(DemoShopSeeder.TeaShopId, "明前龙井 (bench)", "green-tea", "规格", [("100g", 16_800, 14_800, 150), ("250g", 19_800, 17_800, 300)])),
        };
        var skus = new Dictionary<string, string[]>();
        foreach (var (id, draft) in drafts)
        {
            var product = await admin.CreateAsync(draft, "bench-seed", CancellationToken.None, id);
            await admin.PublishAsync(id, null, CancellationToken.None);
            skus[id] = product.Skus.Select(s => s.Id).ToArray();
        }
        return skus;
    }

    private static CouponTemplateDraft CouponDraft(string name, string? shopId, long amountFen, long thresholdFen) => new(
        name, "bench", shopId, new CouponBenefitDraft(CouponBenefitKind.AmountOff, amountFen, null, null), thresholdFen, null, From, Until,
        new CouponValidityDraft(CouponValidityKind.Fixed, From, Until, null), 10_000_000, 1, null);
}
