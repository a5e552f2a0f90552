using MiniShop.Domain.Common;
using MiniShop.Domain.FlashSales;

namespace MiniShop.Infrastructure.FlashSales;

/// <summary>The answers a flash-sale buyer gets: stable codes a mini-program can show without parsing text.</summary>
public static class FlashSaleProblems
{
    public static ConflictException SoldOut(FlashSaleItem item, long? remaining) => new("sold_out",
        remaining is > 0 ? $"Only {remaining} unit(s) of this flash-sale item are left." : "This flash-sale item is sold out.")
    {
        Extensions = new Dictionary<string, object?> { ["itemId"] = item.Id, ["remaining"] = remaining ?? 0 },
    };

    public static ConflictException LimitReached(FlashSaleItem item, long bought) => new("limit_reached",
        $"Each member may buy at most {item.PerMemberLimit} of this flash-sale item; you already have {bought}.")
    {
        Extensions = new Dictionary<string, object?> { ["itemId"] = item.Id, ["limit"] = item.PerMemberLimit, ["bought"] = bought },
    };

    public static ConflictException NotRunning(FlashSaleSession session, DateTimeOffset now)
    {
        var phase = session.PhaseAt(now);
        var detail = phase switch
        {
            FlashSalePhase.Upcoming => $"This flash sale starts at {session.StartsAt:u}.",
            FlashSalePhase.Paused => "This flash sale is paused.",
            FlashSalePhase.Ended => "This flash sale has ended.",
            _ => "This flash sale is not open for orders right now.",
        };
        return new ConflictException("flash_sale_not_running", detail)
        {
            Extensions = new Dictionary<string, object?> { ["phase"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(phase.ToString()), ["startsAt"] = session.StartsAt },
        };
    }
}
