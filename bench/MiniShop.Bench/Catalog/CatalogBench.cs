using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;
using MiniShop.Tests.Support;

namespace MiniShop.Bench;

/// <summary>
/// Catalog reads through the API (the in-process host) versus the same reads made straight on Cosmos DB.
/// Needs a Cosmos endpoint: the local server (tools/local-services/start.sh; COSMOS_ENDPOINT to use another port), or
/// COSMOS_ENDPOINT/COSMOS_KEY of the emulator or an account. bench/run.sh does all of it.
/// Options: [--duration 6] [--warmup 2] [--rounds 3] [--extra 500] [--clients 1,32] [--later-page 8]
/// </summary>
public static class CatalogBench
{
    public static async Task<int> RunAsync(BenchOptions options, string outPath)
    {
        var invariant = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentCulture = invariant;
        CultureInfo.CurrentCulture = invariant;

        var settings = BenchApp.Settings();
        if (await BenchApp.StartAsync(new LocalHostOptions { Settings = settings, Urls = "http://127.0.0.1:0" }) is not { } app) return 2;

        var services = app.Services;
        var db = services.GetRequiredService<CosmosDb>();
        try
        {
            // --- Data: the demo shop, then the extra products, created and published like an operator would.
            var seedClock = Stopwatch.StartNew();
            await services.GetRequiredService<DemoShopSeeder>().SeedAsync(settings["Demo:OperatorPassword"]!, CancellationToken.None);
            var admin = services.GetRequiredService<ProductAdminService>();
            var extra = BenchCatalog.Products(options.ExtraProducts).ToList();
            await Parallel.ForEachAsync(extra, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
            {
                await admin.CreateAsync(p.Draft, "bench-seed", ct, p.Id);
                await admin.PublishAsync(p.Id, null, ct);
            });
            var seeding = seedClock.Elapsed;
            var productIds = DemoCatalog.Products().Select(p => p.Id).Concat(extra.Select(p => p.Id)).ToArray();
            var cards = await db.Container(CosmosSchema.ProductCards).QueryAsync<JsonElement>(new QueryDefinition("SELECT c.id FROM c"), ProductCard.MiniProgramChannel);
            if (cards.Count != productIds.Length) throw new InvalidOperationException($"Expected {productIds.Length} product cards, found {cards.Count}.");
            Console.WriteLine($"bench: seeded {productIds.Length} published products in {seeding.TotalSeconds:0.0} s");

            // --- The list query, and the cursor of a later page (walked once, straight on Cosmos).
            var queries = services.GetRequiredService<ProductQueries>();
            ProductListQuery ListQuery(string? cursor) => new("apparel", null, null, null, ProductSort.Price, cursor, 20);
            var pages = new List<ProductListPage> { await queries.ListAsync(ListQuery(null), CancellationToken.None) };
            while (pages[^1].NextCursor is { } next && pages.Count < options.LaterPage)
                pages.Add(await queries.ListAsync(ListQuery(next), CancellationToken.None));
            if (pages.Count < options.LaterPage || pages[^1].Items.Count != 20)
                throw new InvalidOperationException($"The apparel list has only {pages.Count} page(s); page {options.LaterPage} with 20 items is needed (raise --extra).");
            var laterCursor = pages[^2].NextCursor!;

            // --- The API side: one HttpClient over the in-process host, with a connection per client.
            var baseAddress = new Uri(app.Urls.First() + "/api/");
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 256,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var detailUris = productIds.Select(id => new Uri(baseAddress, $"catalog/products/{Uri.EscapeDataString(id)}")).ToArray();
            var firstPageUri = new Uri(baseAddress, "catalog/products?category=apparel&sort=price&take=20");
            var laterPageUri = new Uri(baseAddress, $"catalog/products?category=apparel&sort=price&take=20&cursor={Uri.EscapeDataString(laterCursor)}");

            // Both sides must return the same thing before their speed is compared.
            await CheckSameAsync(http, detailUris[^1], productIds[^1], null);
            await CheckSameAsync(http, firstPageUri, null, pages[0]);
            await CheckSameAsync(http, laterPageUri, null, pages[^1]);

            var buffers = new byte[256][];
            async Task GetAsync(Uri uri, int worker)
            {
                using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"GET {uri.PathAndQuery}: {(int)response.StatusCode}");
                // Read the whole body, as a client must, without keeping it.
                var buffer = buffers[worker] ??= new byte[64 * 1024];
                await using var body = await response.Content.ReadAsStreamAsync();
                while (await body.ReadAsync(buffer) > 0) { }
            }

            var ops = new List<Operation>
            {
                new("Product detail", "`GET /api/catalog/products/{id}` (random of " + productIds.Length + ")", "`ProductQueries.GetPublishedAsync` (point read)",
                    (w, r) => GetAsync(detailUris[r.Next(detailUris.Length)], w),
                    (_, r) => queries.GetPublishedAsync(productIds[r.Next(productIds.Length)], CancellationToken.None)),
                new("List, first page", "`GET /api/catalog/products?category=apparel&sort=price&take=20`", "`ProductQueries.ListAsync` (no cursor)",
                    (w, _) => GetAsync(firstPageUri, w),
                    (_, _) => queries.ListAsync(ListQuery(null), CancellationToken.None)),
                new($"List, page {options.LaterPage}", $"same with `&cursor=` of page {options.LaterPage}", $"`ProductQueries.ListAsync` (cursor of page {options.LaterPage})",
                    (w, _) => GetAsync(laterPageUri, w),
                    (_, _) => queries.ListAsync(ListQuery(laterCursor), CancellationToken.None)),
            };

            // --- The cells: per operation and concurrency, direct and API in alternating windows, so each ratio compares like with like.
            var cpu = new CpuMeter(int.TryParse(Environment.GetEnvironmentVariable("BENCH_COSMOS_PID"), out var pid) ? pid : null);
            var loadBefore = MachineInfo.LoadAverage();
            var rows = new List<Row>();
            var runClock = Stopwatch.StartNew();
            var runCpu = cpu.Take();
            foreach (var op in ops)
            {
                foreach (var clients in options.Clients)
                {
                    Console.WriteLine($"bench: {op.Name}, {clients} client(s)");
                    var before = cpu.Take();
                    var (direct, api) = await LoadLoop.CompareAsync(clients, options.WarmUp, options.Duration, options.Rounds, op.Direct, op.Api);
                    var shares = cpu.Between(before, cpu.Take());
                    Console.WriteLine($"  direct  p50 {direct.P50Ms,8:0.000} ms  p99 {direct.P99Ms,8:0.000} ms  {direct.RequestsPerSecond,8:0} req/s  ({direct.Requests} calls, {direct.Errors} errors)");
                    Console.WriteLine($"  api     p50 {api.P50Ms,8:0.000} ms  p99 {api.P99Ms,8:0.000} ms  {api.RequestsPerSecond,8:0} req/s  ({api.Requests} calls, {api.Errors} errors)");
                    Console.WriteLine($"  cpu     bench {shares.Bench:P0}, Cosmos server {shares.Server:P0}, other processes {shares.Others:P0} of the machine");
                    rows.Add(new Row(op, direct, api, shares));
                }
            }
            var runShares = cpu.Between(runCpu, cpu.Take());
            var measured = runClock.Elapsed;

            var apparel = BenchCatalog.ApparelCount(options.ExtraProducts) + 3; // + the demo tee, jeans and shirt
            var report = Report.Markdown(options, rows, new ReportContext(productIds.Length, apparel, seeding, measured, loadBefore, runShares));
            Console.WriteLine();
            Console.WriteLine(Report.Table(rows));
            await BenchDoc.WriteSectionAsync(outPath, "catalog", report);
            Console.WriteLine($"bench: wrote the catalog section of {Path.GetFullPath(outPath)}");
            return rows.Any(r => r.Direct.Errors + r.Api.Errors > 0) ? 1 : 0;
        }
        finally
        {
            try { await db.Client.GetDatabase(db.DatabaseName).DeleteAsync(); }
            catch (CosmosException) { /* best effort: the local server is in memory anyway */ }
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    // Fails unless the API answers 200 with the same product or the same page (ids and cursor) as the direct call.
    private static async Task CheckSameAsync(HttpClient http, Uri uri, string? productId, ProductListPage? page)
    {
        using var response = await http.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {uri.PathAndQuery}: {(int)response.StatusCode} {text}");
        var json = JsonDocument.Parse(text).RootElement;
        if (productId is not null && json.GetProperty("id").GetString() != productId)
            throw new InvalidOperationException($"GET {uri.PathAndQuery} returned another product: {text}");
        if (page is not null)
        {
            var ids = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
            if (!ids.SequenceEqual(page.Items.Select(i => i.Id)) || json.GetProperty("nextCursor").GetString() != page.NextCursor)
                throw new InvalidOperationException($"GET {uri.PathAndQuery} differs from ProductQueries.ListAsync: [{string.Join(", ", ids)}]");
        }
    }
}
