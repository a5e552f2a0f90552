using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.Orders;

public sealed record ShipRequest(string? Carrier, string? TrackingNumber);

/// <summary>
/// Order changes after payment: ship, confirm delivery, complete. Each applies the order's own guarded transition and
/// replaces the document on its ETag; repeating a change that already happened is a no-op, not an error.
/// </summary>
public sealed class OrderCommands(PaymentDocuments docs, TimeProvider time)
{
    public async Task<Order> ShipAsync(string memberId, string orderId, ShipRequest request, string actor, CancellationToken ct)
    {
        new Validator().Required(request.Carrier, "carrier", 40).Required(request.TrackingNumber, "trackingNumber", 64).ThrowIfInvalid();
        return await ChangeAsync(memberId, orderId, o => o.Status == OrderStatus.Shipped && o.Shipment?.TrackingNumber == request.TrackingNumber,
            o => o.Ship(time.GetUtcNow(), actor, request.Carrier!.Trim(), request.TrackingNumber!.Trim()), ct,
            shipped => OutboxEvent.ForOrder(OutboxEventTypes.OrderShipped, shipped, shipped.Shipment!.ShippedAt));
    }

    public Task<Order> ConfirmDeliveryAsync(string memberId, string orderId, string actor, string reason, CancellationToken ct)
        => ChangeAsync(memberId, orderId, o => o.Status is OrderStatus.Delivered or OrderStatus.Completed,
            o => o.ConfirmDelivery(time.GetUtcNow(), actor, reason), ct);

    public Task<Order> CompleteAsync(string memberId, string orderId, CancellationToken ct)
        => ChangeAsync(memberId, orderId, o => o.Status is OrderStatus.Completed or OrderStatus.Closed,
            o => o.Complete(time.GetUtcNow(), "system"), ct);

    /// <summary>Applies <paramref name="change"/> unless <paramref name="alreadyDone"/>; retries when someone else wrote in between.</summary>
    /// <param name="event">An integration event written in the same batch as the change (the outbox).</param>
    public async Task<Order> ChangeAsync(string memberId, string orderId, Func<Order, bool> alreadyDone, Func<Order, Order> change, CancellationToken ct,
        Func<Order, OutboxEvent>? @event = null)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var order = await docs.FindOrderAsync(memberId, orderId, ct) ?? throw new NotFoundException("Order", orderId);
            if (alreadyDone(order.Value)) return order.Value;
            var updated = change(order.Value);
            var batch = docs.Members.CreateTransactionalBatch(new PartitionKey(memberId))
                .ReplaceItem(orderId, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag });
            if (@event is not null) batch.CreateItem(@event(updated));
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return updated;
            if (response.StatusCode != System.Net.HttpStatusCode.PreconditionFailed)
                throw new InvalidOperationException($"Order change failed: {response.StatusCode} {response.ErrorMessage}");
        }
        throw new ConflictException("order_contended", "The order changed too often; retry.");
    }
}
