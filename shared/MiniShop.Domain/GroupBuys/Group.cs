namespace MiniShop.Domain.GroupBuys;

/// <summary>A group is open until one conditional write decides it: succeeded (full, or virtually) or failed.</summary>
public enum GroupStatus { Open, Succeeded, Failed }

/// <summary>
/// A seat: held from the moment its order is placed, paid when the order is paid, released when the order's payment
/// closes unpaid, refunded when the group failed and the member's money went back.
/// </summary>
public enum SeatStatus { Held, Paid, Released, Refunded }

/// <summary>Why a group was decided: it filled, it was short of at most the allowed members at its deadline, or it expired.</summary>
public static class GroupOutcomes
{
    public const string Full = "full";
    public const string Virtual = "virtual";
    public const string Expired = "expired";
}

/// <summary>One member's seat. Only masked display data is kept: the group is shown publicly.</summary>
public sealed record GroupSeat(
    string MemberId,
    string OrderId,
    string SkuId,
    int Quantity,
    bool Leader,
    SeatStatus Status,
    string DisplayName,
    string? AvatarUrl,
    DateTimeOffset JoinedAt,
    DateTimeOffset PayBy,
    DateTimeOffset? PaidAt = null);

/// <summary>
/// One group of an activity (type "group", partition = the activity id). <see cref="Taken"/> counts held and paid seats
/// (what a join checks against <see cref="Size"/>), <see cref="Paid"/> the paid ones. Seats are only ever appended, so a
/// seat's index is stable and conditional patches can address it.
/// </summary>
public sealed record Group(
    string Id,
    string ActivityId,
    string ShopId,
    string ProductId,
    string LeaderMemberId,
    int Size,
    int? VirtualSuccessMaxMissing,
    GroupStatus Status,
    int Taken,
    int Paid,
    int PaidUnits,
    IReadOnlyList<GroupSeat> Seats,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    string? Outcome = null,
    DateTimeOffset? DecidedAt = null)
{
    public string Type => GroupBuyDocTypes.Group;

    public long ExpiresAtTs => ExpiresAt.ToUnixTimeSeconds();

    public int SeatsLeft => Math.Max(0, Size - Taken);

    public bool IsJoinableAt(DateTimeOffset now) => Status == GroupStatus.Open && now < ExpiresAt;

    public int IndexOfOrder(string orderId)
    {
        for (var i = 0; i < Seats.Count; i++)
            if (Seats[i].OrderId == orderId) return i;
        return -1;
    }

    /// <summary>
    /// What the group becomes now. Full (every seat paid) always succeeds while open; at the deadline a group short of at
    /// most <see cref="VirtualSuccessMaxMissing"/> paid members succeeds virtually, any other fails. Before the deadline a
    /// group that is not full stays open. The caller writes the result conditionally on <see cref="GroupDecision.Guard"/>.
    /// </summary>
    public GroupDecision Decide(bool expired)
    {
        if (Status != GroupStatus.Open) return new GroupDecision(Status, Outcome, null);
        if (Paid >= Size) return new GroupDecision(GroupStatus.Succeeded, GroupOutcomes.Full, Paid);
        if (!expired) return new GroupDecision(GroupStatus.Open, null, null);
        if (VirtualSuccessMaxMissing is { } k && Paid >= 1 && Paid >= Size - k) return new GroupDecision(GroupStatus.Succeeded, GroupOutcomes.Virtual, Paid);
        return new GroupDecision(GroupStatus.Failed, GroupOutcomes.Expired, Paid);
    }
}

/// <summary>A decision and the paid count it was made on (null when nothing changes): written only if that count still holds.</summary>
public sealed record GroupDecision(GroupStatus Status, string? Outcome, int? Guard);
