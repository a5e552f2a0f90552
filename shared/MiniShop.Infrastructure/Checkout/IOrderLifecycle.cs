using Microsoft.Extensions.Logging;
using MiniShop.Domain.Orders;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>
/// Starts the life of a placed payment order (payment timeout, cancellation, fulfilment). The Durable Functions
/// orchestration implements it; until then orders simply wait in PendingPayment.
/// </summary>
public interface IOrderLifecycle
{
    Task StartAsync(PaymentOrder payment, CancellationToken ct);
}

public sealed class DeferredOrderLifecycle(ILogger<DeferredOrderLifecycle> log) : IOrderLifecycle
{
    public Task StartAsync(PaymentOrder payment, CancellationToken ct)
    {
        log.LogInformation("Payment order {PaymentOrderId} placed; no lifecycle orchestration is registered", payment.Id);
        return Task.CompletedTask;
    }
}
