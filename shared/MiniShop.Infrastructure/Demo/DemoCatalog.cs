using MiniShop.Domain.Catalog;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Infrastructure.Demo;

/// <summary>The demo data itself: a category tree and products with real SKU matrices, prices and stock.</summary>
public static class DemoCatalog
{
    public static IEnumerable<CategoryDraft> Categories() =>
    [
        new("apparel", null, "服装", 10, null),
        new("tops", "apparel", "上衣", 10, null),
        new("tshirts", "tops", "T恤", 10, null),
        new("shirts", "tops", "衬衫", 20, null),
        new("bottoms", "apparel", "下装", 20, null),
        new("jeans", "bottoms", "牛仔裤", 10, null),
        new("accessories", null, "配饰", 20, null),
        new("hats", "accessories", "帽子", 10, null),
        new("tea", null, "茶叶", 30, null),
        new("green-tea", "tea", "绿茶", 10, null),
        new("black-tea", "tea", "红茶", 20, null),
    ];

    public static IEnumerable<(string Id, ProductDraft Draft)> Products()
    {
        yield return ("prd-demo-tee", Matrix(DemoShopSeeder.ShopId, "纯棉圆领T恤", "精梳棉 · 四季百搭", ["tshirts"], ["新品", "纯棉"],
            [("尺码", ["S", "M", "L", "XL"]), ("颜色", ["白色", "黑色", "雾蓝"])], "TEE", 9900, 8900, 7900, tierAt3: 8500, stock: 40, grams: 220, barcodeBase: 6901234500000));
        yield return ("prd-demo-jeans", Matrix(DemoShopSeeder.ShopId, "直筒牛仔裤", "弹力修身 · 水洗工艺", ["jeans"], ["热卖"],
            [("腰围", ["28", "30", "32", "34"]), ("裤长", ["常规", "加长"])], "JEANS", 29900, 26900, 24900, tierAt3: null, stock: 25, grams: 650, barcodeBase: 6901234510000));
        yield return ("prd-demo-shirt", Matrix(DemoShopSeeder.ShopId, "牛津纺衬衫", "免烫 · 商务休闲", ["shirts"], ["新品"],
            [("尺码", ["M", "L", "XL"]), ("颜色", ["白色", "浅蓝"])], "SHIRT", 19900, 17900, 15900, tierAt3: null, stock: 30, grams: 300, barcodeBase: 6901234520000));
        yield return ("prd-demo-cap", Matrix(DemoShopSeeder.ShopId, "棒球帽", "可调节 · 刺绣logo", ["hats"], ["配饰", "热卖"],
            [("颜色", ["黑色", "卡其", "藏青"])], "CAP", 5900, 5500, 4900, tierAt3: 5000, stock: 100, grams: 120, barcodeBase: 6901234530000));
        yield return ("prd-demo-longjing", Matrix(DemoShopSeeder.TeaShopId, "明前龙井", "西湖产区 · 一级", ["green-tea"], ["新茶"],
            [("规格", ["100g", "250g"])], "LJ", 16800, 15800, 14800, tierAt3: 15000, stock: 60, grams: 150, barcodeBase: 6901234540000));
        yield return ("prd-demo-dahongpao", Matrix(DemoShopSeeder.TeaShopId, "武夷大红袍", "岩茶 · 中火", ["black-tea"], ["热卖"],
            [("规格", ["125g"])], "DHP", 23800, 21800, 19800, tierAt3: null, stock: 35, grams: 180, barcodeBase: 6901234550000));
    }

    /// <summary>A product with every combination of its spec values as a SKU; larger sizes cost a little more.</summary>
    private static ProductDraft Matrix(string shopId, string title, string subtitle, List<string> categories, List<string> tags,
        List<(string Name, string[] Values)> specs, string codePrefix, long list, long silver, long gold, long? tierAt3, long stock, int grams, long barcodeBase)
    {
        var combos = specs.Aggregate(new List<List<string>> { new() }, (acc, spec) => acc.SelectMany(c => spec.Values.Select(v => c.Append(v).ToList())).ToList());
        var skus = combos.Select((values, i) =>
        {
            var step = 500L * (Array.IndexOf(specs[0].Values, values[0]));
            return new SkuDraft(null, values, $"{codePrefix}-{i + 1:00}", (barcodeBase + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                list + step, new Dictionary<string, long> { ["L2"] = silver + step, ["L3"] = gold + step },
                tierAt3 is { } t ? [new TierPriceDraft(3, t + step)] : [], stock, true, grams);
        }).ToList();
        var seed = codePrefix.ToLowerInvariant();
        return new ProductDraft(shopId, title, subtitle, $"<p>{title}：{subtitle}</p>",
            [
                new MediaDraft(MediaKind.Image, $"https://picsum.photos/seed/{seed}-1/800", null),
                new MediaDraft(MediaKind.Image, $"https://picsum.photos/seed/{seed}-2/800", null),
                new MediaDraft(MediaKind.Video, $"https://media.example.com/{seed}.mp4", $"https://picsum.photos/seed/{seed}-poster/800"),
            ],
            categories, tags, specs.Select(s => new SpecDimensionDraft(s.Name, s.Values.ToList())).ToList(),
            [new ProductAttribute("产地", shopId == DemoShopSeeder.TeaShopId ? "中国福建/浙江" : "中国广东")], skus);
    }
}
