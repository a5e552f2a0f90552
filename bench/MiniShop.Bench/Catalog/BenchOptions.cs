using System.Globalization;

namespace MiniShop.Bench;

public sealed record BenchOptions(TimeSpan Duration, TimeSpan WarmUp, int Rounds, int ExtraProducts, int[] Clients, int LaterPage)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.LastIndexOf(args, name); // the last one wins: bench/run.sh passes --out before the caller's arguments
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        double Seconds(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var clients = Value("--clients") is { } c ? c.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [1, 32];
        if (clients.Any(n => n is < 1 or > 256)) throw new ArgumentException("--clients: each value must be 1-256.");
        var laterPage = Value("--later-page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 8;
        if (laterPage < 2) throw new ArgumentException("--later-page must be 2 or more.");
        return new BenchOptions(
            TimeSpan.FromSeconds(Seconds("--duration", 6)),
            TimeSpan.FromSeconds(Seconds("--warmup", 2)),
            Value("--rounds") is { } r ? Math.Max(1, int.Parse(r, CultureInfo.InvariantCulture)) : 3,
            Value("--extra") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : 500,
            clients, laterPage);
    }
}

/// <summary>One read, made through the API and straight on Cosmos. Each delegate gets the worker index and its Random.</summary>
public sealed record Operation(string Name, string ApiCall, string DirectCall, Func<int, Random, Task> Api, Func<int, Random, Task> Direct);

public sealed record Row(Operation Operation, CellResult Direct, CellResult Api, CpuShares Cpu);

public sealed record ReportContext(int Products, int ApparelProducts, TimeSpan Seeding, TimeSpan Measured, string LoadAverageBefore, CpuShares Cpu);
