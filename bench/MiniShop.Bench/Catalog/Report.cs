using System.Globalization;
using System.Text;

namespace MiniShop.Bench;

/// <summary>The markdown written to docs/benchmarks.md: the machine, the method, the table, and how to read it.</summary>
public static class Report
{
    private static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    public static string Table(IReadOnlyList<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Operation | Clients | Direct p50 (ms) | Direct p99 (ms) | Direct req/s | API p50 (ms) | API p99 (ms) | API req/s | p50 API/direct | p99 API/direct | req/s API/direct | API − direct p50 (ms) |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Operation.Name} | {r.Direct.Clients} | {F(r.Direct.P50Ms, "0.00")} | {F(r.Direct.P99Ms, "0.00")} | {F(r.Direct.RequestsPerSecond, "0")} ");
            sb.Append(CultureInfo.InvariantCulture,
                $"| {F(r.Api.P50Ms, "0.00")} | {F(r.Api.P99Ms, "0.00")} | {F(r.Api.RequestsPerSecond, "0")} ");
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| **{F(r.Api.P50Ms / r.Direct.P50Ms, "0.00")}×** | {F(r.Api.P99Ms / r.Direct.P99Ms, "0.00")}× | **{F(r.Api.RequestsPerSecond / r.Direct.RequestsPerSecond, "0.00")}×** | {F(r.Api.P50Ms - r.Direct.P50Ms, "+0.00;-0.00")} |");
        }
        return sb.ToString();
    }

    /// <summary>The ranges over the operations, per concurrency, in words; computed from the rows like the table.</summary>
    public static string Summary(IReadOnlyList<Row> rows)
    {
        var sb = new StringBuilder();
        string Range(IEnumerable<double> values, string format, string suffix = "")
        {
            var v = values.Where(x => !double.IsNaN(x)).ToList();
            if (v.Count == 0) return "n/a";
            var (lo, hi) = (F(v.Min(), format), F(v.Max(), format));
            return lo == hi ? lo + suffix : $"{lo}{suffix} to {hi}{suffix}";
        }
        var saturatedAt = 0.9 / Environment.ProcessorCount; // one busy core of Node's one thread
        foreach (var group in rows.GroupBy(r => r.Direct.Clients))
        {
            var g = group.ToList();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"- **{group.Key} {(group.Key == 1 ? "client" : "clients")}**, over the {g.Count} operations: API − direct p50 {Range(g.Select(r => r.Api.P50Ms - r.Direct.P50Ms), "+0.00;-0.00", " ms")}; p50 API/direct {Range(g.Select(r => r.Api.P50Ms / r.Direct.P50Ms), "0.00", "×")}; req/s API/direct {Range(g.Select(r => r.Api.RequestsPerSecond / r.Direct.RequestsPerSecond), "0.00", "×")}.");
            var saturated = g.Where(r => r.Cpu.Server >= saturatedAt).Select(r => r.Operation.Name).ToList();
            if (saturated.Count > 0)
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"  The Cosmos server was saturated (≥ {saturatedAt:P0} of the machine, one core) in: {string.Join("; ", saturated)}. There the local server is the bottleneck for both sides.");
        }
        return sb.ToString();
    }

    /// <summary>Per cell: where the machine's CPU went, and how steady each side was from one window to the next.</summary>
    public static string Conditions(IReadOnlyList<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Operation | Clients | CPU: bench process | CPU: Cosmos server | CPU: other processes | req/s spread, direct | req/s spread, API |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Operation.Name} | {r.Direct.Clients} | {Percent(r.Cpu.Bench)} | {Percent(r.Cpu.Server)} | {Percent(r.Cpu.Others)} | {Percent(r.Direct.WindowSpread)} | {Percent(r.Api.WindowSpread)} |");
        return sb.ToString();
    }

    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : share.ToString("P0", CultureInfo.InvariantCulture);

    public static string Markdown(BenchOptions o, IReadOnlyList<Row> rows, ReportContext ctx)
    {
        var server = Environment.GetEnvironmentVariable("BENCH_COSMOS_SERVER") ?? "unknown server";
        var endpoint = MiniShop.Tests.Support.TestCosmos.Endpoint;
        var clients = string.Join(" and ", o.Clients);
        var calls = rows.Sum(r => r.Direct.Requests + r.Api.Requests);
        var errors = rows.Sum(r => r.Direct.Errors + r.Api.Errors);
        var sb = new StringBuilder();
        void L(FormattableString s) => sb.AppendLine(s.ToString(CultureInfo.InvariantCulture));

        L($"## {BenchDoc.Title("catalog")}");
        L($"");
        L($"### Machine");
        L($"");
        L($"| | |");
        L($"| --- | --- |");
        foreach (var (name, value) in MachineInfo.Rows()) L($"| {name} | {value} |");
        L($"| Background load | load average {ctx.LoadAverageBefore} (1/5/15 min) before the cells; while they ran, other processes used {Percent(ctx.Cpu.Others)} of the machine's CPU, the bench process {Percent(ctx.Cpu.Bench)}, the Cosmos server {Percent(ctx.Cpu.Server)} |");
        L($"| Cosmos DB | {server}, `{endpoint}`, Gateway mode over HTTPS on loopback, `Microsoft.Azure.Cosmos` {typeof(Microsoft.Azure.Cosmos.CosmosClient).Assembly.GetName().Version} |");
        L($"");
        L($"### What is measured");
        L($"");
        L($"- **Data**: a fresh database seeded with the demo shop (`DemoShopSeeder`) plus {o.ExtraProducts} extra products created and published through `ProductAdminService` (SKU matrices of 1-15 SKUs, 3 images, member and tier prices): {ctx.Products} published products, {ctx.ApparelProducts} of them under `apparel`, so the apparel list sorted by price has {(ctx.ApparelProducts + 19) / 20} pages of 20.");
        L($"- **API**: the whole function app in the in-process host (`tools/MiniShop.LocalHost`: Kestrel, the app's `HttpPipeline`, function classes, views and JSON), started inside the bench process on a free loopback port; requests over HTTP/1.1 keep-alive from one `HttpClient` (`SocketsHttpHandler`, up to 256 connections), anonymous, the body read to the end.");
        L($"- **Direct**: the same read on the host's own `ProductQueries` singleton (same `CosmosClient`, same settings), returning the deserialized documents.");
        L($"- **Operations**:");
        foreach (var r in rows.Select(r => r.Operation).DistinctBy(op => op.Name))
            L($"  - {r.Name}: API {r.ApiCall}; direct {r.DirectCall}.");
        L($"- **Load**: a closed loop per cell: {clients} concurrent client(s) each issue the next call as soon as the previous returns; {o.WarmUp.TotalSeconds:0.#} s warm-up of each side at the same concurrency, then {o.Duration.TotalSeconds:0.#} s measured per side, in {o.Rounds} alternating windows of {o.Duration.TotalSeconds / o.Rounds:0.#} s (direct, API, then API, direct, ...), so that a change of background load weighs on both sides alike. p50/p99 are nearest-rank percentiles of every call in the window (`Stopwatch`); req/s is calls ÷ window.");
        L($"- Before measuring, the bench checks that the API returns the same product and the same page ids and cursor as the direct call. Total: {calls:N0} measured calls, {errors} errors; seeding took {ctx.Seeding.TotalSeconds:0} s, the measured cells {ctx.Measured.TotalSeconds:0} s.");
        L($"");
        L($"### Results");
        L($"");
        sb.Append(Summary(rows));
        L($"");
        sb.Append(Table(rows));
        L($"");
        L($"p50 and p99 ratios are API ÷ direct (above 1: the API takes longer); the req/s ratio is API ÷ direct (below 1: the API serves fewer). `API − direct p50` is the latency the HTTP layer adds at the median.");
        L($"");
        L($"Conditions of each cell (CPU shares are of the whole machine, all cores = 100 %; the spread is the fastest ÷ slowest window's req/s − 1, a measure of the noise to weigh a ratio against):");
        L($"");
        sb.Append(Conditions(rows));
        L($"");
        L($"### How to read these numbers");
        L($"");
        L($"- **Not Azure numbers.** The Cosmos DB here is the local server: an in-memory, single-threaded Node.js process (`tools/local-services`) with no indexes (every query scans the container) and no network between it and the app. A point read on Azure Cosmos DB (Direct mode, same region) takes a few milliseconds and costs RUs; a query more. Read the absolute figures only as relative to each other. What carries over is the **overhead of the HTTP/function layer**: the milliseconds the API adds on top of the same read and the ratio API/direct. With a slower store in the cloud the added milliseconds stay about the same and the ratio moves toward 1.");
        L($"- **One {Environment.ProcessorCount}-core machine for everything.** The load generator, the HTTP client, Kestrel and the app, the Cosmos SDK and the Node server all share the same {Environment.ProcessorCount} cores. At 1 client there is CPU to spare (unless other processes take it) and the figures are latencies; at 32 clients the machine is saturated and req/s is bounded by CPU, so the API's extra CPU per request (client and server HTTP, routing, the pipeline, view mapping, JSON serialization) takes CPU away from the Node server. The API's share therefore includes the cost of the HTTP client, which in production runs on the shopper's phone. Node runs JavaScript on one thread: a Cosmos server near {100.0 / Environment.ProcessorCount:0} % of the machine is saturated, and the cell then measures the local server's limit more than the app (the list queries scan and sort every card of the partition on each call: see the Cosmos server column of the conditions table).");
        L($"- **The in-process host is not the Functions host.** On Azure Functions (isolated worker with ASP.NET Core integration) a request also passes the Functions host and its proxy hop to the worker, plus the platform's front end: more overhead than measured here. These figures are the floor set by the app's own HTTP layer.");
        L($"- **A shared machine.** The machine may be running other work at the same time (other checkouts' builds and tests): see the background-load row above and the conditions table. With short windows ({o.Duration.TotalSeconds / o.Rounds:0.#} s, {o.Duration.TotalSeconds:0.#} s per side and cell) a ratio whose distance from 1 is within the spread of its cell is no measurable difference. p99 at 1 client rests on the slowest 1 % of a few thousand calls and is the least stable figure.");
        L($"");
        L($"### Run it");
        L($"");
        L($"```bash");
        L($"bash bench/run.sh catalog    # starts the local services, runs this part in Release, stops them, rewrites this section");
        L($"bash bench/run.sh catalog --duration 12 --rounds 4 --warmup 3 --extra 1000 --clients 1,8,32   # options are passed to the bench");
        L($"```");
        L($"");
        L($"Ports default to 18181 (Cosmos) and 20000-20002 (Azurite) so a developer's services on the usual ports are left alone; `COSMOS_PORT` and `AZURITE_*_PORT` change them. To run against the emulator or an account instead: `COSMOS_ENDPOINT=... COSMOS_KEY=... dotnet run -c Release --project bench/MiniShop.Bench -- catalog`.");
        return sb.ToString();
    }
}
