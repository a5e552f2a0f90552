using System.Globalization;

namespace MiniShop.Bench;

/// <summary>Shares of the machine's CPU time over an interval (all cores = 1.0): this process, the Cosmos server, the rest.</summary>
public sealed record CpuShares(double Bench, double Server, double Others)
{
    public static CpuShares Unknown { get; } = new(double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// Reads Linux's CPU counters (/proc/stat, /proc/PID/stat, all in clock ticks) so the report can say how much of the
/// machine other processes took while a cell ran: on a shared machine that is what makes one run differ from the next.
/// </summary>
public sealed class CpuMeter(int? serverPid)
{
    public readonly record struct Sample(long Busy, long Total, long Bench, long Server);

    public Sample? Take()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = cpu.Sum();
            var idle = cpu[3] + cpu[4]; // idle + iowait
            return new Sample(total - idle, total, ProcessTicks("self"), serverPid is { } pid ? ProcessTicks(pid.ToString(CultureInfo.InvariantCulture)) : 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public CpuShares Between(Sample? from, Sample? to)
    {
        if (from is not { } a || to is not { } b || b.Total <= a.Total) return CpuShares.Unknown;
        double total = b.Total - a.Total;
        var bench = (b.Bench - a.Bench) / total;
        var server = serverPid is null ? double.NaN : (b.Server - a.Server) / total;
        var others = (b.Busy - a.Busy) / total - bench - (double.IsNaN(server) ? 0 : server);
        return new CpuShares(bench, server, Math.Max(0, others));
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15; the name in parentheses may hold spaces).</summary>
    private static long ProcessTicks(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
