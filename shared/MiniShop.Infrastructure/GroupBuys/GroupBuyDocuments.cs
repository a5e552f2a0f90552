using System.Security.Cryptography;
using System.Text;
using MiniShop.Domain.Common;
using MiniShop.Domain.GroupBuys;

namespace MiniShop.Infrastructure.GroupBuys;

/// <summary>Settings section "GroupBuys". Production defaults; tests pass seconds.</summary>
public sealed class GroupBuyOptions
{
    public const string Section = "GroupBuys";

    /// <summary>The shortest group duration an operator may set (5 minutes). Activities default to 24 hours.</summary>
    public int MinGroupDurationSeconds { get; set; } = 300;

    /// <summary>
    /// After a group fails, how long past the last unpaid seat's payment deadline the group waits for a late payment to
    /// settle before refunding it (2 minutes), and the pause between further checks.
    /// </summary>
    public int SettleMarginSeconds { get; set; } = 120;

    /// <summary>How many times a failed group checks for seats that are still unpaid before it stops waiting (10).</summary>
    /// <summary>
    /// A joiner's seat whose order does not exist this long after the join belongs to a purchase that died before placing
    /// it; a join that finds the group full gives such seats back first (60 s; a checkout takes a second or two).
    /// </summary>
    public int SeatLeaseSeconds { get; set; } = 60;

    public int MaxSweeps { get; set; } = 10;
}

/// <summary>Ids in the group-buys container. A group id starts with its activity id, so a share link finds the partition.</summary>
public static class GroupBuyIds
{
    private const int SuffixLength = 16;

    public static string NewActivityId() => Ids.New("gb");

    /// <summary>Fixed by the opener and their Idempotency-Key: a retried "open" names the same group.</summary>
    public static string GroupIdFor(string activityId, string memberId, string idempotencyKey)
        => $"{activityId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{memberId}\u001f{idempotencyKey}")))[..SuffixLength]}";

    /// <summary>The activity a group id belongs to, or null when it is not a group id this API made.</summary>
    public static string? ActivityIdOf(string groupId)
    {
        var dash = groupId.LastIndexOf('-');
        if (dash < 1 || groupId.Length - dash - 1 != SuffixLength || groupId.Length > 128) return null;
        return groupId.AsSpan(dash + 1).ContainsAnyExcept("0123456789abcdef") ? null : groupId[..dash];
    }

    public static string TicketId(string groupId, string memberId) => $"gm:{groupId}:{memberId}";

    public static string QuotaId(string memberId) => $"quota:{memberId}";

    public const string StatsId = "stats";

    /// <summary>The refund of a member whose group failed: one per order, WeChat's out_refund_no (34 characters).</summary>
    public static string RefundId(string orderId) => "GB" + orderId;
}

/// <summary>What an activity came to so far; changed in the same batches as the groups.</summary>
public sealed record GroupBuyStats(
    string ActivityId,
    long GroupsOpened = 0,
    long GroupsSucceeded = 0,
    long GroupsFailed = 0,
    long OrdersSucceeded = 0,
    long UnitsSucceeded = 0,
    long OrdersRefunded = 0,
    long UnitsRefunded = 0)
{
    public string Id => GroupBuyIds.StatsId;

    public string Type => GroupBuyDocTypes.Stats;
}

/// <summary>
/// Held: the member has a live seat in the group under <see cref="GroupTicket.OrderId"/>. Released: that order's seat
/// ended (payment closed unpaid, or refunded). Void: the checkout failed, the order was never written, so the same
/// Idempotency-Key may take the seat again.
/// </summary>
public enum TicketStatus { Held, Released, Void }

/// <summary>
/// One member in one group (<c>gm:{groupId}:{memberId}</c>): creating it is what stops a member taking two seats in a
/// group, and it records the units the seat holds against the member's quota, so they go back exactly once.
/// </summary>
public sealed record GroupTicket(string Id, string ActivityId, string GroupId, string MemberId, string OrderId, int Quantity, TicketStatus Status, DateTimeOffset At)
{
    public string Type => GroupBuyDocTypes.Ticket;
}

/// <summary>A member's units in an activity (held or paid seats): the per-member limit is a conditional patch on it.</summary>
public sealed record GroupBuyQuota(string Id, string ActivityId, string MemberId, int Units)
{
    public string Type => GroupBuyDocTypes.Quota;
}
