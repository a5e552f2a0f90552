using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Cart;
using MiniShop.Domain.Common;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Cart;

namespace MiniShop.Functions.Features.Cart;

/// <summary>
/// The member's cart. Every change, deletes included, answers with the whole cart as GET shows it (priced for the
/// caller, grouped by shop), so the mini-program re-renders from one response.
/// </summary>
public sealed class CartFunctions(CartStore carts, CartQueries queries)
{
    [Function(nameof(GetCart))]
    [ApiOperation("Cart", "The cart by shop: current prices for the caller, price changes, availability, totals of the selected lines",
        Auth = ApiAuth.Member, Response = typeof(CartSummary))]
    public async Task<IActionResult> GetCart([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cart")] HttpRequest req)
    {
        var caller = req.Caller();
        return Api.Ok(await queries.SummaryAsync(caller.RequireMember(), caller.MemberLevelId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AddCartItem))]
    [ApiOperation("Cart", "Add a SKU, or more of it to its line; 422 purchase_limit, product_unpublished, sku_disabled, cart_full",
        Auth = ApiAuth.Member, Request = typeof(AddCartItemRequest), Response = typeof(CartSummary))]
    public async Task<IActionResult> AddCartItem([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/items")] HttpRequest req)
    {
        var caller = req.Caller();
        var memberId = caller.RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var cart = await carts.AddAsync(memberId, caller.MemberLevelId, await req.ReadJsonAsync<AddCartItemRequest>(), ct);
        return Api.Ok(await queries.SummarizeAsync(cart, caller.MemberLevelId, ct));
    }

    [Function(nameof(UpdateCartItem))]
    [ApiOperation("Cart", "Change a line's quantity and/or selection", Auth = ApiAuth.Member,
        Request = typeof(UpdateCartItemRequest), Response = typeof(CartSummary))]
    public async Task<IActionResult> UpdateCartItem([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "cart/items/{lineId}")] HttpRequest req, string lineId)
    {
        var caller = req.Caller();
        var memberId = caller.RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var cart = await carts.UpdateLineAsync(memberId, caller.MemberLevelId, lineId, await req.ReadJsonAsync<UpdateCartItemRequest>(), ct);
        return Api.Ok(await queries.SummarizeAsync(cart, caller.MemberLevelId, ct));
    }

    [Function(nameof(RemoveCartItem))]
    [ApiOperation("Cart", "Remove a line (a line already gone is fine)", Auth = ApiAuth.Member, Response = typeof(CartSummary))]
    public async Task<IActionResult> RemoveCartItem([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cart/items/{lineId}")] HttpRequest req, string lineId)
    {
        var caller = req.Caller();
        var memberId = caller.RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var cart = await carts.RemoveLinesAsync(memberId, [lineId], ct);
        return Api.Ok(await queries.SummarizeAsync(cart, caller.MemberLevelId, ct));
    }

    [Function(nameof(SelectCartItems))]
    [ApiOperation("Cart", "Select or unselect every line, or every line of one shop", Auth = ApiAuth.Member,
        Request = typeof(SelectCartItemsRequest), Response = typeof(CartSummary))]
    public async Task<IActionResult> SelectCartItems([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cart/select")] HttpRequest req)
    {
        var caller = req.Caller();
        var memberId = caller.RequireMember();
        var ct = req.HttpContext.RequestAborted;
        var cart = await carts.SelectAsync(memberId, await req.ReadJsonAsync<SelectCartItemsRequest>(), ct);
        return Api.Ok(await queries.SummarizeAsync(cart, caller.MemberLevelId, ct));
    }

    [Function(nameof(RemoveSelectedCartItems))]
    [ApiOperation("Cart", "Remove the selected lines", Auth = ApiAuth.Member, Response = typeof(CartSummary),
        Query = ["selected:required, must be true (guards against clearing the cart by accident)"])]
    public async Task<IActionResult> RemoveSelectedCartItems([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cart/items")] HttpRequest req)
    {
        var caller = req.Caller();
        var memberId = caller.RequireMember();
        if (!string.Equals(req.QueryValue("selected"), "true", StringComparison.OrdinalIgnoreCase))
            throw ValidationException.For("selected", "must be true: only the selected lines can be removed at once.");
        var ct = req.HttpContext.RequestAborted;
        var cart = await carts.RemoveSelectedAsync(memberId, ct);
        return Api.Ok(await queries.SummarizeAsync(cart, caller.MemberLevelId, ct));
    }
}
