using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Functions.Features.Catalog;

/// <summary>What the mini-program browses: categories, product lists and pages, barcode scans, shops.</summary>
public sealed class CatalogFunctions(CategoryStore categories, ProductQueries products, CatalogLookups lookups, ShopStore shops, MemberLevelDirectory levels)
{
    [Function(nameof(GetCategories))]
    [ApiOperation("Catalog", "The category tree, ordered", Response = typeof(IReadOnlyList<CategoryNode>))]
    public async Task<IActionResult> GetCategories([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/categories")] HttpRequest req)
        => Api.Ok(CategoryTree.Build(await categories.ListAsync(req.HttpContext.RequestAborted)));

    [Function(nameof(ListProducts))]
    [ApiOperation("Catalog", "Browse and search published products, a page at a time", Auth = ApiAuth.OptionalMember,
        Response = typeof(ProductListView),
        Query = ["category:a category id; its sub-categories are included", "tag", "q:search text", "shopId", "sort:newest (default), price, priceDesc, sales", "cursor:nextCursor of the previous page", "take:1-50, default 20"])]
    public async Task<IActionResult> ListProducts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/products")] HttpRequest req)
    {
        var query = new ProductListQuery(req.QueryValue("category"), req.QueryValue("tag"), req.QueryValue("q"), req.QueryValue("shopId"),
            req.QueryEnum("sort", ProductSort.Newest), req.QueryValue("cursor"), req.QueryInt("take", 20));
        var page = await products.ListAsync(query, req.HttpContext.RequestAborted);
        var level = req.Caller().MemberLevelId;
        return Api.Ok(new ProductListView(page.Items.Select(c => ProductCardView.From(c, level)).ToList(), page.NextCursor));
    }

    [Function(nameof(GetProduct))]
    [ApiOperation("Catalog", "A product page with its SKU matrix, stock and the caller's prices", Auth = ApiAuth.OptionalMember, Response = typeof(ProductView))]
    public async Task<IActionResult> GetProduct([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/products/{id}")] HttpRequest req, string id)
    {
        var product = await products.GetPublishedAsync(id, req.HttpContext.RequestAborted);
        return Api.Ok(ProductView.From(product, req.Caller().MemberLevelId));
    }

    [Function(nameof(GetSkuByBarcode))]
    [ApiOperation("Catalog", "Scan-to-buy: the published product and SKU with this barcode", Auth = ApiAuth.OptionalMember, Response = typeof(BarcodeMatchView))]
    public async Task<IActionResult> GetSkuByBarcode([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/skus/by-barcode/{code}")] HttpRequest req, string code)
    {
        var ct = req.HttpContext.RequestAborted;
        var match = await lookups.FindBarcodeAsync(code, ct) ?? throw new NotFoundException("Barcode", code);
        var product = await products.GetPublishedAsync(match.ProductId, ct);
        // The claim may be stale (the SKU lost the barcode): only a SKU that still carries it counts.
        var sku = product.Skus.FirstOrDefault(s => s.Barcode == code) ?? throw new NotFoundException("Barcode", code);
        return Api.Ok(new BarcodeMatchView(product.Id, sku.Id, ProductView.From(product, req.Caller().MemberLevelId)));
    }

    [Function(nameof(GetShop))]
    [ApiOperation("Catalog", "A shop's public profile", Response = typeof(ShopView))]
    public async Task<IActionResult> GetShop([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/shops/{id}")] HttpRequest req, string id)
    {
        var shop = await shops.GetAsync(id, req.HttpContext.RequestAborted);
        if (shop.Status != ShopStatus.Active) throw new NotFoundException("Shop", id);
        return Api.Ok(new ShopView(shop.Id, shop.Name, shop.Description, shop.LogoUrl));
    }

    [Function(nameof(GetMemberLevels))]
    [ApiOperation("Catalog", "Member levels and the growth each needs", Response = typeof(IReadOnlyList<MemberLevelView>))]
    public async Task<IActionResult> GetMemberLevels([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/member-levels")] HttpRequest req)
        => Api.Ok((await levels.AllAsync(req.HttpContext.RequestAborted)).Select(l => new MemberLevelView(l.Id, l.Name, l.Rank, l.MinGrowth)).ToList());
}
