using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Orders;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Sync;
using MiniShop.Infrastructure.WeChat.MiniProgram;

namespace MiniShop.Infrastructure.Fulfilment;

public sealed record ShipmentNotice(string? OrderId, string? Carrier, string? TrackingNumber);

public sealed record LogisticsUpdate(string? Status, string? Description, string? Location, DateTimeOffset? OccurredAt);

public sealed record LogisticsNotice(string? OrderId, string? TrackingNumber, List<LogisticsUpdate>? Events);

/// <summary>
/// What the warehouse and carriers tell us: a shipment created (the order is shipped), parcel updates (the order's trace;
/// "delivered" confirms delivery). And the mini-program rule: after shipping, the shipment is uploaded to WeChat.
/// </summary>
public sealed class FulfilmentService(
    OrderQueries queries,
    OrderCommands commands,
    PaymentDocuments docs,
    CosmosDb db,
    IWeChatMiniProgramClient wechat,
    WeChatPayGateway pay,
    IOptions<WeChatMiniProgramOptions> wechatOptions,
    TimeProvider time,
    ILogger<FulfilmentService> log)
{
    public const string Delivered = "delivered";

    public async Task<Order> RecordShipmentAsync(PartnerIdentity partner, ShipmentNotice notice, CancellationToken ct)
    {
        new Validator().Required(notice.OrderId, "orderId", 64).Required(notice.Carrier, "carrier", 40).Required(notice.TrackingNumber, "trackingNumber", 64).ThrowIfInvalid();
        var order = await ScopedAsync(partner, notice.OrderId!, ct);
        return await commands.ShipAsync(order.MemberId, order.Id, new ShipRequest(notice.Carrier, notice.TrackingNumber), $"wms:{partner.PartnerId}", ct);
    }

    /// <returns>The order, and whether this update delivered it.</returns>
    public async Task<(Order Order, bool Delivered)> RecordLogisticsAsync(PartnerIdentity partner, LogisticsNotice notice, CancellationToken ct)
    {
        var v = new Validator().Required(notice.OrderId, "orderId", 64);
        v.Check(notice.Events is { Count: > 0 and <= 50 }, "events", "between 1 and 50 updates.");
        for (var i = 0; i < (notice.Events?.Count ?? 0); i++)
        {
            var e = notice.Events![i];
            v.Required(e?.Status, $"events[{i}].status", 30).Required(e?.Description, $"events[{i}].description", 200).Optional(e?.Location, $"events[{i}].location", 60);
            v.Check(e?.OccurredAt is not null, $"events[{i}].occurredAt", "is required.");
        }
        v.ThrowIfInvalid();
        var order = await ScopedAsync(partner, notice.OrderId!, ct);
        if (order.Shipment is null) throw new ConflictException("order_state", "The order has not shipped; send the shipment first.");
        if (notice.TrackingNumber is not null && notice.TrackingNumber != order.Shipment.TrackingNumber)
            throw ValidationException.For("trackingNumber", "is not this order's tracking number.");

        var events = notice.Events!.Select(e => new LogisticsEvent(e.OccurredAt!.Value, e.Status!.Trim(), e.Description!.Trim(), e.Location)).ToList();
        var tracked = await commands.ChangeAsync(order.MemberId, order.Id, o => events.All(e => (o.Logistics ?? []).Any(t => t.At == e.At && t.Status == e.Status)),
            o => o.Track(events), ct);
        var delivered = events.Any(e => string.Equals(e.Status, Delivered, StringComparison.OrdinalIgnoreCase)) && tracked.Status == OrderStatus.Shipped;
        if (delivered) tracked = await commands.ConfirmDeliveryAsync(order.MemberId, order.Id, $"carrier:{order.Shipment.Carrier}", "delivered (carrier)", ct);
        return (tracked, delivered);
    }

    /// <summary>
    /// Uploads the shipment to WeChat (发货信息录入), required for mini-program orders paid with WeChat Pay. Idempotent:
    /// the order remembers the upload. Skipped when WeChat is not configured (local runs).
    /// </summary>
    public async Task<bool> UploadShippingInfoAsync(string memberId, string orderId, CancellationToken ct)
    {
        var order = (await docs.FindOrderAsync(memberId, orderId, ct))?.Value ?? throw new NotFoundException("Order", orderId);
        if (order.Shipment is null || order.ShippingInfoUploadedAt is not null) return false;
        if (!WeChatConfigured() || !pay.IsConfigured)
        {
            log.LogInformation("WeChat is not configured: shipping info of {OrderId} is not uploaded", orderId);
            return false;
        }
        var payment = (await docs.GetPaymentAsync(memberId, order.Presale?.BalancePaymentOrderId ?? order.PaymentOrderId, ct)).Value;
        var member = (await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(memberId, memberId, ct))!.Value;
        var items = string.Join("、", order.Lines.Select(l => $"{l.Title}*{l.Quantity}"));
        await wechat.UploadShippingInfoAsync(new UploadShippingInfoRequest
        {
            OrderKey = ShippingOrderKey.ByOutTradeNo(pay.MchId, WeChatPayGateway.OutTradeNoOf(payment, order.Id)),
            LogisticsType = LogisticsType.Express,
            DeliveryMode = DeliveryMode.Unified,
            ShippingList = [new ShippingItem
            {
                TrackingNo = order.Shipment.TrackingNumber, ExpressCompany = order.Shipment.Carrier,
                ItemDesc = items.Length <= 120 ? items : items[..120], // WeChat limits item_desc to 120 characters
            }],
            Payer = new ShippingPayer(member.OpenId),
        }, ct);
        await commands.ChangeAsync(memberId, orderId, o => o.ShippingInfoUploadedAt is not null, o => o with { ShippingInfoUploadedAt = time.GetUtcNow(), Version = o.Version + 1 }, ct);
        return true;
    }

    /// <summary>Reading the options validates them, which throws when the app has no WeChat secret (local runs).</summary>
    private bool WeChatConfigured()
    {
        try { return !string.IsNullOrEmpty(wechatOptions.Value.AppSecret); }
        catch (OptionsValidationException) { return false; }
    }

    private async Task<Order> ScopedAsync(PartnerIdentity partner, string orderId, CancellationToken ct)
    {
        var order = await queries.FindAnyAsync(orderId, ct);
        if (!partner.MayActOn(order.ShopId)) throw new ForbiddenException($"Partner '{partner.PartnerId}' may not act on shop '{order.ShopId}'.");
        return order;
    }
}
