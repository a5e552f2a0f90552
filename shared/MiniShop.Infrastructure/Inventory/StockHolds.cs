using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Infrastructure.Inventory;

/// <summary>
/// A campaign's own stock pool (e.g. flash-sale shards). Every call is idempotent per order, like the product reservations.
/// </summary>
public interface IActivityStock
{
    /// <summary>The <see cref="Order.StockSource"/> this pool serves.</summary>
    string Source { get; }

    Task HoldAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct);

    Task CommitAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct);

    Task ReleaseAsync(string orderId, ActivityRef activity, IReadOnlyList<StockRequest> lines, CancellationToken ct);
}

/// <summary>Holds, sells and releases an order's units in the right place: product stock or a campaign's pool.</summary>
public sealed class StockHolds(StockReservations products, IEnumerable<IActivityStock> pools)
{
    public Task HoldAsync(string orderId, string source, ActivityRef? activity, IReadOnlyList<StockRequest> lines, CancellationToken ct)
        => source == StockSources.Product ? products.ReserveAsync(orderId, lines, ct) : Pool(source).HoldAsync(orderId, activity!, lines, ct);

    public Task CommitAsync(Order order, CancellationToken ct)
        => order.StockSource == StockSources.Product
            ? products.CommitAsync(order.Id, Lines(order), ct)
            : Pool(order.StockSource).CommitAsync(order.Id, order.Activity!, Lines(order), ct);

    public Task ReleaseAsync(Order order, string reason, CancellationToken ct)
        => order.StockSource == StockSources.Product
            ? products.ReleaseAsync(order.Id, Lines(order), reason, ct)
            : Pool(order.StockSource).ReleaseAsync(order.Id, order.Activity!, Lines(order), ct);

    public Task ReleaseAsync(string orderId, string source, ActivityRef? activity, IReadOnlyList<StockRequest> lines, string reason, CancellationToken ct)
        => source == StockSources.Product ? products.ReleaseAsync(orderId, lines, reason, ct) : Pool(source).ReleaseAsync(orderId, activity!, lines, ct);

    public static IReadOnlyList<StockRequest> Lines(Order order) => order.Lines.Select(l => new StockRequest(l.ProductId, l.SkuId, l.Quantity)).ToList();

    private IActivityStock Pool(string source)
        => pools.FirstOrDefault(p => p.Source == source) ?? throw new InvalidOperationException($"No stock pool is registered for '{source}'.");
}

/// <summary>
/// A campaign's reaction to its orders being paid or closed (e.g. a group-buy order takes its seat). Must be idempotent:
/// the lifecycle may call it more than once.
/// </summary>
public interface IOrderActivityHooks
{
    string Kind { get; }

    Task OnPaidAsync(Order order, CancellationToken ct);

    Task OnClosedAsync(Order order, CancellationToken ct);

    /// <summary>
    /// Durable events to raise once the order's payment is settled (e.g. "group full" when this payment filled a group).
    /// Hooks run inside an activity, which has no Durable client: the payment lifecycle sends these. Computed from the
    /// stored state, so asking again is harmless. None by default.
    /// </summary>
    Task<IReadOnlyList<LifecycleSignal>> SignalsAfterPaidAsync(Order order, CancellationToken ct) => Task.FromResult<IReadOnlyList<LifecycleSignal>>([]);
}

public static class ActivityHookExtensions
{
    public static IOrderActivityHooks? For(this IEnumerable<IOrderActivityHooks> hooks, Order order)
        => order.Activity is null ? null : hooks.FirstOrDefault(h => h.Kind == order.Activity.Kind);
}
