using System.Text.Json;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Json;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Unit.Sync;

/// <summary>Outbox events to the documented ERP/WMS contract (docs/erp-wms.md).</summary>
public class PartnerMapperTests
{
    private readonly MiniShop.Infrastructure.Security.AesGcmFieldEncryptor _enc = SyncTestData.Encryptor();

    private PartnerMapper Mapper => new(_enc);

    private static JsonElement Json(PartnerEvent e) => JsonSerializer.SerializeToElement(e, JsonDefaults.Options);

    [Fact]
    public void A_paid_order_becomes_an_erp_sales_order_with_lines_amounts_in_fen_and_no_personal_data()
    {
        var evt = OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, SyncTestData.PaidOrder(_enc), SyncTestData.At.AddMinutes(2));

        var json = Json(Mapper.Map("erp", evt)!);

        Assert.Equal("1.0", json.GetProperty("specVersion").GetString());
        Assert.Equal(evt.Id, json.GetProperty("id").GetString());
        Assert.Equal("order.paid", json.GetProperty("type").GetString());
        Assert.Equal("shop-demo", json.GetProperty("shopId").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(("ord_1", "pay_1", "CNY"), (data.GetProperty("orderId").GetString(), data.GetProperty("paymentOrderId").GetString(), data.GetProperty("currency").GetString()));
        Assert.Equal(24500, data.GetProperty("amounts").GetProperty("payableFen").GetInt64());
        Assert.Equal(800, data.GetProperty("amounts").GetProperty("shippingFen").GetInt64());
        var line = data.GetProperty("lines")[0];
        Assert.Equal(("TEE-M-WHITE", 2, 9900L, 19800L, 2000L, 17800L), (line.GetProperty("skuCode").GetString(), line.GetProperty("quantity").GetInt32(),
            line.GetProperty("unitPriceFen").GetInt64(), line.GetProperty("lineAmountFen").GetInt64(), line.GetProperty("discountFen").GetInt64(), line.GetProperty("payableFen").GetInt64()));
        Assert.Equal("440000", data.GetProperty("region").GetProperty("provinceCode").GetString());
        var text = json.GetRawText();
        Assert.DoesNotContain("张三", text);
        Assert.DoesNotContain("13800138000", text);
        Assert.DoesNotContain("k1:", text); // not even the ciphertext
    }

    [Fact]
    public void A_paid_order_becomes_a_wms_outbound_order_with_the_decrypted_consignee()
    {
        var evt = OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, SyncTestData.PaidOrder(_enc), SyncTestData.At);

        var data = Json(Mapper.Map("wms", evt)!).GetProperty("data");

