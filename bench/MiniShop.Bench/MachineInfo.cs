using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace MiniShop.Bench;

/// <summary>What every section says about the machine it ran on.</summary>
public static class MachineInfo
{
    /// <summary>The machine table's rows shared by all parts (date, CPU, memory, OS, .NET).</summary>
    public static IEnumerable<(string Name, string Value)> Rows() =>
    [
        ("Date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("CPU", $"{Environment.ProcessorCount} logical cores, {CpuModel()}"),
        ("Memory", (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"),
        ("OS", $"{OsName()}, kernel {Kernel()}, {RuntimeInformation.OSArchitecture}"),
        (".NET", $"{RuntimeInformation.FrameworkDescription}, Release, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"),
    ];

    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    public static string Percent(double share) => double.IsNaN(share) ? "n/a" : share.ToString("P0", CultureInfo.InvariantCulture);

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static string Kernel()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return RuntimeInformation.OSDescription; }
        catch (UnauthorizedAccessException) { return RuntimeInformation.OSDescription; }
    }

    public static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null) return line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.OSDescription;
    }
}

/// <summary>Nearest-rank percentiles of Stopwatch tick counts, in milliseconds.</summary>
public sealed class Latencies
{
    private readonly long[] sorted;

    public Latencies(IEnumerable<long> ticks)
    {
        sorted = ticks.ToArray();
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    public double Ms(double p) => sorted.Length == 0 ? double.NaN : ToMs(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    public double P50 => Ms(0.50);

    public double P99 => Ms(0.99);

    public double Max => sorted.Length == 0 ? double.NaN : ToMs(sorted[^1]);

    public double Mean => sorted.Length == 0 ? double.NaN : ToMs(sorted.Average());

    public static double ToMs(double ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
