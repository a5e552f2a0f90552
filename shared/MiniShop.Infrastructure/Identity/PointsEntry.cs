namespace MiniShop.Infrastructure.Identity;

/// <summary>
/// One change to a member's points, written in the same batch as the change to the balance (member partition), with an
/// id that makes the change idempotent ("pts:{action}:{reference}"). The entries always sum to the balance.
/// </summary>
public sealed record PointsEntry(
    string Id,
    string MemberId,
    long AvailableDelta,
    long LockedDelta,
    string Reason,
    string? Reference,
    DateTimeOffset At)
{
    public string Type => MemberDocTypes.PointsEntry;

    public static string IdFor(string action, string reference) => $"pts:{action}:{reference}";
}
