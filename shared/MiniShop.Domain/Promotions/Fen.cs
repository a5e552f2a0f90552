using System.Globalization;

namespace MiniShop.Domain.Promotions;

/// <summary>Money helpers. Every amount in the engine is a <see cref="long"/> number of fen (0.01 CNY).</summary>
public static class Fen
{
    /// <summary>Formats fen as yuan for messages, e.g. 2300 -> "¥23.00".</summary>
    public static string Format(long fen)
    {
        var sign = fen < 0 ? "-" : "";
        var abs = Int128.Abs(fen);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}¥{abs / 100}.{abs % 100:00}");
    }

    /// <summary>floor(value * numerator / denominator) for non-negative inputs, without overflow.</summary>
    internal static long MulDivFloor(long value, long numerator, long denominator) =>
        (long)((Int128)value * numerator / denominator);
}
