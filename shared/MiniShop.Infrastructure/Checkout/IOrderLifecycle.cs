using MiniShop.Domain.Orders;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>
/// Starts the life of a placed payment order (payment deadline, cancellation, fulfilment): the Durable orchestration
/// behind <see cref="Orders.Lifecycle.OrderLifecycleClient"/>. Passed in by the caller, who holds the bound Durable client.
/// </summary>
public interface IOrderLifecycle
{
    Task StartAsync(PaymentOrder payment, CancellationToken ct);
}
