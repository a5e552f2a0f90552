using MiniShop.Domain.Promotions;
using static MiniShop.Tests.Unit.Promotions.Build;

namespace MiniShop.Tests.Unit.Promotions;

public class AllocationTests
{
    [Fact]
    public void Leftover_fen_go_to_the_largest_remainders_then_to_earlier_lines()
    {
        Assert.Equal([34L, 33L, 33L], DiscountAllocator.Allocate(100, [100, 100, 100]));
        Assert.Equal([1L, 1L, 0L], DiscountAllocator.Allocate(2, [1, 1, 1]));
        Assert.Equal([1L, 2L], DiscountAllocator.Allocate(3, [100, 200]));
        Assert.Equal([0L, 3L, 7L], DiscountAllocator.Allocate(10, [0, 333, 667]));
    }

    [Fact]
    public void Full_discount_takes_each_line_exactly()
    {
        Assert.Equal([5L, 0L, 7L], DiscountAllocator.Allocate(12, [5, 0, 7]));
    }

    [Fact]
    public void Rejects_a_discount_above_the_total()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscountAllocator.Allocate(13, [5, 7]));
    }

    [Fact]
    public void Random_allocations_add_up_stay_within_lines_and_stay_proportional()
    {
        var random = new Random(20250601);
        for (var run = 0; run < 5_000; run++)
        {
            var amounts = Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4) == 0 ? 0L : random.NextInt64(1, 1_000_000_000_000)).ToArray();
            var total = amounts.Sum();
            var discount = random.NextInt64(0, total + 1);

            var shares = DiscountAllocator.Allocate(discount, amounts);

            Assert.Equal(discount, shares.Sum());
            for (var i = 0; i < amounts.Length; i++)
            {
                Assert.InRange(shares[i], 0, amounts[i]);
                var exactFloor = total == 0 ? 0 : (long)((Int128)discount * amounts[i] / total);
                Assert.InRange(shares[i], exactFloor, exactFloor + 1);
            }
        }
    }

    [Fact]
    public void Engine_allocates_each_discount_exactly_over_its_lines()
    {
        var result = Price(Request(
            [Line("a", "s1", 3_333), Line("b", "s1", 3_333), Line("c", "s2", 3_334)],
            [FullReduction("pfr", null, (10_000, 1_001))],
            [AmountCoupon("c1", "s1", 1_000)]));

        var all = result.Shops.SelectMany(s => s.Lines).SelectMany(l => l.Allocations).ToList();
        Assert.Equal(1_001, all.Where(a => a.SourceId == "pfr").Sum(a => a.AmountFen));
        Assert.Equal(1_000, all.Where(a => a.SourceId == "c1").Sum(a => a.AmountFen));
        Assert.Equal([334L, 333L, 334L], result.Shops.SelectMany(s => s.Lines).Select(l => l.Allocations.First(a => a.SourceId == "pfr").AmountFen));
    }
}
