using Microsoft.Azure.Cosmos;

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

public static class PointsBatch
{
    /// <summary>
    /// Adds to a member-partition batch the move of <paramref name="available"/> / <paramref name="locked"/> points and its
    /// ledger entry. The patch only applies while enough points are there, and the entry's fixed id makes a repeat fail.
    /// </summary>
    public static TransactionalBatch MovePoints(this TransactionalBatch batch, string memberId, string action, string reference, long available, long locked,
        string reason, DateTimeOffset at)
    {
        var guard = available < 0 ? $"FROM c WHERE c.points.available >= {-available}" : $"FROM c WHERE c.points.locked >= {-locked}";
        return batch
            .CreateItem(new PointsEntry(PointsEntry.IdFor(action, reference), memberId, available, locked, reason, reference, at))
            .PatchItem(memberId, [PatchOperation.Increment("/points/available", available), PatchOperation.Increment("/points/locked", locked)],
                new TransactionalBatchPatchItemRequestOptions { FilterPredicate = guard });
    }

    /// <summary>Holds points for an unpaid payment (available -> locked).</summary>
    public static TransactionalBatch LockPoints(this TransactionalBatch batch, string memberId, string paymentOrderId, long points, string reason, DateTimeOffset at)
        => batch.MovePoints(memberId, "lock", paymentOrderId, -points, points, reason, at);
}
