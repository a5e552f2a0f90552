using Microsoft.Extensions.Logging;

namespace MiniShop.Infrastructure.Sync;

public enum DeliveryOutcomeKind { Delivered, AlreadyDelivered, Skipped, Permanent }

/// <summary>How a delivery ended. Transient failures are not outcomes: they throw, so the message is redelivered.</summary>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string? Reason = null, string? Detail = null)
{
    public static DeliveryOutcome Delivered { get; } = new(DeliveryOutcomeKind.Delivered);

    public static DeliveryOutcome AlreadyDelivered { get; } = new(DeliveryOutcomeKind.AlreadyDelivered);

    public static DeliveryOutcome Skipped(string reason) => new(DeliveryOutcomeKind.Skipped, reason);

    public static DeliveryOutcome Permanent(string reason, string? detail) => new(DeliveryOutcomeKind.Permanent, reason, detail);
}

/// <summary>Dead-letter reasons we set (Service Bus sets MaxDeliveryCountExceeded and TTLExpiredException itself).</summary>
public static class DeadLetterReasons
{
    public const string PartnerRejected = "partner_rejected";
    public const string MappingFailed = "mapping_failed";
    public const string MalformedMessage = "malformed_message";
    public const string UnknownRoute = "unknown_route";
    public const string Unpublishable = "unpublishable";
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
}

/// <summary>
/// Delivers one event to one subscriber (ERP or WMS). The Service Bus triggered functions and the in-process publisher
/// both call this. Idempotent: a delivery record per (subscription, event) makes a redelivered message a no-op, and
/// the partner gets the event id as Idempotency-Key in case the record was not written after a successful call.
/// </summary>
public sealed class IntegrationDelivery(ErpClient erp, WmsClient wms, PartnerMapper mapper, SyncStateStore state, ILogger<IntegrationDelivery> log)
{
    /// <exception cref="TransientDeliveryException">The partner could not be reached or answered 408/429/5xx: retry later.</exception>
    public async Task<DeliveryOutcome> DeliverAsync(string topic, string subscription, OutboxEvent evt, int deliveryCount, CancellationToken ct)
    {
        if (!SyncRoutes.Exists(topic, subscription) || evt.Topic != topic)
            return DeliveryOutcome.Permanent(DeadLetterReasons.UnknownRoute, $"{evt.EventType} ({evt.Topic}) does not go to {topic}/{subscription}.");
        PartnerClient client = subscription == SyncRoutes.Erp ? erp : wms;
        if (!client.IsConfigured)
        {
            log.LogInformation("{Partner} is not configured; {EventType} {EventId} is not sent", client.Name, evt.EventType, evt.Id);
            return DeliveryOutcome.Skipped("not_configured");
        }
        if (await state.IsDeliveredAsync(subscription, evt.Id, ct))
        {
            log.LogInformation("{EventId} already reached {Partner}; delivery {DeliveryCount} is a no-op", evt.Id, client.Name, deliveryCount);
            return DeliveryOutcome.AlreadyDelivered;
        }

        PartnerEvent? request;
        try
        {
            request = mapper.Map(subscription, evt);
        }
        catch (MappingException e)
        {
            log.LogError(e, "{EventId} cannot be mapped for {Partner}", evt.Id, client.Name);
            return DeliveryOutcome.Permanent(DeadLetterReasons.MappingFailed, e.Message);
        }
        if (request is null) return DeliveryOutcome.Skipped("not_for_subscriber");

        var result = await client.SendAsync(request, ct);
        if (!result.Accepted)
            return DeliveryOutcome.Permanent(DeadLetterReasons.PartnerRejected, $"{client.Name} answered {result.Status}: {result.Body}");
        await state.RecordDeliveryAsync(subscription, evt, result.Status, ct);
        return DeliveryOutcome.Delivered;
    }
}
