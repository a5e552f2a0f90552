using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Payments;

/// <summary>out_trade_no or "refund:{out_refund_no}" -> the member partition that holds the payment or refund.</summary>
public sealed record PaymentIndexEntry(string Id, string MemberId, string Kind, string? OrderId = null, string? RefundId = null);

/// <summary>
/// WeChat Pay notifications name only our payment and refund numbers; this index finds the member partition in one point
/// read. Entries are written before the documents they point to, so a notification never finds a document unindexed.
/// </summary>
public sealed class PaymentIndex(CosmosDb db)
{
    public static string RefundKey(string refundId) => $"refund:{refundId}";

    public Task RecordPaymentAsync(string paymentOrderId, string memberId, CancellationToken ct)
        => db.Container(CosmosSchema.PaymentIndex).UpsertItemAsync(new PaymentIndexEntry(paymentOrderId, memberId, "payment"), new(paymentOrderId), cancellationToken: ct);

    /// <param name="refundId">For a part of a refund (its own out_refund_no): the refund it belongs to.</param>
    public Task RecordRefundAsync(string outRefundNo, string memberId, string orderId, CancellationToken ct, string? refundId = null)
        => db.Container(CosmosSchema.PaymentIndex).UpsertItemAsync(new PaymentIndexEntry(RefundKey(outRefundNo), memberId, "refund", orderId, refundId ?? outRefundNo),
            new(RefundKey(outRefundNo)), cancellationToken: ct);

    public async Task<PaymentIndexEntry?> FindAsync(string key, CancellationToken ct)
        => (await db.Container(CosmosSchema.PaymentIndex).ReadOrNullAsync<PaymentIndexEntry>(key, key, ct))?.Value;
}
