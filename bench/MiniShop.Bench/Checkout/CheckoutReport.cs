using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MiniShop.Bench.Checkout;

/// <summary>The checkout section of docs/benchmarks.md.</summary>
public static class CheckoutReport
{
    /// <summary>The columns of the operation tables: what the brief asks to tell apart.</summary>
    private static readonly (string Name, CosmosOpKind[] Kinds)[] Columns =
    [
        ("Point reads", [CosmosOpKind.PointRead]),
        ("Queries", [CosmosOpKind.Query]),
        ("Query plans", [CosmosOpKind.QueryPlan]),
        ("Single writes (create/upsert/replace/delete)", [CosmosOpKind.Create, CosmosOpKind.Upsert, CosmosOpKind.Replace, CosmosOpKind.Delete]),
        ("Transactional batches", [CosmosOpKind.Batch]),
        ("Single patches", [CosmosOpKind.Patch]),
        ("Other (feeds, metadata)", [CosmosOpKind.ReadFeed, CosmosOpKind.Metadata]),
    ];

    private static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Yuan(long fen) => "¥" + (fen / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>"n" when every checkout made the same number, else the most frequent number and the range: "n (min-max)".</summary>
    private static string Range(IEnumerable<int> values)
    {
        var v = values.ToList();
        if (v.Count == 0) return "n/a";
        if (v.Min() == v.Max()) return v[0].ToString(CultureInfo.InvariantCulture);
        var mode = v.GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return $"{mode} ({v.Min()}-{v.Max()})";
    }

    private static string OpsRow(string call, IEnumerable<IReadOnlyList<CosmosOp>> perCheckout)
    {
        var all = perCheckout.ToList();
        var cells = Columns.Select(c => Range(all.Select(ops => ops.Count(op => c.Kinds.Contains(op.Kind)))));
        return $"| {call} | {string.Join(" | ", cells)} | **{Range(all.Select(ops => ops.Count))}** |";
    }

    private static readonly string[] BatchKinds = ["create", "replace", "patch", "delete", "upsert", "read"];

    private static readonly CosmosOpKind[] SingleWrites = [CosmosOpKind.Create, CosmosOpKind.Replace, CosmosOpKind.Patch, CosmosOpKind.Delete, CosmosOpKind.Upsert];

    private static string BatchRow(string call, IEnumerable<IReadOnlyList<CosmosOp>> perCheckout)
    {
        var all = perCheckout.ToList();
        static IEnumerable<string> InBatches(IReadOnlyList<CosmosOp> ops) => ops.Where(op => op.Kind == CosmosOpKind.Batch).SelectMany(op => op.BatchOperations ?? ["unreadable"]);
        var cells = BatchKinds.Select(k => Range(all.Select(ops => InBatches(ops).Count(o => o == k))));
        var writes = Range(all.Select(ops => InBatches(ops).Count(o => o != "read") + ops.Count(op => SingleWrites.Contains(op.Kind))));
        return $"| {call} | {Range(all.Select(ops => ops.Count(op => op.Kind == CosmosOpKind.Batch)))} | {string.Join(" | ", cells)} | {Range(all.Select(ops => InBatches(ops).Count()))} | **{writes}** |";
    }

    public static string Markdown(CheckoutOptions o, IReadOnlyList<CheckoutCell> cells, string loadBefore, CpuShares shares, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        void L(FormattableString s) => sb.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        var server = Environment.GetEnvironmentVariable("BENCH_COSMOS_SERVER") ?? "unknown server";
        var samples = cells.SelectMany(c => c.Samples).ToList();
        var first = cells[0].FirstPreview;
        var totals = first.GetProperty("totals");
        var checkoutsTotal = cells.Sum(c => c.Samples.Count);
        var errors = cells.Sum(c => c.Errors);

        L($"## {BenchDoc.Title("checkout")}");
        L($"");
        L($"### Machine");
        L($"");
        L($"| | |");
        L($"| --- | --- |");
        foreach (var (name, value) in MachineInfo.Rows()) L($"| {name} | {value} |");
        L($"| Background load | load average {loadBefore} (1/5/15 min) before the part; while it ran ({elapsed.TotalSeconds:0} s with set-up), other processes used {MachineInfo.Percent(shares.Others)} of the machine's CPU, the bench process {MachineInfo.Percent(shares.Bench)}, the Cosmos server {MachineInfo.Percent(shares.Server)} |");
        L($"| Cosmos DB | {server}, `{MiniShop.Tests.Support.TestCosmos.Endpoint}`, Gateway mode over HTTPS on loopback, `Microsoft.Azure.Cosmos` {typeof(Microsoft.Azure.Cosmos.CosmosClient).Assembly.GetName().Version} |");
        L($"");
        L($"### What is measured");
        L($"");
        L($"- **The flow**, as the mini-program's confirm page makes it, over HTTP to the whole app in the in-process host (`tools/MiniShop.LocalHost`, like the catalog part): `POST /api/checkout/preview` with the items, the address and `usePoints: true` (the server picks the coupons), then `POST /api/checkout` with the same body plus the previewed `expectedPayableFen` and a fresh `Idempotency-Key`; both must answer 200 and 201. One checkout = preview + place.");
        L($"- **The cart**: {CheckoutBench.Cart.Length} lines of 3 products in 2 shops (a tee and jeans of the demo apparel shop, two sizes each; a green tea of the demo tea shop in two weights), created for the bench with {1_000_000:N0} units per SKU so no checkout runs out. The demo's promotions apply (apparel 满300减40/满500减80, platform tea 2 items 10 % off) and its shipping templates. It prices to: goods {Yuan(totals.GetProperty("goodsFen").GetInt64())}, promotions −{Yuan(totals.GetProperty("promotionDiscountFen").GetInt64())}, coupons −{Yuan(totals.GetProperty("couponDiscountFen").GetInt64())} ({first.GetProperty("chosenCouponIds").GetArrayLength()} coupons), points −{Yuan(totals.GetProperty("pointsDeductionFen").GetInt64())} ({first.GetProperty("points").GetProperty("used").GetInt64():N0} points), shipping {Yuan(totals.GetProperty("shippingFen").GetInt64())}, payable {Yuan(totals.GetProperty("payableFen").GetInt64())}; placing it makes 2 shop orders and 1 payment order, reserves stock on 3 products and locks 2 coupons and the points.");
        L($"- **The shoppers**: each signs in (dev login), adds an address in Guangdong, and is made a gold member (L3) with 100,000,000 points by a patch of its member document (no API grants points). Before each checkout the bench writes two fresh wallet coupons into the shopper's partition (the apparel shop's 满399减50 and a platform 满199减20; the claim API caps a template at 20 per member): every checkout sees the same wallet, two usable coupons plus the locked ones of its earlier orders, and uses both. These two writes are the bench's own, outside the timed calls and the counts.");
        L($"- **Counting**: a custom `RequestHandler` (`bench/MiniShop.Bench/Checkout/CosmosOpCounter.cs`) in the app's own `CosmosClient`: `CosmosClientFactory.Create` takes optional extra handlers for `CosmosClientOptions.CustomHandlers` (only the bench passes any), and the bench registers that client in place of the app's. Custom handlers run once per logical request, above the SDK's retry handler (a throttled request retried by the SDK counts once). Each request is filed under the HTTP call being served (the bench sends an `X-Bench-Call` header; the handler reads it through `IHttpContextAccessor`), so the counts are exact per call even with 8 shoppers at once. The kind comes from the request's method, address and headers (Gateway mode): `GET …/docs/{{id}}` a point read, a POST to the container with the query header a query (`ReadManyItemsAsync` is a query too), with the query-plan header a query plan request, with the batch header a transactional batch (one request, however many operations it carries: their types are read from the batch's body), `PATCH …/docs/{{id}}` a patch, and so on; database, container and partition-key-range reads would be metadata.");
        L($"- **Load**: each concurrency level runs on a **fresh database** and host. After set-up, {o.WarmUp.TotalSeconds:0} s of warm-up checkouts at the same concurrency ({string.Join(" and ", cells.Select(c => $"{c.WarmUpCheckouts:N0}"))}; time for the app's JIT to tier up with dynamic PGO, with the same resets as below; the per-round medians in the conditions table show whether a level was steady), then {o.Checkouts} measured checkouts in {o.Rounds} rounds of about {o.Checkouts / o.Rounds}, each round's checkouts split evenly over the shoppers, each shopper placing its own orders back to back (a closed loop; all shoppers buy the same products, so their stock batches meet on the same 3 product documents). **Between rounds** (untimed, nothing else running) the bench deletes the documents the round added (orders, payments, idempotency records, reservations, movements, ledger entries, coupons; `DataReset`), so every round starts from the same data: the local server scans a whole container for every query, and without the reset the latency grows with every order placed (`--checkout-rounds 1` resets only at the end: compare the first and last third in the conditions table). Latency is taken at the client, from sending the request to having read the whole response, for each call; p50/p99 are nearest-rank over every measured call. Checkouts/s is measured checkouts ÷ wall time of the rounds (which includes the two untimed wallet writes per checkout, and the end of each round where fewer shoppers are still busy).");
        L($"- Total: {checkoutsTotal:N0} measured checkouts, {errors} errors.");
        L($"");
        L($"### Results: Cosmos DB requests per checkout");
        L($"");
        var marketingCalls = samples.Sum(x => (x.PreviewOps.Any(op => op.Container == "marketing") ? 1 : 0) + (x.PlaceOps.Any(op => op.Container == "marketing") ? 1 : 0));
        L($"Requests the app made while serving each call, over all {checkoutsTotal:N0} measured checkouts at every level. A single number: every checkout made exactly that many; otherwise the usual number and, in brackets, the range. The range comes from `MarketingCatalog`'s in-memory cache ({MiniShop.Infrastructure.Marketing.MarketingCatalog.CacheFor.TotalSeconds:0} s per instance): the call that finds it stale reads the running promotions (a query per shop and one for the platform), the shipping templates (a point read per shop) and the platform settings (a point read) again; {marketingCalls} of the {2 * checkoutsTotal:N0} calls did.");
        L($"");
        L($"| Call | {string.Join(" | ", Columns.Select(c => c.Name))} | Total |");
        L($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", Columns.Length))} ---: |");
        sb.AppendLine(OpsRow("`POST /api/checkout/preview`", samples.Select(s => s.PreviewOps)));
        sb.AppendLine(OpsRow("`POST /api/checkout` (place)", samples.Select(s => s.PlaceOps)));
        sb.AppendLine(OpsRow("**Checkout (preview + place)**", samples.Select(s => (IReadOnlyList<CosmosOp>)[.. s.PreviewOps, .. s.PlaceOps])));
        L($"");
        L($"Operations inside those transactional batches (read from each batch's request body, `BatchBody`), and all document writes of a checkout, single requests and batch operations together:");
        L($"");
        L($"| Call | Batches | Creates | Replaces | Patches | Deletes | Upserts | Reads | Operations in batches | **Document writes in all** |");
        L($"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        sb.AppendLine(BatchRow("`POST /api/checkout/preview`", samples.Select(s => s.PreviewOps)));
        sb.AppendLine(BatchRow("`POST /api/checkout` (place)", samples.Select(s => s.PlaceOps)));
        sb.AppendLine(BatchRow("**Checkout (preview + place)**", samples.Select(s => (IReadOnlyList<CosmosOp>)[.. s.PreviewOps, .. s.PlaceOps])));
        L($"");
        var statuses = samples.SelectMany(s => s.PreviewOps.Concat(s.PlaceOps)).GroupBy(op => op.Status).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} × {g.Count():N0}" + (g.Key is >= 200 and < 300 ? "" :
                " (" + string.Join(", ", g.GroupBy(op => $"{op.Kind} of `{op.Container}`").Select(k => $"{k.Count()} {k.Key}")) + ")"));
        var charge = samples.Select(x => x.PreviewOps.Concat(x.PlaceOps).Sum(op => op.RequestCharge)).ToList();
        L($"Answers, by status code, over all {checkoutsTotal:N0} checkouts: {string.Join(", ", statuses)}. Request charge reported by the server: {(samples.SelectMany(x => x.PreviewOps.Concat(x.PlaceOps)).All(op => op.RequestCharge == 1) ? $"a flat 1 RU per request ({Median(charge):0} per checkout), the local server's placeholder, not Azure's charges" : charge.Max() > 0 ? $"{Median(charge):0.#} RU per checkout (median)" : "none")}. The batches (`StockReservations.ReserveProductAsync`, `CheckoutService.CommitAsync`): per product in the cart one batch in the product's partition: per SKU a reservation, a stock movement and its outbox event (`stock.reserved`, for the ERP's audit), plus one conditional patch of the product's stock counts; the payment order's entry in `payment-index` (an upsert: a WeChat notification finds the member by it); then one commit in the member's partition: the idempotency record's completion (replace), the shop orders and the payment order (creates), a conditional patch per coupon and one of the points balance, and the points ledger entry (create). Documents a checkout adds, measured: {F(cells.Average(c => c.WrittenPerCheckout.Products), "0.#")} in `products` (a reservation, a stock movement and an outbox event per line), {F(cells.Average(c => c.WrittenPerCheckout.Members), "0.#")} in `members` (idempotency record, 2 orders, payment order, points ledger entry; not counting the bench's two wallet coupons).");
        L($"");
        var trace = cells[0].Samples.FirstOrDefault();
        if (trace is not null)
        {
            L($"<details><summary>Every request of one checkout, in order (the first measured one at {cells[0].Shoppers} shopper(s))</summary>");
            L($"");
            L($"| # | Call | Kind | Container | Status | ms | Document, partition or query |");
            L($"| ---: | --- | --- | --- | ---: | ---: | --- |");
            var n = 0;
            foreach (var (call, op) in trace.PreviewOps.Select(op => ("preview", op)).Concat(trace.PlaceOps.Select(op => ("place", op))))
                L($"| {++n} | {call} | {op.Kind} | `{op.Container}` | {op.Status} | {op.Ms:0.00} | {(op.Detail is null ? "" : "`" + Trim(op.Detail) + "`")}{(op.BatchOperations is { } b ? ": " + string.Join(", ", b) : "")} |");
            L($"");
            L($"</details>");
            L($"");
        }

        L($"### Results: latency");
        L($"");
        L($"| Shoppers | Checkouts | Errors | Preview p50 (ms) | Preview p99 (ms) | Place p50 (ms) | Place p99 (ms) | Checkout p50 (ms) | Checkout p99 (ms) | Checkouts/s | Waiting on Cosmos, place p50 (ms) |");
        L($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cells)
        {
            var preview = new Latencies(c.Samples.Select(s => s.PreviewTicks));
            var place = new Latencies(c.Samples.Select(s => s.PlaceTicks));
            var total = new Latencies(c.Samples.Select(s => s.TotalTicks));
            var cosmosPlace = Median(c.Samples.Select(s => s.PlaceOps.Sum(op => op.Ms)));
            L($"| {c.Shoppers} | {c.Samples.Count:N0} | {c.Errors} | {F(preview.P50, "0.0")} | {F(preview.P99, "0.0")} | {F(place.P50, "0.0")} | {F(place.P99, "0.0")} | **{F(total.P50, "0.0")}** | **{F(total.P99, "0.0")}** | {F(c.CheckoutsPerSecond, "0.0")} | {F(cosmosPlace, "0.0")} |");
        }
        L($"");
        L($"`Waiting on Cosmos` is the sum of the place call's Cosmos requests as timed by the handler (its requests run one after another), so the rest of the place latency is the app, the HTTP layer and the client.");
        L($"");
        L($"Conditions of each level (CPU shares are of the whole machine, all cores = 100 %, over the measured rounds; the round medians show how steady the level was, the first and last third compare the start and the end of the level; documents: at the start of every round → the most at the end of one):");
        L($"");
        L($"| Shoppers | CPU: bench process | CPU: Cosmos server | CPU: other processes | Checkout p50 per round, min-max (ms) | Checkout p50, first → last third (ms) | Documents in `members` / `products` | Requests outside the timed calls | Set-up (s) |");
        L($"| ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |");
        foreach (var c in cells)
        {
            var ordered = c.Samples.ToList(); // completion order
            var third = Math.Max(1, ordered.Count / 3);
            var early = new Latencies(ordered.Take(third).Select(s => s.TotalTicks));
            var late = new Latencies(ordered.Skip(ordered.Count - third).Select(s => s.TotalTicks));
            var rounds = c.Samples.GroupBy(s => s.Round).Select(g => new Latencies(g.Select(s => s.TotalTicks)).P50).ToList();
            L($"| {c.Shoppers} | {MachineInfo.Percent(c.Cpu.Bench)} | {MachineInfo.Percent(c.Cpu.Server)} | {MachineInfo.Percent(c.Cpu.Others)} | {F(rounds.Min(), "0.0")}-{F(rounds.Max(), "0.0")} | {F(early.P50, "0.0")} → {F(late.P50, "0.0")} | {c.BaseDocs.Members:N0} → {c.PeakDocs.Members:N0} / {c.BaseDocs.Products:N0} → {c.PeakDocs.Products:N0} | {c.OutsideOps} | {c.Setup.TotalSeconds:0} |");
        }
        L($"");
        L($"`Requests outside the timed calls` is the app's background work while the rounds ran, in no request's count: the change feed processors (outbox relay, product-card refresher) polling their feeds and leases, the card refresher's reads and patches after each stock change, and the payment lifecycles' first activities.");
        L($"");
        L($"### How to read these numbers");
        L($"");
        L($"- **The request counts carry over to Azure; the milliseconds do not.** The counts are what the app asks of Cosmos DB for this cart, whatever serves it (one more product in the cart adds a stock batch and its point read; one more shop an order in the commit batch). The local server is an in-memory, single-threaded Node.js process without indexes: every query copies and scans its whole container (hence the reset between rounds), a point read or a batch is cheap, and nothing crosses a network. On Azure Cosmos DB a point read takes a few milliseconds and each request is billed in RUs, so the latency of a checkout there is roughly its number of sequential requests times the round trip, plus query costs.");
        L($"- **Query plans**: on Linux the SDK cannot compute a query plan itself (its native interop is Windows-only) and asks the gateway for one before a query that is not confined to one partition; a Function app on Linux pays the same round trip.");
        L($"- **One 2-core machine for everything.** The HTTP client, Kestrel and the app, the SDK and the Node server share 2 cores. At 1 shopper the calls are latencies with CPU to spare; with 8 shoppers the machine (and the single-threaded Cosmos server, saturated near {100.0 / Environment.ProcessorCount:0} % of the machine) is the limit, and the latencies include queueing behind the other shoppers' requests: read them as contention, not as the cost of one checkout.");
        L($"- **A shared machine.** Other processes' CPU share is in the conditions table; p99 rests on the slowest 1 % of a few hundred calls per level and is the least stable figure.");
        L($"- **The in-process host is not the Functions host**: on Azure Functions each call also passes the Functions host and its hop to the worker.");
        L($"");
        L($"### Run it");
        L($"");
        L($"```bash");
        L($"bash bench/run.sh checkout                                      # starts the local services, this part only, stops them");
        L($"bash bench/run.sh checkout --shoppers 1,4,8 --checkouts 800 --checkout-rounds 16 --checkout-warmup 20   # warm-up in seconds");
        L($"```");
        return sb.ToString();
    }

    private static string Trim(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return oneLine.Length <= 110 ? oneLine : oneLine[..107] + "...";
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
