using System.Diagnostics;
using System.Globalization;
using System.Text;
using MiniShop.Domain.Promotions;
using MiniShop.Tests.Unit.Promotions;

namespace MiniShop.Bench.Engine;

public sealed record EngineOptions(TimeSpan WarmUp, TimeSpan Duration, int Rounds, int Carts, int[] CouponCounts, TimeSpan PerCart, bool BenchmarkDotNet)
{
    public static EngineOptions Parse(Args a) => new(
        TimeSpan.FromSeconds(a.Seconds("--engine-warmup", 10)),
        TimeSpan.FromSeconds(a.Seconds("--engine-duration", 12)),
        Math.Max(1, a.Int("--engine-rounds", 4)),
        Math.Max(1, a.Int("--carts", 5)),
        a.Ints("--coupons", [8, 12, 16]),
        TimeSpan.FromSeconds(a.Seconds("--per-cart", 1)),
        !a.Flag("--no-bdn"));
}

/// <summary>Per-call latency of one request priced over and over on one thread.</summary>
/// <param name="WarmUpMediansMs">The median call of each second of the warm-up: how long the process takes to settle.</param>
public sealed record EngineTiming(Latencies Calls, double[] RoundMediansMs, double AllocatedBytesPerCall, int[] Collections, CpuShares Cpu, double[] WarmUpMediansMs);

/// <summary>One comparison cart: the engine's and the brute force's time for it, and what both found.</summary>
public sealed record ComparisonCart(int Coupons, int Seed, int Offers, int EngineCalls, double EngineMedianMs, int BruteRuns, double BruteMedianMs,
    long Discount, long Objective, int ChosenCoupons, int ChosenPromotions)
{
    public double Ratio => BruteMedianMs / EngineMedianMs;
}

/// <summary>
/// The pure engine, in this process (no services): (1) the large cart priced on one thread, every call timed; (2) the
/// exact search against the unit tests' brute force on the same carts, which must find the same saving; (3) optionally
/// BenchmarkDotNet (in-process) on the same requests, as a cross-check of the medians and for the allocations.
/// </summary>
public static class EngineBench
{
    private static PricingResult? sink;

    public static async Task<int> RunAsync(EngineOptions o, string outPath)
    {
        var engine = new PromotionEngine();
        var cpu = new CpuMeter(null);
        var loadBefore = MachineInfo.LoadAverage();
        var partCpu = cpu.Take();
        var clock = Stopwatch.StartNew();

        // --- 1. The large cart.
        var large = EngineCarts.Large();
        var priced = engine.Price(large);
        CheckInvariants(large, priced);
        Console.WriteLine($"engine: large cart: {large.Lines.Count} lines, {large.Promotions.Count} promotions, {large.Wallet.Count} coupons -> " +
                          $"payable {priced.Totals.PayableFen} fen, coupons [{string.Join(", ", priced.ChosenCouponIds)}], promotions [{string.Join(", ", priced.AppliedPromotionIds)}]");
        var timing = TimeLarge(engine, large, o, cpu);
        Console.WriteLine($"  p50 {timing.Calls.P50:0.000} ms  p99 {timing.Calls.P99:0.000} ms  max {timing.Calls.Max:0.000} ms  ({timing.Calls.Count} calls, {timing.AllocatedBytesPerCall / 1024:0} KiB/call)");

        // --- 2. Exact search vs. brute force.
        sink = engine.Price(EngineCarts.Comparison(o.CouponCounts.Min(), 0)); // JIT both sides before anything is timed
        BruteForcePricer.Solve(EngineCarts.Comparison(o.CouponCounts.Min(), 0));
        var comparisons = new List<ComparisonCart>();
        var comparisonCpu = new Dictionary<int, CpuShares>();
        foreach (var coupons in o.CouponCounts)
        {
            var before = cpu.Take();
            for (var seed = 1; seed <= o.Carts; seed++)
            {
                var cart = Compare(engine, coupons, seed, o.PerCart);
                comparisons.Add(cart);
                Console.WriteLine($"engine: {coupons} coupons, cart {seed}: engine {cart.EngineMedianMs:0.000} ms, brute force {cart.BruteMedianMs:0.0} ms " +
                                  $"({cart.BruteRuns} run(s), 2^{cart.Offers} subsets), ratio {cart.Ratio:0}x, same saving {cart.Discount} fen");
            }
            comparisonCpu[coupons] = cpu.Between(before, cpu.Take());
        }

        // --- 3. BenchmarkDotNet cross-check.
        IReadOnlyList<BdnRow> bdn = [];
        var bdnCpu = CpuShares.Unknown;
        if (o.BenchmarkDotNet)
        {
            var before = cpu.Take();
            bdn = EngineBenchmarks.Run();
            foreach (var row in bdn) Console.WriteLine($"  BDN {row.Name}: mean {row.MeanMs:0.000} ms, median {row.MedianMs:0.000} ms, {row.AllocatedBytes / 1024.0:0} KiB/op");
            bdnCpu = cpu.Between(before, cpu.Take());
        }

        var shares = cpu.Between(partCpu, cpu.Take());
        var section = Markdown(o, large, priced, timing, comparisons, comparisonCpu, bdn, bdnCpu, loadBefore, shares, clock.Elapsed);
        await BenchDoc.WriteSectionAsync(outPath, "engine", section);
        Console.WriteLine($"engine: wrote the engine section of {Path.GetFullPath(outPath)}");
        return 0;
    }

