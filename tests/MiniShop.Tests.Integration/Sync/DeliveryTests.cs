using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Security;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>Delivery to stub ERP/WMS endpoints: idempotency, failure classes, in-process dead letters and replay.</summary>
public sealed class DeliveryTests(SyncServices s) : IClassFixture<SyncServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int _n;

    private OutboxEvent PaidOrderEvent(string? skuCode = "TEE-M-WHITE")
    {
        var n = Interlocked.Increment(ref _n);
        var enc = s.Get<IFieldEncryptor>();
        var at = DateTimeOffset.Parse("2026-03-01T08:00:00Z");
        var order = new Order($"ord_d{n}", "mbr_d", "shop-1", $"pay_d{n}", OrderStatus.AwaitingShipment,
            [new OrderLine("line_1", "prd_1", "sku_1", skuCode!, "T恤", ["M", "白色"], null, 2, 9900, "list", 19800, [new OrderLineDiscount("prm", "promotion", "shop", 1000)], 18800)],
            new OrderAmounts(19800, 1000, 0, 0, 800, 19600), [], 0,
            new AddressSnapshot(enc.Encrypt("张三"), enc.Encrypt("13800138000"), "440000", "广东省", "深圳市", "南山区", enc.Encrypt("科技园1号"), "518057"),
            null, at, at.AddMinutes(30), [], 2, PaidAt: at.AddMinutes(1));
        return OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, order, at.AddMinutes(1));
    }

    [Fact]
    public async Task A_delivered_event_is_not_sent_again_and_the_partner_gets_signed_requests_with_the_idempotency_key()
    {
        var evt = PaidOrderEvent();
        var delivery = s.Get<IntegrationDelivery>();

        var first = await delivery.DeliverAsync("orders", "erp", evt, 1, Ct);
        var again = await delivery.DeliverAsync("orders", "erp", evt, 2, Ct);
        var wms = await delivery.DeliverAsync("orders", "wms", evt, 1, Ct);

        Assert.Equal(DeliveryOutcomeKind.Delivered, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.AlreadyDelivered, again.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, wms.Kind);
        var request = Assert.Single(s.Erp.For(evt.Id));
        Assert.Equal("https://erp.test/api/minishop/events", request.Uri.ToString());
        Assert.True(PartnerSignature.VerifyOutbound(SyncServices.ErpSecret, request.Header("X-MiniShop-Timestamp")!, "POST", "/api/minishop/events",
            request.Body, request.Header("X-MiniShop-Signature")));
        using var erpBody = JsonDocument.Parse(request.Body);
        Assert.Equal("order.paid", erpBody.RootElement.GetProperty("type").GetString());
        Assert.Equal(19600, erpBody.RootElement.GetProperty("data").GetProperty("amounts").GetProperty("payableFen").GetInt64());
        Assert.DoesNotContain("张三", request.BodyText); // ERP never sees personal data

        var wmsRequest = Assert.Single(s.Wms.For(evt.Id));
        using var wmsBody = JsonDocument.Parse(wmsRequest.Body);
        var consignee = wmsBody.RootElement.GetProperty("data").GetProperty("consignee");
        Assert.Equal("张三", consignee.GetProperty("name").GetString());
        Assert.Equal("科技园1号", consignee.GetProperty("detail").GetString());
        Assert.True(PartnerSignature.VerifyOutbound(SyncServices.WmsSecret, wmsRequest.Header("X-MiniShop-Timestamp")!, "POST", "/minishop/events",
            wmsRequest.Body, wmsRequest.Header("X-MiniShop-Signature")));
    }

    [Fact]
    public async Task A_4xx_is_permanent_a_5xx_is_transient_and_events_a_subscriber_does_not_take_are_skipped()
    {
        var rejected = PaidOrderEvent();
        var flaky = PaidOrderEvent();
        s.Erp.Respond = r => r.Header("Idempotency-Key") == rejected.Id ? HttpStatusCode.UnprocessableEntity
            : r.Header("Idempotency-Key") == flaky.Id ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        var delivery = s.Get<IntegrationDelivery>();
        try
        {
            var permanent = await delivery.DeliverAsync("orders", "erp", rejected, 1, Ct);
            await Assert.ThrowsAsync<TransientDeliveryException>(() => delivery.DeliverAsync("orders", "erp", flaky, 1, Ct));
            var broken = await delivery.DeliverAsync("orders", "erp", PaidOrderEvent(skuCode: null), 1, Ct);
            var refundOnWms = OutboxEvent.ForReturn("mbr_d", new ReturnEventPayload("ord_r", "shop-1", "as_1", [new ReturnLinePayload("line_1", "sku_1", "C", 1)], null, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);
            var skipped = await delivery.DeliverAsync("orders", "wms", refundOnWms, 1, Ct);

            Assert.Equal(DeliveryOutcomeKind.Permanent, permanent.Kind);
            Assert.Equal(DeadLetterReasons.PartnerRejected, permanent.Reason);
            Assert.Contains("422", permanent.Detail);
            Assert.Equal(DeliveryOutcomeKind.Permanent, broken.Kind);
            Assert.Equal(DeadLetterReasons.MappingFailed, broken.Reason);
            Assert.Equal(DeliveryOutcomeKind.Skipped, skipped.Kind);
            Assert.Single(s.Erp.For(rejected.Id)); // a 4xx is not retried
            Assert.Equal(2, s.Erp.For(flaky.Id).Count); // the resilience pipeline retried the 503 (MaxRetryAttempts = 1)
            Assert.False(await s.Get<SyncStateStore>().IsDeliveredAsync("erp", rejected.Id, Ct));
        }
        finally
        {
            s.Erp.Respond = _ => HttpStatusCode.OK;
        }
    }

    [Fact]
    public async Task In_process_publishing_dead_letters_a_failed_delivery_and_a_replay_delivers_it_once_the_partner_accepts()
    {
        var evt = PaidOrderEvent();
        s.Erp.Respond = r => r.Header("Idempotency-Key") == evt.Id ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        var publisher = s.Get<IIntegrationEventPublisher>();
        Assert.IsType<InProcessEventPublisher>(publisher);
        try
        {
            await publisher.PublishAsync(evt, Ct);
        }
        finally
        {
            s.Erp.Respond = _ => HttpStatusCode.OK;
        }

        // WMS got it; ERP failed on every local attempt (2 x 2 HTTP calls) and the event became a dead letter.
        Assert.Single(s.Wms.For(evt.Id));
        Assert.Equal(4, s.Erp.For(evt.Id).Count);
        var admin = s.Get<DeadLetterAdmin>();
        var listed = Assert.Single((await admin.ListAsync("orders", "erp", 50, Ct)).Items, d => d.EventId == evt.Id);
        Assert.Equal(DeadLetterSources.Local, listed.Source);
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, listed.Reason);
        Assert.Equal("order.paid", listed.EventType);
        Assert.Equal(evt.AggregateId, listed.AggregateId);
        Assert.Equal(2, listed.DeliveryCount);

        var replay = await admin.ReplayAsync(listed.Id, "op", Ct);
        var again = await Record.ExceptionAsync(() => admin.ReplayAsync(listed.Id, "op", Ct));

        Assert.Equal("delivered", replay.Status);
        Assert.Equal(5, s.Erp.For(evt.Id).Count);
        Assert.Single(s.Wms.For(evt.Id)); // the replay went to ERP only
        Assert.DoesNotContain((await admin.ListAsync("orders", "erp", 50, Ct)).Items, d => d.EventId == evt.Id);
        Assert.IsType<MiniShop.Domain.Common.NotFoundException>(again); // settled: nothing left to replay
        Assert.True(await s.Get<SyncStateStore>().IsDeliveredAsync("erp", evt.Id, Ct));
    }

    [Fact]
    public async Task Stock_reservations_write_their_stock_events_in_the_same_partition()
    {
        var product = await s.NewProductAsync(5);
        var sku = product.Skus[1];
        var stock = s.Get<MiniShop.Infrastructure.Inventory.StockReservations>();
        await stock.ReserveAsync("ord_se", [new MiniShop.Infrastructure.Inventory.StockRequest(product.Id, sku.Id, 2)], Ct);
        await stock.ReserveAsync("ord_se", [new MiniShop.Infrastructure.Inventory.StockRequest(product.Id, sku.Id, 2)], Ct); // a retry
        await stock.ReleaseAsync("ord_se", [new MiniShop.Infrastructure.Inventory.StockRequest(product.Id, sku.Id, 2)], "unpaid", Ct);

        var events = await s.Get<CosmosDb>().Container(CosmosSchema.Products)
            .QueryAsync<OutboxEvent>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'outbox'"), product.Id, ct: Ct);
        Assert.Equal(["stock.released", "stock.reserved"], events.Select(e => e.EventType).Order());
        var reserved = events.Single(e => e.EventType == "stock.reserved");
        Assert.Equal(sku.Id, reserved.SessionId);
        Assert.Equal("inventory", reserved.Topic);
        Assert.Equal(product.Id, reserved.ProductId);
        var payload = reserved.PayloadAs<StockEventPayload>();
        Assert.Equal((-2L, 2L, 0L), (payload.AvailableDelta, payload.ReservedDelta, payload.SoldDelta));
        Assert.Equal(sku.Code, payload.SkuCode);
        Assert.Equal("shop-1", payload.ShopId);
        Assert.Equal("ord_se", payload.Reference);
    }
}
