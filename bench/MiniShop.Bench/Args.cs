using System.Globalization;

namespace MiniShop.Bench;

/// <summary>The bench's command line: `--name value` pairs and `--flag` switches; the last occurrence of a name wins.</summary>
public sealed class Args(string[] args)
{
    public string? Value(string name)
    {
        var i = Array.LastIndexOf(args, name); // the last one wins: bench/run.sh passes --out before the caller's arguments
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public bool Flag(string name) => args.Contains(name);

    public double Seconds(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, int[] fallback) =>
        Value(name) is { } v ? v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : fallback;
}
