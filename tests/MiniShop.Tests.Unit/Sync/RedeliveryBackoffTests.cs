using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Unit.Sync;

public class RedeliveryBackoffTests
{
    [Fact]
    public void The_wait_doubles_per_delivery_up_to_the_cap_so_ten_deliveries_span_minutes()
    {
        var options = new SyncOptions { RedeliveryBackoffMaxSeconds = 30 };
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30, 30, 30], Enumerable.Range(1, 10).Select(n => options.RedeliveryBackoff(n).TotalSeconds));
        Assert.Equal(151, Enumerable.Range(1, 9).Sum(n => options.RedeliveryBackoff(n).TotalSeconds)); // before the 10th and last delivery
        Assert.Equal(181, Enumerable.Range(1, 10).Sum(n => options.RedeliveryBackoff(n).TotalSeconds)); // until it is dead-lettered
        Assert.Equal(TimeSpan.FromSeconds(1), options.RedeliveryBackoff(0)); // a count Service Bus never sends
        Assert.Equal(TimeSpan.FromSeconds(30), options.RedeliveryBackoff(int.MaxValue));
        Assert.Equal(TimeSpan.Zero, new SyncOptions { RedeliveryBackoffMaxSeconds = 0 }.RedeliveryBackoff(5));
    }
}
