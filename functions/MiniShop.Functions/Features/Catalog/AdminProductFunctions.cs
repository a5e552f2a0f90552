using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Functions.Features.Catalog;

/// <summary>Operators manage products of the shops they may act on. Updates need If-Match with the product's ETag.</summary>
public sealed class AdminProductFunctions(ProductAdminService products, ProductCardProjector cards)
{
    [Function(nameof(AdminListProducts))]
    [ApiOperation("Admin catalog", "A shop's products, any status", Auth = ApiAuth.Admin, Response = typeof(AdminProductListView),
        Query = ["shopId:required", "status:draft, published or unpublished", "cursor", "take:1-100, default 50"])]
    public async Task<IActionResult> AdminListProducts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/products")] HttpRequest req)
    {
        var shopId = req.QueryValue("shopId") ?? throw ValidationException.For("shopId", "is required.");
        req.Caller().RequireAdmin(AdminPermission.CatalogRead, shopId);
        var take = req.QueryInt("take", 50);
        if (take is < 1 or > 100) throw ValidationException.For("take", "must be between 1 and 100.");
        ProductStatus? status = req.QueryValue("status") is null ? null : req.QueryEnum("status", ProductStatus.Draft);
        var (items, next) = await products.ListForShopAsync(shopId, status, req.QueryValue("cursor"), take, req.HttpContext.RequestAborted);
        return Api.Ok(new AdminProductListView(items, next));
    }

    [Function(nameof(AdminCreateProduct))]
    [ApiOperation("Admin catalog", "Create a product (draft) with its full SKU matrix and opening stock", Auth = ApiAuth.Admin,
        Request = typeof(ProductDraft), Response = typeof(Product), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateProduct([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/products")] HttpRequest req)
    {
        var caller = req.Caller();
        caller.RequireAdmin(AdminPermission.CatalogWrite);
        var draft = await req.ReadJsonAsync<ProductDraft>();
        if (draft.ShopId is not null) caller.RequireAdmin(AdminPermission.CatalogWrite, draft.ShopId);
        var product = await products.CreateAsync(draft, caller.SubjectId!, req.HttpContext.RequestAborted);
        return Api.Versioned(product, product.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/products/{product.Id}");
    }

    [Function(nameof(AdminGetProduct))]
    [ApiOperation("Admin catalog", "A product with stock figures; the ETag is its version", Auth = ApiAuth.Admin, Response = typeof(Product))]
    public async Task<IActionResult> AdminGetProduct([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/products/{id}")] HttpRequest req, string id)
    {
        var product = await ScopedAsync(req, id, AdminPermission.CatalogRead);
        return Api.Versioned(product, product.Version);
    }

    [Function(nameof(AdminUpdateProduct))]
    [ApiOperation("Admin catalog", "Replace a product's content; stock of existing SKUs is kept (use stock adjustments)", Auth = ApiAuth.Admin,
        Request = typeof(ProductDraft), Response = typeof(Product), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateProduct([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/products/{id}")] HttpRequest req, string id)
    {
        var version = ETags.RequireIfMatch(req);
        await ScopedAsync(req, id, AdminPermission.CatalogWrite);
        var draft = await req.ReadJsonAsync<ProductDraft>();
        var product = await products.UpdateAsync(id, draft, version, req.HttpContext.RequestAborted);
        return Api.Versioned(product, product.Version);
    }

    [Function(nameof(AdminPublishProduct))]
    [ApiOperation("Admin catalog", "Publish: the product appears in the storefront", Auth = ApiAuth.Admin, Response = typeof(Product), Headers = ["If-Match?"])]
    public async Task<IActionResult> AdminPublishProduct([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/products/{id}/publish")] HttpRequest req, string id)
    {
        await ScopedAsync(req, id, AdminPermission.CatalogWrite);
        var product = await products.PublishAsync(id, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(product, product.Version);
    }

    [Function(nameof(AdminUnpublishProduct))]
    [ApiOperation("Admin catalog", "Unpublish: the product leaves the storefront", Auth = ApiAuth.Admin, Response = typeof(Product), Headers = ["If-Match?"])]
    public async Task<IActionResult> AdminUnpublishProduct([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/products/{id}/unpublish")] HttpRequest req, string id)
    {
        await ScopedAsync(req, id, AdminPermission.CatalogWrite);
        var product = await products.UnpublishAsync(id, ETags.OptionalIfMatch(req), req.HttpContext.RequestAborted);
        return Api.Versioned(product, product.Version);
    }

    [Function(nameof(AdminAdjustStock))]
    [ApiOperation("Admin catalog", "Add or remove available stock of a SKU, with a reason; the idempotency key makes a retry harmless",
        Auth = ApiAuth.Admin, Request = typeof(StockAdjustment), Response = typeof(Product))]
    public async Task<IActionResult> AdminAdjustStock(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/products/{id}/skus/{skuId}/stock-adjustments")] HttpRequest req, string id, string skuId)
    {
        var caller = req.Caller();
        await ScopedAsync(req, id, AdminPermission.CatalogWrite);
        var body = await req.ReadJsonAsync<StockAdjustment>();
        var product = await products.AdjustStockAsync(id, skuId, body, caller.SubjectId!, req.HttpContext.RequestAborted);
        return Api.Versioned(product, product.Version);
    }

    [Function(nameof(AdminRebuildListing))]
    [ApiOperation("Admin catalog", "Rebuild the storefront listing from the products (repair tool)", Auth = ApiAuth.Admin, Response = typeof(RebuildResultView))]
    public async Task<IActionResult> AdminRebuildListing([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/catalog/rebuild-listing")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.ShopManage);
        return Api.Ok(new RebuildResultView(await cards.RebuildAsync(req.HttpContext.RequestAborted)));
    }

    /// <summary>Loads the product and checks the caller may act on its shop (403 otherwise).</summary>
    private async Task<Product> ScopedAsync(HttpRequest req, string id, AdminPermission permission)
    {
        req.Caller().RequireAdmin(permission);
        var product = (await products.GetAsync(id, req.HttpContext.RequestAborted)).Value;
        req.Caller().RequireAdmin(permission, product.ShopId);
        return product;
    }
}
