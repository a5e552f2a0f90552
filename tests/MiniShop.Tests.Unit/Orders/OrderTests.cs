using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;

namespace MiniShop.Tests.Unit.Orders;

public class OrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static Order NewOrder() => new("ord-1", "mbr-1", "shop-1", "pay-1", OrderStatus.PendingPayment, [],
        new OrderAmounts(10_000, 0, 0, 0, 800, 10_800), [], 0, new AddressSnapshot("n", "p", "440000", "广东", "深圳", "南山", "d", null), null,
        T0, T0.AddMinutes(30), [new OrderEvent(T0, "created", "mbr-1")], 1);

    [Fact]
    public void The_happy_path_records_every_step_on_the_timeline()
    {
        var order = NewOrder()
            .Pay(T0.AddMinutes(5), "wechatpay")
            .Ship(T0.AddHours(5), "op-1", "SF", "SF123")
            .ConfirmDelivery(T0.AddDays(2), "mbr-1", "received")
            .Complete(T0.AddDays(9), "system");

        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal(["created", "paid", "shipped", "delivered", "completed"], order.Timeline.Select(e => e.Action));
        Assert.Equal(5, order.Version);
        Assert.Equal("SF123", order.Shipment!.TrackingNumber);
        Assert.Equal((OrderStatus?)OrderStatus.AwaitingShipment, order.Timeline[1].To);
    }

    [Fact]
    public void Illegal_moves_are_conflicts_that_change_nothing()
    {
        var pending = NewOrder();
        Assert.Equal("order_state", Assert.Throws<ConflictException>(() => pending.Ship(T0, "op", "SF", "1")).Code);
        var cancelled = pending.Cancel(T0, "system", "not paid in time");
        Assert.Throws<ConflictException>(() => cancelled.Pay(T0, "wechatpay"));
        Assert.Throws<ConflictException>(() => cancelled.Close(T0, "system", "refund"));
        Assert.Equal(OrderStatus.PendingPayment, pending.Status);
    }

    [Fact]
    public void A_payment_is_paid_or_closed_once()
    {
        var payment = new PaymentOrder("pay-1", "mbr-1", ["ord-1"], 10_800, PaymentStatus.Pending, [], 0, T0, T0.AddMinutes(30), 1);
        var paid = payment.MarkPaid("tx-1", T0.AddMinutes(1));
        Assert.Equal(("tx-1", PaymentStatus.Paid, 2L), (paid.TransactionId, paid.Status, paid.Version));
        Assert.Throws<ConflictException>(() => paid.MarkPaid("tx-2", T0));
        Assert.Throws<ConflictException>(() => paid.Close(T0, "timeout"));
    }
}
