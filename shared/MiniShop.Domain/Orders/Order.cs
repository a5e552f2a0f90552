using MiniShop.Domain.Common;

namespace MiniShop.Domain.Orders;

public enum OrderStatus { PendingPayment, AwaitingGroup, AwaitingBalance, AwaitingShipment, Shipped, Delivered, Completed, Cancelled, Closed }

/// <summary>The campaign an order belongs to (flash sale, group buy, presale); null for a plain order.</summary>
public sealed record ActivityRef(string Kind, string ActivityId, string? GroupId = null)
{
    public const string FlashSale = "flashSale";
    public const string GroupBuy = "groupBuy";
    public const string Presale = "presale";
}

/// <summary>Where an order's units are held: the product's own stock, or a campaign's pool (e.g. flash-sale shards).</summary>
public static class StockSources
{
    public const string Product = "product";
}

/// <summary>One discount's share carried by a line, kept so a partial refund returns exactly what was paid for it.</summary>
public sealed record OrderLineDiscount(string SourceId, string Kind, string Level, long AmountFen);

public sealed record OrderLine(
    string LineId,
    string ProductId,
    string SkuId,
    string SkuCode,
    string Title,
    IReadOnlyList<string> SpecValues,
    string? CoverUrl,
    int Quantity,
    long UnitPriceFen,
    string PriceRule,
    long LineAmountFen,
    IReadOnlyList<OrderLineDiscount> Discounts,
    long PayableFen);

/// <summary>goods - shop discounts - platform discount share - points share + shipping = payable.</summary>
public sealed record OrderAmounts(long GoodsFen, long ShopDiscountFen, long PlatformDiscountFen, long PointsDeductionFen, long ShippingFen, long PayableFen);

/// <summary>The delivery address as it was at checkout; personal fields stay encrypted in the document.</summary>
public sealed record AddressSnapshot(
    string RecipientEncrypted, string PhoneEncrypted, string ProvinceCode, string Province, string City, string District, string DetailEncrypted, string? PostalCode);

/// <summary>One entry of an order's timeline: what happened, when, who did it and why.</summary>
public sealed record OrderEvent(DateTimeOffset At, string Action, string Actor, string? Reason = null, OrderStatus? From = null, OrderStatus? To = null);

public sealed record Shipment(string Carrier, string TrackingNumber, DateTimeOffset ShippedAt);

/// <summary>One step of a parcel's journey as the carrier or WMS reports it (in transit, out for delivery, delivered...).</summary>
public sealed record LogisticsEvent(DateTimeOffset At, string Status, string Description, string? Location = null);

/// <summary>
/// A presale order's two payments: the deposit (which may count for more, 定金膨胀) and the balance due in a window.
/// Refunds after the balance take from both payments in proportion to what each paid.
/// </summary>
public sealed record PresaleTerms(
    string PresaleId,
    long DepositFen,
    long DepositValueFen,
    DateTimeOffset BalanceStartsAt,
    DateTimeOffset BalanceEndsAt,
    bool DepositRefundable,
    string DepositPaymentOrderId,
    string? BalancePaymentOrderId = null,
    long? BalanceFen = null);

