using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.GroupBuys;
using MiniShop.Infrastructure.Orders.Lifecycle;

namespace MiniShop.Functions.Features.GroupBuys;

/// <summary>
/// Shoppers: see an activity and its open groups, preview, open a group, join one through its share link, and see a
/// group (public: masked members, seats and time left). Each group order is a normal checkout at the group price, paid
/// through WeChat Pay; the order waits for its group before it ships.
/// </summary>
public sealed class GroupBuyFunctions(GroupBuyService groupBuys, OrderLifecycleClients lifecycles)
{
    [Function(nameof(GetGroupBuy))]
    [ApiOperation("Group buys", "A group-buy activity: SKUs with list, group and leader prices, group size and duration, open groups to join",
        Response = typeof(GroupBuyView))]
    public async Task<IActionResult> GetGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "group-buys/{activityId}")] HttpRequest req, string activityId)
        => Api.Ok(await groupBuys.ActivityViewAsync(activityId, req.HttpContext.RequestAborted));

    [Function(nameof(PreviewGroupBuy))]
    [ApiOperation("Group buys", "Price a group order (no groupId: opening a group, at the leader price) for the confirm page", Auth = ApiAuth.Member,
        Request = typeof(GroupBuyPreviewRequest), Response = typeof(CheckoutPreview))]
    public async Task<IActionResult> PreviewGroupBuy([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "group-buys/{activityId}/preview")] HttpRequest req,
        string activityId)
    {
        var memberId = req.Caller().RequireMember();
        return Api.Ok(await groupBuys.PreviewAsync(memberId, activityId, await req.ReadJsonAsync<GroupBuyPreviewRequest>(), req.HttpContext.RequestAborted));
    }

    [Function(nameof(OpenGroup))]
    [ApiOperation("Group buys", "Open a group by ordering: the order at the leader price and a group to share. Repeat-safe by Idempotency-Key. " +
                                "422 group_buy_not_running or group_buy_limit", Auth = ApiAuth.Member,
        Request = typeof(GroupBuyOrderRequest), Response = typeof(GroupOrderResult), SuccessStatus = 201, Headers = ["Idempotency-Key"])]
    public async Task<IActionResult> OpenGroup([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "group-buys/{activityId}/groups")] HttpRequest req,
        string activityId, [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<GroupBuyOrderRequest>();
        var (result, created) = await groupBuys.OpenAsync(memberId, activityId, req.Headers["Idempotency-Key"].ToString(), body, lifecycles.For(durable),
            req.HttpContext.RequestAborted);
        return Placed(result, created);
    }

    [Function(nameof(JoinGroup))]
    [ApiOperation("Group buys", "Join a group from its share link by ordering at the group price. Repeat-safe by Idempotency-Key. " +
                                "409 group_full, group_closed or already_in_group; 422 group_buy_not_running or group_buy_limit", Auth = ApiAuth.Member,
        Request = typeof(GroupBuyOrderRequest), Response = typeof(GroupOrderResult), SuccessStatus = 201, Headers = ["Idempotency-Key"])]
    public async Task<IActionResult> JoinGroup([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "group-buys/groups/{groupId}/join")] HttpRequest req,
        string groupId, [DurableClient] DurableTaskClient durable)
    {
        var memberId = req.Caller().RequireMember();
        var body = await req.ReadJsonAsync<GroupBuyOrderRequest>();
        var (result, created) = await groupBuys.JoinAsync(memberId, groupId, req.Headers["Idempotency-Key"].ToString(), body, lifecycles.For(durable),
            req.HttpContext.RequestAborted);
        return Placed(result, created);
    }

    [Function(nameof(GetGroup))]
    [ApiOperation("Group buys", "A group from its share link: status, members (masked), seats left, time left", Response = typeof(GroupView))]
    public async Task<IActionResult> GetGroup([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "group-buys/groups/{groupId}")] HttpRequest req, string groupId)
        => Api.Ok(await groupBuys.GroupViewAsync(groupId, req.HttpContext.RequestAborted));

    private static ApiResult Placed(GroupOrderResult result, bool created)
        => created
            ? Api.Created(result, $"/api/group-buys/groups/{result.GroupId}")
            : Api.Ok(result).WithHeader("Idempotent-Replayed", "true");
}
