using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Catalog;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Catalog;

namespace MiniShop.Functions.Features.Catalog;

/// <summary>Shops, categories and member levels: platform-wide structure that platform admins and operators maintain.</summary>
public sealed class AdminCatalogStructureFunctions(ShopStore shops, CategoryStore categories, CategoryMoves moves, MemberLevelDirectory levels)
{
    [Function(nameof(AdminListShops))]
    [ApiOperation("Admin catalog", "Shops the caller may act on", Auth = ApiAuth.Admin, Response = typeof(IReadOnlyList<Shop>))]
    public async Task<IActionResult> AdminListShops([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/shops")] HttpRequest req)
    {
        var caller = req.Caller();
        caller.RequireAdmin(AdminPermission.CatalogRead);
        var all = await shops.ListAsync(req.HttpContext.RequestAborted);
        return Api.Ok(all.Where(s => caller.CanAccessShop(s.Id)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList());
    }

    [Function(nameof(AdminCreateShop))]
    [ApiOperation("Admin catalog", "Create a shop (platform admins)", Auth = ApiAuth.Admin, Request = typeof(ShopDraft), Response = typeof(Shop), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateShop([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/shops")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.ShopManage);
        var shop = await shops.CreateAsync(null, await req.ReadJsonAsync<ShopDraft>(), req.HttpContext.RequestAborted);
        return Api.Versioned(shop, shop.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/shops/{shop.Id}");
    }

    [Function(nameof(AdminUpdateShop))]
    [ApiOperation("Admin catalog", "Update a shop (platform admins)", Auth = ApiAuth.Admin, Request = typeof(ShopDraft), Response = typeof(Shop), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateShop([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/shops/{id}")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.ShopManage);
        var version = ETags.RequireIfMatch(req);
        var shop = await shops.UpdateAsync(id, await req.ReadJsonAsync<ShopDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(shop, shop.Version);
    }

    [Function(nameof(AdminListCategories))]
    [ApiOperation("Admin catalog", "Every category with its version (flat)", Auth = ApiAuth.Admin, Response = typeof(IReadOnlyList<Category>))]
    public async Task<IActionResult> AdminListCategories([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/categories")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.CatalogRead);
        return Api.Ok((await categories.ListAsync(req.HttpContext.RequestAborted)).OrderBy(c => c.Depth).ThenBy(c => c.Sort).ToList());
    }

    [Function(nameof(AdminCreateCategory))]
    [ApiOperation("Admin catalog", "Create a category under a parent (or at the root)", Auth = ApiAuth.Admin,
        Request = typeof(CategoryDraft), Response = typeof(Category), SuccessStatus = 201)]
    public async Task<IActionResult> AdminCreateCategory([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/categories")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.CatalogStructureWrite);
        var category = await categories.CreateAsync(await req.ReadJsonAsync<CategoryDraft>(), req.HttpContext.RequestAborted);
        return Api.Versioned(category, category.Version, StatusCodes.Status201Created).WithHeader("Location", $"/api/admin/categories/{category.Id}");
    }

    [Function(nameof(AdminUpdateCategory))]
    [ApiOperation("Admin catalog", "Rename, re-sort, re-icon or move a category (a new parentId moves it with its sub-categories; the storefront follows)", Auth = ApiAuth.Admin,
        Request = typeof(CategoryDraft), Response = typeof(Category), Headers = ["If-Match"])]
    public async Task<IActionResult> AdminUpdateCategory([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/categories/{id}")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.CatalogStructureWrite);
        var version = ETags.RequireIfMatch(req);
        var category = await moves.UpdateAsync(id, await req.ReadJsonAsync<CategoryDraft>(), version, req.HttpContext.RequestAborted);
        return Api.Versioned(category, category.Version);
    }

    [Function(nameof(AdminDeleteCategory))]
    [ApiOperation("Admin catalog", "Delete an empty category", Auth = ApiAuth.Admin, SuccessStatus = 204, Headers = ["If-Match"])]
    public async Task<IActionResult> AdminDeleteCategory([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/categories/{id}")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.CatalogStructureWrite);
        await categories.DeleteAsync(id, ETags.RequireIfMatch(req), req.HttpContext.RequestAborted);
        return Api.NoContent();
    }

    [Function(nameof(AdminUpsertMemberLevel))]
    [ApiOperation("Admin catalog", "Create or change a member level", Auth = ApiAuth.Admin, Request = typeof(MemberLevelView), Response = typeof(MemberLevel))]
    public async Task<IActionResult> AdminUpsertMemberLevel([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/member-levels/{id}")] HttpRequest req, string id)
    {
        req.Caller().RequireAdmin(AdminPermission.CatalogStructureWrite);
        var body = await req.ReadJsonAsync<MemberLevelView>();
        new Validator().Required(body.Name, "name", 20).Check(body.Rank >= 0, "rank", "must not be negative.")
            .Check(body.MinGrowth >= 0, "minGrowth", "must not be negative.")
            .Check(id.Length <= 32 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), "id", "must be 1-32 letters, digits, '-' or '_'.")
            .ThrowIfInvalid();
        var existing = (await levels.AllAsync(req.HttpContext.RequestAborted)).FirstOrDefault(l => l.Id == id);
        var level = await levels.UpsertAsync(new MemberLevel(id, body.Name.Trim(), body.Rank, body.MinGrowth, (existing?.Version ?? 0) + 1), req.HttpContext.RequestAborted);
        return Api.Versioned(level, level.Version);
    }
}