/// <summary>
/// A shop's order. It guards its own transitions: every change goes through a method that checks the current
/// status, records a timeline entry and bumps the version; an illegal move is a 409, never a silent overwrite.
/// </summary>
public sealed record Order(
    string Id,
    string MemberId,
    string ShopId,
    string PaymentOrderId,
    OrderStatus Status,
    IReadOnlyList<OrderLine> Lines,
    OrderAmounts Amounts,
    IReadOnlyList<string> CouponIds,
    long PointsUsed,
    AddressSnapshot Address,
    string? Remark,
    DateTimeOffset CreatedAt,
    DateTimeOffset PaymentDueAt,
    IReadOnlyList<OrderEvent> Timeline,
    long Version,
    DateTimeOffset? PaidAt = null,
    Shipment? Shipment = null,
    DateTimeOffset? DeliveredAt = null,
    DateTimeOffset? CompletedAt = null,
    ActivityRef? Activity = null,
    string StockSource = StockSources.Product,
    PresaleTerms? Presale = null,
    IReadOnlyList<LogisticsEvent>? Logistics = null,
    DateTimeOffset? ShippingInfoUploadedAt = null)
{
    public string Type => "order";

    /// <summary>Creation time as a number, for ordering and keyset paging in queries.</summary>
    public long CreatedAtTs => CreatedAt.ToUnixTimeMilliseconds();

    /// <summary>Paid: ready to ship; a group-buy order waits until its group is full; a presale deposit waits for the balance.</summary>
    public Order Pay(DateTimeOffset at, string actor)
    {
        var next = Activity?.Kind switch
        {
            ActivityRef.GroupBuy => OrderStatus.AwaitingGroup,
            ActivityRef.Presale => OrderStatus.AwaitingBalance,
            _ => OrderStatus.AwaitingShipment,
        };
        return Move(OrderStatus.PendingPayment, next, at, Presale is null ? "paid" : "deposit paid", actor, null) with { PaidAt = at };
    }

    /// <summary>A presale balance paid: the lines now carry what was paid for them in total (deposit + balance).</summary>
    public Order PayBalance(DateTimeOffset at, string actor, string balancePaymentId, long balanceFen, IReadOnlyList<OrderLine> lines, OrderAmounts amounts)
    {
        if (Presale is null) throw new ConflictException("order_state", "Only a presale order has a balance.");
        return Move(OrderStatus.AwaitingBalance, OrderStatus.AwaitingShipment, at, "balance paid", actor, Money.Yuan(balanceFen)) with
        {
            Lines = lines, Amounts = amounts, Presale = Presale with { BalancePaymentOrderId = balancePaymentId, BalanceFen = balanceFen },
        };
    }

    /// <summary>The balance window closed unpaid: the deposit is forfeited (or refunded when the presale says so).</summary>
    public Order ForfeitDeposit(DateTimeOffset at, bool refunded)
        => Move(OrderStatus.AwaitingBalance, OrderStatus.Closed, at, refunded ? "deposit refunded" : "deposit forfeited", "system", "balance not paid in time");

    /// <summary>The group filled: the order goes on to shipment.</summary>
    public Order GroupSucceeded(DateTimeOffset at) => Move(OrderStatus.AwaitingGroup, OrderStatus.AwaitingShipment, at, "group formed", "system", null);

    public Order Cancel(DateTimeOffset at, string actor, string reason) => Move(OrderStatus.PendingPayment, OrderStatus.Cancelled, at, "cancelled", actor, reason);

    public Order Ship(DateTimeOffset at, string actor, string carrier, string trackingNumber)
        => Move(OrderStatus.AwaitingShipment, OrderStatus.Shipped, at, "shipped", actor, $"{carrier} {trackingNumber}") with { Shipment = new Shipment(carrier, trackingNumber, at) };

    public Order ConfirmDelivery(DateTimeOffset at, string actor, string reason) => Move(OrderStatus.Shipped, OrderStatus.Delivered, at, "delivered", actor, reason) with { DeliveredAt = at };

    public Order Complete(DateTimeOffset at, string actor) => Move(OrderStatus.Delivered, OrderStatus.Completed, at, "completed", actor, null) with { CompletedAt = at };

    /// <summary>Closed after payment, when everything was refunded.</summary>
    public Order Close(DateTimeOffset at, string actor, string reason)
    {
        if (Status is OrderStatus.PendingPayment or OrderStatus.Cancelled or OrderStatus.Closed)
            throw new ConflictException("order_state", $"An order that is {Status} cannot be closed.");
        return Record(at, "closed", actor, reason, Status, OrderStatus.Closed);
    }

    /// <summary>Adds carrier updates to the parcel's trace; an update already there (same time and status) is not added twice.</summary>
    public Order Track(IEnumerable<LogisticsEvent> events)
    {
        var trace = (Logistics ?? []).ToList();
        var added = events.Where(e => !trace.Any(t => t.At == e.At && t.Status == e.Status)).ToList();
        if (added.Count == 0) return this;
        return this with { Logistics = [.. trace.Concat(added).OrderBy(e => e.At)], Version = Version + 1 };
    }

    /// <summary>A timeline entry that changes no status (e.g. a refund requested, a logistics update).</summary>
    public Order Note(DateTimeOffset at, string action, string actor, string? reason) => this with
    {
        Timeline = [.. Timeline, new OrderEvent(at, action, actor, reason)], Version = Version + 1,
    };

    private Order Move(OrderStatus from, OrderStatus to, DateTimeOffset at, string action, string actor, string? reason)
    {
        if (Status != from) throw new ConflictException("order_state", $"The order is {Status}; it must be {from} to be {action}.");
        return Record(at, action, actor, reason, from, to);
    }

    private Order Record(DateTimeOffset at, string action, string actor, string? reason, OrderStatus from, OrderStatus to) => this with
    {
        Status = to, Timeline = [.. Timeline, new OrderEvent(at, action, actor, reason, from, to)], Version = Version + 1,
    };
}
