using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Addresses;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Promotions;
using MiniShop.Infrastructure.Addresses;
using MiniShop.Infrastructure.Cart;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Coupons;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Marketing;
using EngineTier = MiniShop.Domain.Promotions.TierPrice;

namespace MiniShop.Infrastructure.Checkout;

/// <summary>Everything a priced checkout knows, for the preview and for placing the orders.</summary>
public sealed record PricedCheckout(
    IReadOnlyList<CheckoutLine> Lines,
    IReadOnlyDictionary<string, Product> Products,
    MemberDocument Member,
    Address? Address,
    IReadOnlyDictionary<string, WalletCoupon> Wallet,
    IReadOnlyDictionary<string, string> PromotionNames,
    IReadOnlyDictionary<string, string> ShopNames,
    PricingResult Pricing,
    bool FromCart,
    CheckoutActivity? Activity = null);

/// <summary>
/// Prices a checkout on the server from current data: products, stock, the member's level and points, the wallet,
/// active promotions, shipping templates. A client total is never trusted. Bad input is a 4xx naming the cause.
/// </summary>
public sealed class CheckoutPricer(
    CosmosDb db,
    CartStore cart,
    AddressBook addresses,
    CouponWallet wallet,
    MarketingCatalog marketing,
    CategoryStore categories,
    ShopStore shops,
    IPricingEngine engine,
    TimeProvider time)
{
    public const int MaxLines = 100;

    public async Task<PricedCheckout> PriceAsync(string memberId, CheckoutRequest request, PricingOptions options, CancellationToken ct)
    {
        var activity = options.Activity;
        var now = time.GetUtcNow();
        var fromCart = request.Items is null;
        var lines = fromCart ? await CartLinesAsync(memberId, ct) : ItemLines(request.Items!);
        var products = await ProductsAsync(lines, ct);
        ValidateLines(lines, products, checkProductStock: options.CheckStock && (activity is null || activity.StockSource == Domain.Orders.StockSources.Product));

        var member = (await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(memberId, memberId, ct))?.Value
                     ?? throw new NotFoundException("Member", memberId);
        var address = options.ProvinceOverride is null ? await AddressAsync(memberId, request.AddressId, options.AddressRequired, ct) : null;
        var usable = await wallet.UsableAsync(memberId, now, ct);
        await ValidatePinnedCouponsAsync(memberId, request.CouponIds, usable, ct);

        var shopIds = lines.Select(l => products[l.ProductId].ShopId).Distinct().ToList();
        var promotions = await marketing.ActivePromotionsAsync(shopIds, now, ct);
        var promotionNames = (await marketing.ActiveDefinitionsAsync(shopIds, now, ct)).ToDictionary(d => d.Id, d => d.Name);
        var tree = (await categories.ListAsync(ct)).ToDictionary(c => c.Id);
        var pricingRequest = new PricingRequest(
            lines.Select(l => EngineLine(l, products[l.ProductId], tree) with { Activity = activity?.PricesBySku.GetValueOrDefault(l.SkuId) }).ToList(),
            new MemberProfile(member.LevelId, member.Points?.Available ?? 0),
            promotions,
            usable.Select(c => c.ToEngineCoupon()).ToList(),
            now)
        {
            PinnedCouponIds = request.CouponIds,
            Points = request.UsePoints == true ? new PointsRequest(request.MaxPoints) : null,
            PointsPolicy = await marketing.PointsPolicyAsync(ct),
            ShippingTemplates = activity?.NoShipping == true ? [] : await marketing.ShippingTemplatesAsync(shopIds, ct),
            DestinationProvinceCode = options.ProvinceOverride ?? address?.ProvinceCode,
            Stacking = await marketing.StackingPolicyAsync(ct),
        };

        PricingResult pricing;
        try { pricing = engine.Price(pricingRequest); }
        catch (PricingInputException e) { throw ValidationException.For(e.Field, e.Message); }

        var shopNames = new Dictionary<string, string>();
        foreach (var id in shopIds) shopNames[id] = (await shops.FindAsync(id, ct))?.Name ?? id;
        return new PricedCheckout(lines, products, member, address, usable.ToDictionary(c => c.Id),
            promotionNames, shopNames, pricing, fromCart, activity);
    }

    private async Task<List<CheckoutLine>> CartLinesAsync(string memberId, CancellationToken ct)
    {
        var current = await cart.GetAsync(memberId, ct);
        var selected = current.Lines.Where(l => l.Selected).ToList();
        if (selected.Count == 0) throw ValidationException.For("items", "select at least one cart line, or send the items to buy.");
        return selected.Select((l, i) => new CheckoutLine(l.LineId, l.ProductId, l.SkuId, l.Quantity, $"cart.lines[{l.LineId}]")).ToList();
    }

    private static List<CheckoutLine> ItemLines(List<CheckoutItem> items)
    {
        var v = new Validator();
        v.Check(items.Count is > 0 and <= MaxLines, "items", $"between 1 and {MaxLines} items.");
        for (var i = 0; i < items.Count; i++)
        {
            v.Required(items[i]?.ProductId, $"items[{i}].productId", 64);
            v.Required(items[i]?.SkuId, $"items[{i}].skuId", 64);
            v.Check(items[i]?.Quantity is > 0, $"items[{i}].quantity", "must be 1 or more.");
        }
        var duplicates = items.Where(i => i?.SkuId is not null).GroupBy(i => i.SkuId).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var sku in duplicates) v.Add("items", $"SKU '{sku}' appears more than once; send one line with the total quantity.");
        v.ThrowIfInvalid();
        return items.Select((item, i) => new CheckoutLine($"l{i + 1}", item.ProductId!, item.SkuId!, item.Quantity!.Value, $"items[{i}]")).ToList();
    }

    private async Task<Dictionary<string, Product>> ProductsAsync(IReadOnlyList<CheckoutLine> lines, CancellationToken ct)
    {
        var keys = lines.Select(l => l.ProductId).Distinct().Select(id => (id, new PartitionKey(id))).ToList();
        var response = await db.Container(CosmosSchema.Products).ReadManyItemsAsync<Product>(keys, cancellationToken: ct);
        return response.Resource.Where(p => p.Type == "product").ToDictionary(p => p.Id);
    }

    /// <summary>Every line must name a published product, an enabled SKU of it, a quantity within bounds and in stock.</summary>
    private static void ValidateLines(IReadOnlyList<CheckoutLine> lines, IReadOnlyDictionary<string, Product> products, bool checkProductStock)
    {
        var v = new Validator();
        foreach (var line in lines)
        {
            if (!products.TryGetValue(line.ProductId, out var product) || product.Status != ProductStatus.Published)
            {
                v.Add($"{line.Field}.productId", "is not a product on sale.");
                continue;
            }
            var sku = product.FindSku(line.SkuId);
            if (sku is null) { v.Add($"{line.Field}.skuId", "is not a SKU of this product."); continue; }
            if (!sku.Enabled) { v.Add($"{line.Field}.skuId", "is not on sale."); continue; }
            if (line.Quantity > sku.MaxQuantity) v.Add($"{line.Field}.quantity", $"at most {sku.MaxQuantity} per order.");
            else if (checkProductStock && line.Quantity > sku.Stock.Available) v.Add($"{line.Field}.quantity", $"only {sku.Stock.Available} left in stock.");
        }
        v.ThrowIfInvalid();
    }

    private async Task<Address?> AddressAsync(string memberId, string? addressId, bool required, CancellationToken ct)
    {
        if (addressId is not null)
        {
            try { return await addresses.GetAsync(memberId, addressId, ct); }
            catch (NotFoundException) { throw ValidationException.For("addressId", "is not one of your addresses."); }
        }
        if (required) throw ValidationException.For("addressId", "is required to place an order.");
        return await addresses.DefaultAsync(memberId, ct);
    }

    /// <summary>A pinned coupon that is not usable gets a 400 saying why: not yours, used, held by another order or expired.</summary>
    private async Task ValidatePinnedCouponsAsync(string memberId, List<string>? pinned, IReadOnlyList<WalletCoupon> usable, CancellationToken ct)
    {
        if (pinned is null) return;
        var v = new Validator();
        v.Check(pinned.Count <= 20, "couponIds", "at most 20 coupons.");
        var usableIds = usable.Select(c => c.Id).ToHashSet();
        for (var i = 0; i < pinned.Count; i++)
        {
            if (pinned[i] is null || usableIds.Contains(pinned[i])) continue;
            var coupon = await wallet.FindAsync(memberId, pinned[i], ct);
            v.Add($"couponIds[{i}]", coupon switch
            {
                null => "is not one of your coupons.",
                { Status: WalletCouponStatus.Used } => "was already used.",
                { Status: WalletCouponStatus.Locked } => "is held by another unpaid order.",
                _ => "has expired or is not valid yet.",
            });
        }
        if (pinned.Distinct().Count() != pinned.Count) v.Add("couponIds", "a coupon appears twice.");
        v.ThrowIfInvalid();
    }

    private static CartLine EngineLine(CheckoutLine line, Product product, IReadOnlyDictionary<string, Category> tree)
    {
        var sku = product.FindSku(line.SkuId)!;
        var categoryIds = product.CategoryIds.SelectMany(id => tree.TryGetValue(id, out var c) ? c.SelfAndAncestors : [id]).Distinct().ToList();
        return new CartLine(line.LineId, product.ShopId, sku.Id, product.Id, categoryIds, line.Quantity, sku.ListPriceFen)
        {
            MemberPrices = sku.MemberPricesFen.Select(p => new MemberPrice(p.Key, p.Value)).ToList(),
            TierPrices = sku.TierPrices.Select(t => new EngineTier(t.MinQuantity, t.PriceFen)).ToList(),
            WeightGrams = sku.WeightGrams,
        };
    }
}
