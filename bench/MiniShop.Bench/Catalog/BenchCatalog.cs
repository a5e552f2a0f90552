using System.Globalization;
using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Demo;

namespace MiniShop.Bench;

/// <summary>
/// Extra published products on top of the demo shop, so lists have many pages and point reads hit many documents.
/// Deterministic (fixed seed): every run gets the same catalog. Products are written through
/// <see cref="ProductAdminService"/> like an operator's, so the documents, claims and cards are the app's own.
/// </summary>
public static class BenchCatalog
{
    // Leaf categories of the demo tree; apparel ones get most products, so the apparel list is long.
    private static readonly (string Category, string ShopId, string Noun, int Weight)[] Kinds =
    [
        ("tshirts", DemoShopSeeder.ShopId, "T恤", 25),
        ("shirts", DemoShopSeeder.ShopId, "衬衫", 20),
        ("jeans", DemoShopSeeder.ShopId, "牛仔裤", 15),
        ("hats", DemoShopSeeder.ShopId, "帽子", 15),
        ("green-tea", DemoShopSeeder.TeaShopId, "绿茶", 13),
        ("black-tea", DemoShopSeeder.TeaShopId, "红茶", 12),
    ];

    private static readonly string[] Adjectives = ["经典", "轻薄", "加厚", "复古", "基础款", "宽松", "修身", "限定", "日常", "通勤"];
    private static readonly string[] Colors = ["白色", "黑色", "雾蓝", "卡其", "藏青", "燕麦", "橄榄绿", "酒红"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL", "XXL"];
    private static readonly string[] Weights = ["50g", "100g", "250g", "500g"];
    private static readonly string[] Tags = ["新品", "热卖", "纯棉", "包邮", "限时", "爆款"];

    public static IEnumerable<(string Id, ProductDraft Draft)> Products(int count)
    {
        var random = new Random(20240501);
        var totalWeight = Kinds.Sum(k => k.Weight);
        for (var n = 0; n < count; n++)
        {
            var roll = random.Next(totalWeight);
            var kind = Kinds.First(k => (roll -= k.Weight) < 0);
            yield return ($"prd-bench-{n:0000}", Draft(n, kind, random));
        }
    }

    /// <summary>How many of <paramref name="count"/> products are filed under apparel (for the expected page count).</summary>
    public static int ApparelCount(int count) => Products(count).Count(p => p.Draft.CategoryIds!.Any(c => c is "tshirts" or "shirts" or "jeans"));

    private static ProductDraft Draft(int n, (string Category, string ShopId, string Noun, int Weight) kind, Random random)
    {
        var isTea = kind.ShopId == DemoShopSeeder.TeaShopId;
        var title = $"{Adjectives[random.Next(Adjectives.Length)]}{kind.Noun} {n:000}";
        List<(string Name, string[] Values)> specs = isTea
            ? [("规格", Pick(Weights, random.Next(1, Weights.Length + 1), random))]
            : kind.Category == "hats"
                ? [("颜色", Pick(Colors, random.Next(2, 5), random))]
                : [("尺码", Pick(Sizes, random.Next(2, Sizes.Length + 1), random)), ("颜色", Pick(Colors, random.Next(1, 4), random))];
        var combos = specs.Aggregate(new List<List<string>> { new() }, (acc, spec) => acc.SelectMany(c => spec.Values.Select(v => c.Append(v).ToList())).ToList());

        // Prices from 19.00 to 599.00 yuan in whole yuan, so sorting by price has many distinct values (and some ties).
        var list = (random.Next(19, 600) * 100L);
        var skus = combos.Select((values, i) =>
        {
            var step = 500L * Array.IndexOf(specs[0].Values, values[0]);
            return new SkuDraft(null, values, $"B{n:0000}-{i + 1:00}", (6905000000000L + n * 100L + i).ToString(CultureInfo.InvariantCulture),
                list + step, new Dictionary<string, long> { ["L2"] = list * 95 / 100 + step, ["L3"] = list * 9 / 10 + step },
                random.Next(3) == 0 ? [new TierPriceDraft(3, list * 85 / 100 + step)] : [], random.Next(0, 200), true, random.Next(100, 800));
        }).ToList();

        var seed = $"bench-{n}";
        return new ProductDraft(kind.ShopId, title, $"{kind.Noun} · 第{n % 7 + 1}季", $"<p>{title}</p><p>{string.Join("，", specs.Select(s => s.Name))}可选。</p>",
            [
                new MediaDraft(MediaKind.Image, $"https://picsum.photos/seed/{seed}-1/800", null),
                new MediaDraft(MediaKind.Image, $"https://picsum.photos/seed/{seed}-2/800", null),
                new MediaDraft(MediaKind.Image, $"https://picsum.photos/seed/{seed}-3/800", null),
            ],
            [kind.Category], Pick(Tags, random.Next(0, 3), random).ToList(),
            specs.Select(s => new SpecDimensionDraft(s.Name, s.Values.ToList())).ToList(),
            [new ProductAttribute("产地", isTea ? "中国福建/浙江" : "中国广东"), new ProductAttribute("货号", $"B{n:0000}")], skus);
    }

    private static string[] Pick(string[] from, int count, Random random)
        => from.OrderBy(_ => random.Next()).Take(count).ToArray();
}