    private static EngineTiming TimeLarge(PromotionEngine engine, PricingRequest request, EngineOptions o, CpuMeter cpu)
    {
        // Warm-up: the JIT tiers up (tiered compilation with dynamic PGO) and the GC adapts; each second's median is kept
        // so the report shows when the timing settled.
        var warmUpMedians = new List<double>();
        var until = Stopwatch.GetTimestamp() + (long)(o.WarmUp.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var second = new List<long>();
            var secondEnd = Math.Min(until, Stopwatch.GetTimestamp() + Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < secondEnd)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink = engine.Price(request);
                second.Add(Stopwatch.GetTimestamp() - t0);
            }
            warmUpMedians.Add(new Latencies(second).P50);
        }

        var all = new List<long>(200_000);
        var roundMedians = new List<double>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = cpu.Take();
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < o.Rounds; round++)
        {
            var mine = new List<long>(100_000);
            var end = Stopwatch.GetTimestamp() + (long)(o.Duration.TotalSeconds / o.Rounds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink = engine.Price(request);
                mine.Add(Stopwatch.GetTimestamp() - t0);
            }
            roundMedians.Add(new Latencies(mine).P50);
            all.AddRange(mine);
        }
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)all.Count;
        var gcs = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]).ToArray();
        return new EngineTiming(new Latencies(all), [.. roundMedians], bytes, gcs, cpu.Between(before, cpu.Take()), [.. warmUpMedians]);
    }

    private static ComparisonCart Compare(PromotionEngine engine, int coupons, int seed, TimeSpan perCart)
    {
        var request = EngineCarts.Comparison(coupons, seed);
        var exact = engine.Price(request);
        var brute = BruteForcePricer.Solve(request);

        // Both must find the same saving (and the same selection, since the tie-break is a total order) before their times mean anything.
        var objective = exact.Totals.DiscountFen - exact.Totals.ShippingFen;
        var chosen = exact.ChosenCouponIds.Concat(exact.AppliedPromotionIds).ToHashSet();
        if (brute.Discount != exact.Totals.DiscountFen || brute.Objective != objective || !brute.Chosen.SetEquals(chosen))
            throw new InvalidOperationException(
                $"{coupons} coupons, cart {seed}: the engine saves {exact.Totals.DiscountFen} fen (objective {objective}, [{string.Join(", ", chosen.Order())}]), " +
                $"the brute force {brute.Discount} fen (objective {brute.Objective}, [{string.Join(", ", brute.Chosen.Order())}]).");

        var engineTimes = Repeat(() => sink = engine.Price(request), perCart / 4, minRuns: 21);
        var bruteTimes = Repeat(() => BruteForcePricer.Solve(request), perCart, minRuns: 1);
        var offers = request.Promotions.Count(p => p.Validity.Contains(request.Now)) + request.Wallet.Count(c => c.Validity.Contains(request.Now));
        return new ComparisonCart(coupons, seed, offers, engineTimes.Count, engineTimes.P50, bruteTimes.Count, bruteTimes.P50,
            exact.Totals.DiscountFen, objective, exact.ChosenCouponIds.Count, exact.AppliedPromotionIds.Count);
    }

    /// <summary>Times <paramref name="call"/> until both <paramref name="atLeast"/> has passed and <paramref name="minRuns"/> calls are done.</summary>
    private static Latencies Repeat(Action call, TimeSpan atLeast, int minRuns)
    {
        var times = new List<long>();
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(atLeast.TotalSeconds * Stopwatch.Frequency);
        while (times.Count < minRuns || Stopwatch.GetTimestamp() < until)
        {
            var t0 = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetTimestamp() - t0);
        }
        return new Latencies(times);
    }

    /// <summary>The documented invariants, so the timed call is known to price the cart correctly.</summary>
    private static void CheckInvariants(PricingRequest request, PricingResult r)
    {
        var t = r.Totals;
        var ok = t.PayableFen == t.GoodsFen - t.DiscountFen - t.PointsDeductionFen + t.ShippingFen
                 && r.Shops.Sum(s => s.PayableFen) == t.PayableFen
                 && r.ChosenCouponIds.Count + r.UnusedCoupons.Count == request.Wallet.Count
                 && r.Shops.SelectMany(s => s.Lines).All(l => l.PayableFen >= 0)
                 && t.DiscountFen > 0 && r.ChosenCouponIds.Count > 0 && t.PointsDeductionFen > 0;
        if (!ok) throw new InvalidOperationException("The large cart's result breaks an invariant or uses no coupon/points: " + System.Text.Json.JsonSerializer.Serialize(t));
    }

    private static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Yuan(long fen) => "¥" + (fen / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Markdown(EngineOptions o, PricingRequest large, PricingResult priced, EngineTiming timing, List<ComparisonCart> comparisons,
        Dictionary<int, CpuShares> comparisonCpu, IReadOnlyList<BdnRow> bdn, CpuShares bdnCpu, string loadBefore, CpuShares shares, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        void L(FormattableString s) => sb.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        var t = priced.Totals;
        var unusedByCode = priced.UnusedCoupons.GroupBy(u => u.Code).Select(g => $"{g.Count()} {g.Key}");
        var spread = timing.RoundMediansMs.Max() / timing.RoundMediansMs.Min() - 1;

        L($"## {BenchDoc.Title("engine")}");
        L($"");
        L($"### Machine");
        L($"");
        L($"| | |");
        L($"| --- | --- |");
        foreach (var (name, value) in MachineInfo.Rows()) L($"| {name} | {value} |");
        L($"| Background load | load average {loadBefore} (1/5/15 min) before the part; while it ran ({elapsed.TotalSeconds:0} s), other processes used {MachineInfo.Percent(shares.Others)} of the machine's CPU, the bench process {MachineInfo.Percent(shares.Bench)} (one busy thread = {1.0 / Environment.ProcessorCount:P0}) |");
        L($"");
        L($"### What is measured");
        L($"");
        L($"- **The call**: `IPricingEngine.Price(PricingRequest)` on `PromotionEngine`, as checkout calls it: validation, base prices, candidate offers, the exact branch-and-bound search, allocation to lines, points, shipping and an explanation for every unused coupon. One thread, no I/O; the request is built once (`bench/MiniShop.Bench/Engine/EngineCarts.cs`, fixed seeds) and priced again and again.");
        L($"- **The large cart** (`EngineCarts.Large`): {large.Lines.Count} lines in 3 shops (25 apparel, 12 tea, 13 home goods; quantities 1-5), list prices with member prices for 2 levels on most lines and 3+ tier prices on some, 2 flash-sale lines (one allows coupons, one allows nothing); {large.Promotions.Count} promotions: per shop a full reduction (apparel has two competing ones, tiered and repeating) and a multi-buy (category or SPU scope), a platform repeating reduction, a platform tea multi-buy and one expired; {large.Wallet.Count} coupons: 6 apparel, 4 tea, 4 home, 5 platform and 1 of a shop not in the cart, amounts off and percentages with caps, thresholds from none to ¥1,000, scopes by shop, category and SKU, one expired and one not yet valid; a gold member with 50,000 points using them (100 points = ¥1, at most 50 %, whole yuan); shipping templates by count and by weight with free-over thresholds, to Guangdong; the default stacking policy (at most one offer per group: per shop one multi-buy, one full reduction and one coupon, plus one of each platform kind; all groups stack).");
        L($"  It prices to: goods {Yuan(t.GoodsFen)}, promotions −{Yuan(t.PromotionDiscountFen)}, coupons −{Yuan(t.CouponDiscountFen)}, points −{Yuan(t.PointsDeductionFen)} ({priced.Points.PointsUsed:N0} points), shipping {Yuan(t.ShippingFen)}, payable {Yuan(t.PayableFen)}; {Count(priced.AppliedPromotionIds.Count, "promotion")} applied ({string.Join(", ", priced.AppliedPromotionIds.Select(id => $"`{id}`"))}), {Count(priced.ChosenCouponIds.Count, "coupon")} chosen ({string.Join(", ", priced.ChosenCouponIds.Select(id => $"`{id}`"))}); the other {priced.UnusedCoupons.Count} explained: {string.Join(", ", unusedByCode)}.");
        L($"- **Timing**: {o.WarmUp.TotalSeconds:0.#} s of warm-up calls (the JIT tiers up with dynamic PGO and the GC adapts; the median call of each warm-up second, in ms: {string.Join(", ", timing.WarmUpMediansMs.Select(m => F(m, "0.000")))}), a full GC, then calls back to back for {o.Duration.TotalSeconds:0.#} s in {o.Rounds} rounds, each call timed with `Stopwatch`; p50/p90/p99 are nearest-rank percentiles over every call, so p99 includes the calls a GC or another process interrupted. Allocation is `GC.GetAllocatedBytesForCurrentThread` over the measured calls ÷ calls.");
        L($"- **Exact vs. brute force**: for each wallet size, {o.Carts} carts (`EngineCarts.Comparison(coupons, seed)`, seeds 1-{o.Carts}): 12 lines in the 3 shops, 4 promotions (a full reduction per shop, a platform repeating reduction) and the coupons, every one valid and in scope (apparel, tea, home and platform in turn; amounts off or capped percentages; thresholds from none to above the shop's goods), shipping as above. The brute force is the unit tests' oracle (`tests/MiniShop.Tests.Unit/Promotions/BruteForcePricer.cs`, compiled into the bench as it is): it enumerates every subset of the valid promotions and coupons (2^offers bit masks), drops those that break the stacking rules, replays each in application order and keeps the best by the same objective and tie-break. Written to be obviously right, not fast (LINQ, every subset), so the ratio says what the engine's search saves over *this* exhaustive search, not over the fastest possible one. For each cart the bench first **asserts that both find the same saving, objective (discount − shipping) and selection**, then times the engine for ≥ {o.PerCart.TotalSeconds / 4:0.##} s (≥ 21 calls) and the brute force for ≥ {o.PerCart.TotalSeconds:0.#} s (≥ 1 run) and takes each one's median; the engine call includes everything listed above, the brute force only the choice.");
        L($"");
        L($"### Results: the large cart ({large.Lines.Count} lines, 3 shops, {large.Promotions.Count} promotions, {large.Wallet.Count} coupons)");
        L($"");
        L($"| Calls | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) | Allocated per call | GCs gen0/1/2 | Round medians (ms) | CPU: bench / others |");
        L($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        L($"| {timing.Calls.Count:N0} | **{F(timing.Calls.P50, "0.000")}** | {F(timing.Calls.Ms(0.90), "0.000")} | **{F(timing.Calls.P99, "0.000")}** | {F(timing.Calls.Max, "0.00")} | {F(timing.Calls.Mean, "0.000")} | {timing.AllocatedBytesPerCall / 1024:N0} KiB | {string.Join("/", timing.Collections)} | {string.Join(", ", timing.RoundMediansMs.Select(m => F(m, "0.000")))} (spread {spread:P0}) | {MachineInfo.Percent(timing.Cpu.Bench)} / {MachineInfo.Percent(timing.Cpu.Others)} |");
        L($"");
        L($"### Results: exact search vs. brute force");
        L($"");
        L($"Medians over the {o.Carts} carts of each size (per cart: the median of its timed calls); the range is the fastest and slowest cart. The ratio is brute force ÷ engine, per cart.");
        L($"");
        L($"| Coupons | Offers (promotions + coupons) | Subsets the brute force enumerates | Engine, median (ms) | Engine, range (ms) | Brute force, median (ms) | Brute force, range (ms) | Ratio, median | Ratio, range | Same saving | CPU: bench / others |");
        L($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        foreach (var group in comparisons.GroupBy(c => c.Coupons))
        {
            var g = group.ToList();
            var offers = g.Select(c => c.Offers).Distinct().ToList();
            var cpuShares = comparisonCpu[group.Key];
            L($"| {group.Key} | {string.Join("/", offers)} | {string.Join("/", offers.Select(n => (1L << n).ToString("N0", CultureInfo.InvariantCulture)))} | **{F(Median(g.Select(c => c.EngineMedianMs)), "0.000")}** | {F(g.Min(c => c.EngineMedianMs), "0.000")}-{F(g.Max(c => c.EngineMedianMs), "0.000")} | **{F(Median(g.Select(c => c.BruteMedianMs)), "0.0")}** | {F(g.Min(c => c.BruteMedianMs), "0.0")}-{F(g.Max(c => c.BruteMedianMs), "0.0")} | **{F(Median(g.Select(c => c.Ratio)), "N0")}×** | {F(g.Min(c => c.Ratio), "N0")}×-{F(g.Max(c => c.Ratio), "N0")}× | {g.Count}/{g.Count} carts | {MachineInfo.Percent(cpuShares.Bench)} / {MachineInfo.Percent(cpuShares.Others)} |");
        }
        L($"");
        L($"<details><summary>Per cart</summary>");
        L($"");
        L($"| Coupons | Seed | Engine calls | Engine median (ms) | Brute force runs | Brute force median (ms) | Ratio | Saving (fen), both | Objective (fen), both | Chosen: coupons + promotions |");
        L($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in comparisons)
            L($"| {c.Coupons} | {c.Seed} | {c.EngineCalls:N0} | {F(c.EngineMedianMs, "0.000")} | {c.BruteRuns} | {F(c.BruteMedianMs, "0.0")} | {F(c.Ratio, "N0")}× | {c.Discount:N0} | {c.Objective:N0} | {c.ChosenCoupons} + {c.ChosenPromotions} |");
        L($"");
        L($"</details>");
        if (bdn.Count > 0)
        {
            L($"");
            L($"### Cross-check: BenchmarkDotNet");
            L($"");
            L($"BenchmarkDotNet {typeof(BenchmarkDotNet.Running.BenchmarkRunner).Assembly.GetName().Version?.ToString(3)}, in-process toolchain (same process, same server GC), {EngineBenchmarks.WarmupCount} warm-up and {EngineBenchmarks.IterationCount} measured iterations of ~{EngineBenchmarks.IterationTimeMs} ms each, `MemoryDiagnoser`; its statistics are over iteration means (each iteration runs the call many times), so they have no per-call p99. CPU while it ran: bench {MachineInfo.Percent(bdnCpu.Bench)}, others {MachineInfo.Percent(bdnCpu.Others)}.");
            L($"");
            L($"| Benchmark | Mean (ms) | ± 99.9 % CI (ms) | Median (ms) | Allocated per call |");
            L($"| --- | ---: | ---: | ---: | ---: |");
            foreach (var row in bdn)
                L($"| {row.Name} | {F(row.MeanMs, "0.000")} | {F(row.ErrorMs, "0.000")} | {F(row.MedianMs, "0.000")} | {row.AllocatedBytes / 1024.0:N0} KiB |");
        }
        L($"");
        L($"### How to read these numbers");
        L($"");
        L($"- **CPU time of one core.** The engine is pure computation on one thread; these figures carry over to another machine in proportion to its single-core speed. The Functions host runs several requests at once, each pricing on its own thread.");
        L($"- **p99 and max are the noisy figures.** On a shared 2-core machine a call that is descheduled or meets a GC takes longer; the CPU column says how much other processes used while the cell ran (the bench's own thread is {1.0 / Environment.ProcessorCount:P0} of the machine). Differences between the round medians show the run-to-run noise: read the medians to about that precision, and p99 more loosely.");
        L($"- **The brute force grows as 2^offers**: every 4 more coupons multiply the subsets it enumerates by 16, and its time follows once the enumeration dominates its fixed costs. The engine's search is exact too, but its bound cuts most of the tree, so its time grows far more slowly; its call also does the work around the search (validation, candidates, allocation, explanations), which the brute force skips. The comparison carts are smaller than the large cart on purpose: with its {large.Promotions.Count(p => p.Validity.Contains(large.Now)) + large.Wallet.Count(c => c.Validity.Contains(large.Now))} valid offers the brute force would enumerate 2^{large.Promotions.Count(p => p.Validity.Contains(large.Now)) + large.Wallet.Count(c => c.Validity.Contains(large.Now))} subsets.");
        if (bdn.Count > 0)
            L($"- **BenchmarkDotNet vs. the per-call timing**: compare BenchmarkDotNet's mean with the mean column, not with p50: an iteration mean includes the calls that paid for a garbage collection (the large cart allocates {timing.AllocatedBytesPerCall / 1024:N0} KiB per call, and a gen0 collection came every {timing.Calls.Count / (double)Math.Max(1, timing.Collections[0]):0} calls), while the median call pays for none. The two ran at different moments of a shared machine (see their CPU shares), which moves both.");
        L($"- **Every comparison cart was checked**: the engine and the brute force found the same saving, objective and selection on all {comparisons.Count} carts (the bench stops with an error otherwise).");
        L($"");
        L($"### Run it");
        L($"");
        L($"```bash");
        L($"bash bench/run.sh engine                                        # this section only; no services needed");
        L($"bash bench/run.sh engine --engine-warmup 15 --engine-duration 30 --engine-rounds 6 --carts 10 --coupons 8,12,16,18 --no-bdn");
        L($"```");
        return sb.ToString();
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
