using MiniShop.Domain.Catalog;

namespace MiniShop.Tests.Unit.Catalog;

public class PricingAndTreeTests
{
    private static readonly Sku Sku = new("s1", [], "C", null, 10_000, new Dictionary<string, long> { ["L2"] = 9_000 },
        [new TierPrice(3, 9_500), new TierPrice(10, 8_000)], new SkuStock(5));

    [Theory]
    [InlineData(null, 1, 10_000)]
    [InlineData("L1", 1, 10_000)]
    [InlineData("L2", 1, 9_000)]
    [InlineData(null, 3, 9_500)]
    [InlineData("L2", 3, 9_000)]
    [InlineData("L2", 10, 8_000)]
    public void The_lowest_of_list_member_and_tier_price_applies(string? level, int quantity, long expected)
        => Assert.Equal(expected, SkuPricing.UnitPrice(Sku, level, quantity));

    [Fact]
    public void The_tree_nests_children_in_sort_order()
    {
        var now = DateTimeOffset.UnixEpoch;
        var tree = CategoryTree.Build(
        [
            new Category("b", null, "B", 2, null, [], 1, now),
            new Category("a", null, "A", 1, null, [], 1, now),
            new Category("a2", "a", "A2", 2, null, ["a"], 1, now),
            new Category("a1", "a", "A1", 1, null, ["a"], 1, now),
            new Category("a1x", "a1", "A1X", 1, null, ["a", "a1"], 1, now),
        ]);

        Assert.Equal(["a", "b"], tree.Select(n => n.Id));
        Assert.Equal(["a1", "a2"], tree[0].Children.Select(n => n.Id));
        Assert.Equal("a1x", Assert.Single(tree[0].Children[0].Children).Id);
    }
}
