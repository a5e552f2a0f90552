using System.Globalization;

namespace MiniShop.Domain.Common;

/// <summary>Money is integer fen (1 yuan = 100 fen). Helpers for the few places that show yuan to people.</summary>
public static class Money
{
    public static string Yuan(long fen)
        => (fen < 0 ? "-" : "") + "¥" + (Math.Abs(fen) / 100).ToString(CultureInfo.InvariantCulture) + "." + (Math.Abs(fen) % 100).ToString("00", CultureInfo.InvariantCulture);
}
