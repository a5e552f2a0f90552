using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Payments;

/// <summary>Reads a payment order and its shop orders from the member's partition, with their ETags.</summary>
public sealed class PaymentDocuments(CosmosDb db)
{
    public Container Members => db.Container(CosmosSchema.Members);

    public async Task<Versioned<PaymentOrder>?> FindPaymentAsync(string memberId, string paymentOrderId, CancellationToken ct)
    {
        var found = await Members.ReadOrNullAsync<PaymentOrder>(paymentOrderId, memberId, ct);
        return found?.Value.Type == "payment-order" ? found : null;
    }

    public async Task<Versioned<PaymentOrder>> GetPaymentAsync(string memberId, string paymentOrderId, CancellationToken ct)
        => await FindPaymentAsync(memberId, paymentOrderId, ct) ?? throw new NotFoundException("Payment order", paymentOrderId);

    public async Task<List<Versioned<Order>>> OrdersAsync(string memberId, IEnumerable<string> orderIds, CancellationToken ct)
    {
        var result = new List<Versioned<Order>>();
        foreach (var id in orderIds)
            result.Add(await Members.ReadOrNullAsync<Order>(id, memberId, ct) ?? throw new NotFoundException("Order", id));
        return result;
    }

    public async Task<Versioned<Order>?> FindOrderAsync(string memberId, string orderId, CancellationToken ct)
    {
        var found = await Members.ReadOrNullAsync<Order>(orderId, memberId, ct);
        return found?.Value.Type == "order" ? found : null;
    }
}
