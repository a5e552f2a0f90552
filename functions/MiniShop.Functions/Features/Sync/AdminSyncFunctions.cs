using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Functions.Features.Sync;

/// <summary>
/// ERP/WMS deliveries that failed for good: list them with their reason, replay them after the cause is fixed, or
/// discard them deliberately. Service Bus dead-letter queues and dead-letter documents (in-process delivery, relay)
/// look the same here. Platform admins (IntegrationManage) only.
/// </summary>
public sealed class AdminSyncFunctions(DeadLetterAdmin deadLetters)
{
    private static readonly string[] Topics = [SyncTopics.Orders, SyncTopics.Inventory, SyncTopics.Logistics, RelayQueue.Topic];
    private static readonly string[] Subscriptions = [SyncRoutes.Erp, SyncRoutes.Wms, RelayQueue.Subscription];

    [Function(nameof(AdminListDeadLetters))]
    [ApiOperation("Admin sync", "Dead letters of ERP/WMS delivery: reason, delivery count, event type and ids", Auth = ApiAuth.Admin,
        Response = typeof(DeadLetterList),
        Query = ["topic:orders, inventory, logistics or outbox (relay failures); all when absent", "subscription:erp, wms or relay; all when absent", "take:1-200, default 50"])]
    public async Task<IActionResult> AdminListDeadLetters([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/sync/dead-letters")] HttpRequest req)
    {
        req.Caller().RequireAdmin(AdminPermission.IntegrationManage);
        var topic = req.QueryValue("topic");
        var subscription = req.QueryValue("subscription");
        if (topic is not null && !Topics.Contains(topic)) throw ValidationException.For("topic", $"must be one of: {string.Join(", ", Topics)}.");
        if (subscription is not null && !Subscriptions.Contains(subscription)) throw ValidationException.For("subscription", $"must be one of: {string.Join(", ", Subscriptions)}.");
        var take = req.QueryInt("take", 50);
        if (take is < 1 or > 200) throw ValidationException.For("take", "must be between 1 and 200.");
        return Api.Ok(await deadLetters.ListAsync(topic, subscription, take, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminReplayDeadLetter))]
    [ApiOperation("Admin sync", "Replay a dead letter: deliver it again (in-process) or send it to its topic again (Service Bus)", Auth = ApiAuth.Admin,
        Response = typeof(DeadLetterReplayResult))]
    public async Task<IActionResult> AdminReplayDeadLetter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/sync/dead-letters/{id}/replay")] HttpRequest req, string id)
    {
        var operatorId = req.Caller().RequireAdmin(AdminPermission.IntegrationManage);
        return Api.Ok(await deadLetters.ReplayAsync(id, operatorId, req.HttpContext.RequestAborted));
    }

    [Function(nameof(AdminDiscardDeadLetter))]
    [ApiOperation("Admin sync", "Discard a dead letter deliberately (logged with the operator)", Auth = ApiAuth.Admin, SuccessStatus = 204)]
    public async Task<IActionResult> AdminDiscardDeadLetter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/sync/dead-letters/{id}/discard")] HttpRequest req, string id)
    {
        var operatorId = req.Caller().RequireAdmin(AdminPermission.IntegrationManage);
        await deadLetters.DiscardAsync(id, operatorId, req.HttpContext.RequestAborted);
        return Api.NoContent();
    }
}
