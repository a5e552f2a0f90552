using System.Globalization;
using MiniShop.Bench;
using MiniShop.Bench.Checkout;
using MiniShop.Bench.Engine;

// Usage: MiniShop.Bench [all|catalog|engine|checkout|flash-sale] [options] [--out docs/benchmarks.md]
// Each part rewrites its own section of the output file (see BenchDoc). The catalog, checkout and flash-sale parts need a Cosmos
// endpoint (the local server: tools/local-services/start.sh; COSMOS_ENDPOINT for another port); bench/run.sh does it all.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var parts = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var selected = parts == "all" ? BenchDoc.Parts : parts.Split(',');
if (selected.Except(BenchDoc.Parts).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"bench: unknown part '{unknown}'; use all, {string.Join(", ", BenchDoc.Parts)} (or several, comma-separated).");
    return 2;
}

var a = new Args(args);
var outPath = a.Value("--out") ?? BenchDoc.DefaultPath();
var exit = 0;
// Engine first: it needs no services and is the most sensitive to other load.
foreach (var part in BenchDoc.Parts.Reverse().Where(selected.Contains).OrderBy(p => p == "engine" ? 0 : 1))
{
    Console.WriteLine($"bench: --- {part} ---");
    var code = part switch
    {
        "catalog" => await CatalogBench.RunAsync(BenchOptions.Parse(args), outPath),
        "engine" => await EngineBench.RunAsync(EngineOptions.Parse(a), outPath),
        "flash-sale" => await MiniShop.Bench.FlashSale.FlashSaleBench.RunPartAsync(BenchOptions.Parse(args), args, outPath),
        _ => await CheckoutBench.RunAsync(CheckoutOptions.Parse(a), outPath),
    };
    exit = Math.Max(exit, code);
}
return exit;