        var consignee = data.GetProperty("consignee");
        Assert.Equal(("张三", "13800138000", "科技园科苑路1号", "518057"), (consignee.GetProperty("name").GetString(), consignee.GetProperty("phone").GetString(),
            consignee.GetProperty("detail").GetString(), consignee.GetProperty("postalCode").GetString()));
        Assert.Equal(["TEE-M-WHITE", "CAP-01"], data.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("skuCode").GetString()));
        Assert.False(data.GetProperty("lines")[0].TryGetProperty("unitPriceFen", out _)); // the warehouse gets no prices
        Assert.Equal("请尽快发货", data.GetProperty("remark").GetString());
    }

    [Fact]
    public void Cancellations_refunds_returns_shipments_and_stock_movements_map_for_the_erp()
    {
        var order = SyncTestData.PaidOrder(_enc);
        var cancelled = order with { Status = OrderStatus.Cancelled };
        var shipped = order with { Status = OrderStatus.Shipped, Shipment = new Shipment("SF", "SF123", SyncTestData.At.AddDays(1)) };
        var refund = new RefundEventPayload("ord_1", "shop-demo", "rfd_1", 5900, [new RefundLinePayload("line_2", "sku_2", "CAP-01", 1, 5900)], "不想要了", SyncTestData.At);
        var returned = new ReturnEventPayload("ord_1", "shop-demo", "as_1", [new ReturnLinePayload("line_2", "sku_2", "CAP-01", 1)], "尺码不合适", SyncTestData.At);
        var stock = new StockEventPayload("shop-demo", "prd_1", "sku_1", "TEE-M-WHITE", -2, 2, 0, "reserved for order ord_1", "ord_1", "stk:reserve:ord_1:sku_1", SyncTestData.At);

        var c = Json(Mapper.Map("erp", OutboxEvent.ForOrder(OutboxEventTypes.OrderCancelled, cancelled, SyncTestData.At, "unpaid"))!).GetProperty("data");
        var s = Json(Mapper.Map("erp", OutboxEvent.ForOrder(OutboxEventTypes.OrderShipped, shipped, SyncTestData.At))!).GetProperty("data");
        var r = Json(Mapper.Map("erp", OutboxEvent.ForRefund("mbr_1", refund, SyncTestData.At))!).GetProperty("data");
        var a = Json(Mapper.Map("erp", OutboxEvent.ForReturn("mbr_1", returned, SyncTestData.At))!).GetProperty("data");
        var m = Json(Mapper.Map("erp", OutboxEvent.ForStock(OutboxEventTypes.StockReserved, stock))!).GetProperty("data");

        Assert.Equal(("cancelled", "unpaid", 2), (c.GetProperty("status").GetString(), c.GetProperty("reason").GetString(), c.GetProperty("lines").GetArrayLength()));
        Assert.Equal(("SF", "SF123"), (s.GetProperty("carrier").GetString(), s.GetProperty("trackingNumber").GetString()));
        Assert.Equal((5900L, "CNY", "CAP-01"), (r.GetProperty("amountFen").GetInt64(), r.GetProperty("currency").GetString(), r.GetProperty("lines")[0].GetProperty("skuCode").GetString()));
        Assert.Equal(("as_1", 1), (a.GetProperty("afterSalesId").GetString(), a.GetProperty("lines")[0].GetProperty("quantity").GetInt32()));
        Assert.Equal((-2L, 2L, 0L, "ord_1"), (m.GetProperty("availableDelta").GetInt64(), m.GetProperty("reservedDelta").GetInt64(), m.GetProperty("soldDelta").GetInt64(),
            m.GetProperty("reference").GetString()));
    }

    [Fact]
    public void The_wms_takes_orders_cancellations_and_refunds_only()
    {
        var order = SyncTestData.PaidOrder(_enc);
        var returned = new ReturnEventPayload("ord_1", "shop-demo", "as_1", [], null, SyncTestData.At);
        var stock = new StockEventPayload("shop-demo", "prd_1", "sku_1", "C", -1, 1, 0, "r", null, "stk:x", SyncTestData.At);

        Assert.NotNull(Mapper.Map("wms", OutboxEvent.ForOrder(OutboxEventTypes.OrderCancelled, order, SyncTestData.At)));
        Assert.Null(Mapper.Map("wms", OutboxEvent.ForReturn("mbr_1", returned, SyncTestData.At)));
        Assert.Null(Mapper.Map("wms", OutboxEvent.ForOrder(OutboxEventTypes.OrderShipped, order, SyncTestData.At)));
        Assert.Null(Mapper.Map("wms", OutboxEvent.ForStock(OutboxEventTypes.StockReserved, stock)));
    }

    [Fact]
    public void Unmappable_events_are_mapping_errors()
    {
        var order = SyncTestData.PaidOrder(_enc);
        var noCode = OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, order with { Lines = [order.Lines[0] with { SkuCode = "" }] }, SyncTestData.At);
        var notShipped = OutboxEvent.ForOrder(OutboxEventTypes.OrderShipped, order, SyncTestData.At);
        var garbage = OutboxEvent.ForMember("mbr_1", OutboxEventTypes.OrderPaid, "ord_1", "x", new { something = "else" }, SyncTestData.At);
        var otherKey = OutboxEvent.ForOrder(OutboxEventTypes.OrderPaid, SyncTestData.PaidOrder(SyncTestData.Encryptor()), SyncTestData.At);

        Assert.Throws<MappingException>(() => Mapper.Map("erp", noCode));
        Assert.Throws<MappingException>(() => Mapper.Map("erp", notShipped));
        Assert.Throws<MappingException>(() => Mapper.Map("erp", garbage));
        Assert.Throws<MappingException>(() => Mapper.Map("wms", otherKey)); // an address this app cannot decrypt
    }
}
