using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MiniShop.Domain.Promotions;

namespace MiniShop.Bench.Engine;

public sealed record BdnRow(string Name, double MeanMs, double ErrorMs, double MedianMs, double AllocatedBytes);

/// <summary>The engine calls of <see cref="EngineBench"/> under BenchmarkDotNet, in this process (no separate build).</summary>
public class EngineBenchmarks
{
    public const int WarmupCount = 3;
    public const int IterationCount = 10;
    public const int IterationTimeMs = 500;

    private readonly PromotionEngine engine = new();
    private readonly PricingRequest large = EngineCarts.Large();
    private readonly PricingRequest coupons8 = EngineCarts.Comparison(8, 1);
    private readonly PricingRequest coupons12 = EngineCarts.Comparison(12, 1);
    private readonly PricingRequest coupons16 = EngineCarts.Comparison(16, 1);

    [Benchmark(Description = "Large cart: 50 lines, 10 promotions, 20 coupons")]
    public PricingResult LargeCart() => engine.Price(large);

    [Benchmark(Description = "Comparison cart, 8 coupons (seed 1)")]
    public PricingResult Coupons8() => engine.Price(coupons8);

    [Benchmark(Description = "Comparison cart, 12 coupons (seed 1)")]
    public PricingResult Coupons12() => engine.Price(coupons12);

    [Benchmark(Description = "Comparison cart, 16 coupons (seed 1)")]
    public PricingResult Coupons16() => engine.Price(coupons16);

    public static IReadOnlyList<BdnRow> Run()
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(WarmupCount)
            .WithIterationCount(IterationCount)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(IterationTimeMs))
            .WithId("in-process");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "minishop-bench-bdn"));
        var summary = BenchmarkRunner.Run<EngineBenchmarks>(config);
        return summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .Select(r => new BdnRow(
                r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                r.ResultStatistics!.Mean / 1e6,
                r.ResultStatistics.ConfidenceInterval.Margin / 1e6,
                r.ResultStatistics.Median / 1e6,
                r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? double.NaN))
            .ToList();
    }
}
