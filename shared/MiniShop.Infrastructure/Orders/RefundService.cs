using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Checkout;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Inventory;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Infrastructure.Orders;

public sealed record RefundLineDraft(string? LineId, int? Quantity);

/// <summary>Lines null: the whole order. ReturnGoods: the shopper sends the goods back (after shipment).</summary>
public sealed record RefundDraft(List<RefundLineDraft>? Lines, string? Reason, bool? ReturnGoods);

/// <summary>
/// After-sales refunds: requested by the shopper with exact amounts from the order's allocations, decided by the merchant
/// (or approved automatically when the decision is due), sent to WeChat Pay under a fixed out_refund_no and closed by
/// the refund notification. Every step is a guarded transition; repeating one changes nothing.
/// </summary>
public sealed class RefundService(
    PaymentDocuments docs,
    PaymentIndex index,
    WeChatPayGateway wechat,
    StockReservations stock,
    IOptions<OrderOptions> options,
    TimeProvider time,
    ILogger<RefundService> log)
{
    private Container Members => docs.Members;

    public async Task<Refund> RequestAsync(string memberId, string orderId, RefundDraft draft, CancellationToken ct)
    {
        new Validator().Required(draft.Reason, "reason", 200).ThrowIfInvalid();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var order = await docs.FindOrderAsync(memberId, orderId, ct) ?? throw new NotFoundException("Order", orderId);
            if (order.Value.Status is not (OrderStatus.AwaitingShipment or OrderStatus.Shipped or OrderStatus.Delivered))
                throw new BusinessRuleException("refund_not_allowed", $"An order that is {order.Value.Status} cannot be refunded.");
            var previous = await RefundsOfAsync(memberId, orderId, ct);
            var refund = Build(order.Value, draft, previous);
            await index.RecordRefundAsync(refund.Id, memberId, orderId, ct);
            foreach (var part in refund.Parts ?? []) await index.RecordRefundAsync(part.OutRefundNo, memberId, orderId, ct, refund.Id);

            // The order is replaced in the same batch, so two concurrent requests cannot both take the same units.
            using var response = await Members.CreateTransactionalBatch(new PartitionKey(memberId))
                .ReplaceItem(order.Value.Id, order.Value.Note(refund.RequestedAt, "refund requested", memberId, $"{Money.Yuan(refund.AmountFen)}: {refund.Reason}"),
                    new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag })
                .CreateItem(refund)
                .ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return refund;
            if (response.StatusCode != HttpStatusCode.PreconditionFailed) throw new InvalidOperationException($"Refund batch failed: {response.StatusCode}");
        }
        throw new ConflictException("order_contended", "The order changed while the refund was requested; retry.");
    }

    /// <summary>
    /// A refund of everything left on a paid, unshipped order that nobody asked for: the system's own decision (a failed
    /// group buy). Created already approved under <paramref name="refundId"/>, which is fixed by the caller (it becomes
    /// WeChat's out_refund_no), so calling again returns the same refund. Send it with <see cref="ExecuteAsync"/> or a
    /// refund lifecycle; settling it closes the order and puts the units back on sale.
    /// </summary>
    public async Task<Refund> CreateSystemRefundAsync(string memberId, string orderId, string refundId, string reason, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await Members.ReadOrNullAsync<Refund>(refundId, memberId, ct) is { Value.Type: "refund" } existing) return existing.Value;
            var order = await docs.FindOrderAsync(memberId, orderId, ct) ?? throw new NotFoundException("Order", orderId);
            if (order.Value.Status is not (OrderStatus.AwaitingGroup or OrderStatus.AwaitingShipment))
                throw new ConflictException("refund_not_allowed", $"An order that is {order.Value.Status} cannot be refunded by the system.");
            var now = time.GetUtcNow();
            var refund = Build(order.Value, new RefundDraft(null, reason, false), await RefundsOfAsync(memberId, orderId, ct)) with
            {
                Id = refundId, DecisionDueAt = now, Timeline = [new OrderEvent(now, "requested", "system", reason)],
            };
            refund = refund.Approve(now, "system", "refunded automatically");
            await index.RecordRefundAsync(refund.Id, memberId, orderId, ct);

            using var response = await Members.CreateTransactionalBatch(new PartitionKey(memberId))
                .ReplaceItem(order.Value.Id, order.Value.Note(now, "refund started", "system", $"{Money.Yuan(refund.AmountFen)}: {reason}"),
                    new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag })
                .CreateItem(refund)
                .ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return refund;
            if (!OptimisticRetry.IsLostRace(OptimisticRetry.FailedStatus(response)))
                throw new InvalidOperationException($"System refund batch failed: {response.StatusCode}");
        }
        throw new ConflictException("order_contended", "The order changed while the refund was created; retry.");
    }

    public async Task<Versioned<Refund>> GetAsync(string refundId, CancellationToken ct)
    {
        var entry = await index.FindAsync(PaymentIndex.RefundKey(refundId), ct) ?? throw new NotFoundException("Refund", refundId);
        var refund = await Members.ReadOrNullAsync<Refund>(entry.RefundId ?? refundId, entry.MemberId, ct);
        return refund?.Value.Type == "refund" ? refund : throw new NotFoundException("Refund", refundId);
    }

    public async Task<IReadOnlyList<Refund>> RefundsOfAsync(string memberId, string orderId, CancellationToken ct)
        => await Members.QueryAsync<Refund>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'refund' AND c.orderId = @o").WithParameter("@o", orderId), memberId, ct: ct);

    /// <summary>The merchant's (or the timeout's) decision. A second decision is refused; the same one again is a no-op.</summary>
    public async Task<Refund> DecideAsync(string refundId, bool approve, string actor, string? reason, CancellationToken ct)
    {
        if (!approve) new Validator().Required(reason, "reason", 200).ThrowIfInvalid();
        var refund = await GetAsync(refundId, ct);
        if (refund.Value.Status != RefundStatus.Requested)
        {
            var same = approve ? refund.Value.Status is RefundStatus.Approved or RefundStatus.Processing or RefundStatus.Succeeded : refund.Value.Status == RefundStatus.Rejected;
            return same ? refund.Value : throw new ConflictException("refund_state", $"The refund was already {refund.Value.Status}.");
        }
        var now = time.GetUtcNow();
        var decided = approve ? refund.Value.Approve(now, actor, reason) : refund.Value.Reject(now, actor, reason!);
        await ReplaceAsync(decided, refund.ETag, ct);
        return decided;
    }

    /// <summary>Sends an approved refund to WeChat Pay. Idempotent: the out_refund_no is the refund id.</summary>
    public async Task<Refund> ExecuteAsync(string refundId, CancellationToken ct)
    {
        var refund = await GetAsync(refundId, ct);
        var current = refund.Value;
        if (current.Status == RefundStatus.Approved)
        {
            current = current.StartProcessing(time.GetUtcNow());
            await ReplaceAsync(current, refund.ETag, ct);
        }
        if (current.Status != RefundStatus.Processing) return current;

        var order = (await docs.FindOrderAsync(current.MemberId, current.OrderId, ct))!.Value;
        var statuses = new List<string?>();
        foreach (var part in PartsOf(current))
        {
            if (part.AmountFen == 0)
            {
                statuses.Add("SUCCESS"); // nothing was paid for these units (coupons and points): nothing goes back through WeChat Pay
                continue;
            }
            var payment = (await docs.GetPaymentAsync(current.MemberId, part.PaymentOrderId, ct)).Value;
            var total = WeChatPayGateway.IsCombined(payment) ? order.Amounts.PayableFen : payment.AmountFen;
            var answer = await wechat.RefundAsync(WeChatPayGateway.OutTradeNoOf(payment, order.Id), part.OutRefundNo, part.AmountFen, total, current.Reason, ct);
            statuses.Add(answer is null ? "SUCCESS" : answer.Status); // no WeChat Pay here: settled locally
        }
        return await SettleFromStatusesAsync(current, statuses, ct);
    }

    /// <summary>Polls WeChat for a refund still processing (the notification may be lost).</summary>
    public async Task<Refund> ReconcileAsync(string refundId, CancellationToken ct)
    {
        var refund = (await GetAsync(refundId, ct)).Value;
        if (refund.Status != RefundStatus.Processing) return refund;
        var statuses = new List<string?>();
        foreach (var part in PartsOf(refund)) statuses.Add((await wechat.QueryRefundAsync(part.OutRefundNo, ct))?.Status ?? "SUCCESS");
        return await SettleFromStatusesAsync(refund, statuses, ct);
    }

    /// <summary>A refund is one part (the whole amount from the order's payment) or several (a presale's deposit and balance).</summary>
    private static IReadOnlyList<RefundPart> PartsOf(Refund r) => r.Parts ?? [new RefundPart(r.Id, r.PaymentOrderId, r.AmountFen)];

    /// <summary>Succeeded when every part succeeded, failed when one was closed or abnormal, else still processing.</summary>
    private async Task<Refund> SettleFromStatusesAsync(Refund refund, IReadOnlyList<string?> statuses, CancellationToken ct)
    {
        if (statuses.Any(s => s is "CLOSED" or "ABNORMAL")) return await SettleAsync(refund.Id, false, null, ct);
        if (statuses.All(s => s == "SUCCESS")) return await SettleAsync(refund.Id, true, null, ct);
        return refund;
    }

    /// <summary>
    /// The refund's outcome: on success the order notes it (or closes, when everything paid is back), and goods that
    /// never left the warehouse go back on sale. Exactly once, however many notifications arrive.
    /// </summary>
    public async Task<Refund> SettleAsync(string refundId, bool succeeded, string? wechatRefundId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var refund = await GetAsync(refundId, ct);
            if (refund.Value.Status is RefundStatus.Succeeded or RefundStatus.Failed) return refund.Value;
            if (refund.Value.Status != RefundStatus.Processing)
                throw new ConflictException("refund_state", $"The refund is {refund.Value.Status}; it was never sent.");
            var now = time.GetUtcNow();
            var settled = succeeded ? refund.Value.Succeed(now, wechatRefundId) : refund.Value.Fail(now, "WeChat Pay closed the refund");
            var order = (await docs.FindOrderAsync(refund.Value.MemberId, refund.Value.OrderId, ct))!;
            var batch = Members.CreateTransactionalBatch(new PartitionKey(refund.Value.MemberId))
                .ReplaceItem(refundId, settled, new TransactionalBatchItemRequestOptions { IfMatchEtag = refund.ETag });
            if (succeeded)
            {
                var earlier = (await RefundsOfAsync(refund.Value.MemberId, refund.Value.OrderId, ct)).Where(r => r.Status == RefundStatus.Succeeded && r.Id != refundId).ToList();
                var refunded = earlier.Sum(r => r.AmountFen) + settled.AmountFen;
                // Closed when every unit is back (after shipment the shipping fee stays with the shop) or everything paid is.
                var unitsBack = earlier.SelectMany(r => r.Lines).Concat(settled.Lines).GroupBy(l => l.LineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
                var everyUnitBack = order.Value.Lines.All(l => unitsBack.GetValueOrDefault(l.LineId) >= l.Quantity);
                var updated = everyUnitBack || (refunded >= order.Value.Amounts.PayableFen && order.Value.Amounts.PayableFen > 0)
                    ? order.Value.Close(now, "system", $"fully refunded ({Money.Yuan(refunded)})")
                    : order.Value.Note(now, "refunded", "wechatpay", Money.Yuan(settled.AmountFen));
                batch.ReplaceItem(order.Value.Id, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = order.ETag });
                // A group-buy order whose group never formed was never announced to ERP/WMS (no order.paid): nothing to tell.
                if (order.Value.Status != OrderStatus.AwaitingGroup)
                    batch.CreateItem(OutboxEvent.ForRefund(settled.MemberId, new RefundEventPayload(settled.OrderId, settled.ShopId, settled.Id, settled.AmountFen,
                        settled.Lines.Select(l => new RefundLinePayload(l.LineId, l.SkuId, order.Value.Lines.First(x => x.LineId == l.LineId).SkuCode, l.Quantity, l.AmountFen)).ToList(),
                        settled.Reason, now), now));
            }
            using var response = await batch.ExecuteAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.PreconditionFailed) continue;
                throw new InvalidOperationException($"Refund settle batch failed: {response.StatusCode}");
            }
            if (succeeded && order.Value.Status is OrderStatus.AwaitingShipment or OrderStatus.AwaitingGroup)
                await stock.ReturnUnitsAsync(refundId, StockLines(settled), "refunded before shipment", ct, order.Value.StockSource == StockSources.Product);
            log.LogInformation("Refund {RefundId} settled: {Status}", refundId, settled.Status);
            return settled;
        }
        throw new ConflictException("refund_contended", "The refund changed too often; retry.");
    }

    /// <summary>The merchant confirms returned goods arrived: they go back on sale. Idempotent.</summary>
    public async Task<Refund> GoodsReceivedAsync(string refundId, CancellationToken ct)
    {
        var refund = await GetAsync(refundId, ct);
        if (!refund.Value.ReturnGoods) throw new BusinessRuleException("no_return", "This refund does not return goods.");
        if (!refund.Value.GoodsReceived)
        {
            var now = time.GetUtcNow();
            var updated = refund.Value with
            {
                GoodsReceived = true, Version = refund.Value.Version + 1,
                Timeline = [.. refund.Value.Timeline, new OrderEvent(now, "goods received", "merchant")],
            };
            var order = (await docs.FindOrderAsync(updated.MemberId, updated.OrderId, ct))!.Value;
            using var response = await Members.CreateTransactionalBatch(new PartitionKey(updated.MemberId))
                .ReplaceItem(updated.Id, updated, new TransactionalBatchItemRequestOptions { IfMatchEtag = refund.ETag })
                .CreateItem(OutboxEvent.ForReturn(updated.MemberId, new ReturnEventPayload(updated.OrderId, updated.ShopId, updated.Id,
                    updated.Lines.Select(l => new ReturnLinePayload(l.LineId, l.SkuId, order.Lines.First(x => x.LineId == l.LineId).SkuCode, l.Quantity)).ToList(),
                    updated.Reason, now), now))
                .ExecuteAsync(ct);
            if (!response.IsSuccessStatusCode) throw new ConflictException("refund_contended", "The refund changed meanwhile; reload it.");
        }
        var returnedFrom = (await docs.FindOrderAsync(refund.Value.MemberId, refund.Value.OrderId, ct))?.Value.StockSource ?? StockSources.Product;
        await stock.ReturnUnitsAsync(refundId, StockLines(refund.Value), "returned goods received", ct, returnedFrom == StockSources.Product);
        return (await GetAsync(refundId, ct)).Value;
    }

    private static IReadOnlyList<StockRequest> StockLines(Refund r) => r.Lines.Select(l => new StockRequest(l.ProductId, l.SkuId, l.Quantity)).ToList();

    private Refund Build(Order order, RefundDraft draft, IReadOnlyList<Refund> previous)
    {
        var taken = previous.Where(r => r.Status != RefundStatus.Rejected && r.Status != RefundStatus.Failed)
            .SelectMany(r => r.Lines).GroupBy(l => l.LineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var refundedBefore = previous.Where(r => r.Status != RefundStatus.Rejected && r.Status != RefundStatus.Failed).SelectMany(r => r.Lines)
            .GroupBy(l => l.LineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var wanted = draft.Lines ?? order.Lines.Select(l => new RefundLineDraft(l.LineId, l.Quantity - taken.GetValueOrDefault(l.LineId))).Where(l => l.Quantity > 0).ToList();
        var v = new Validator();
        v.Check(wanted.Count > 0, "lines", "nothing is left to refund on this order.");
        var lines = new List<RefundLine>();
        for (var i = 0; i < wanted.Count; i++)
        {
            var line = order.Lines.FirstOrDefault(l => l.LineId == wanted[i].LineId);
            if (line is null) { v.Add($"lines[{i}].lineId", "is not a line of this order."); continue; }
            var left = line.Quantity - taken.GetValueOrDefault(line.LineId);
            if (wanted[i].Quantity is not { } q || q < 1 || q > left) { v.Add($"lines[{i}].quantity", $"must be between 1 and {left}."); continue; }
            lines.Add(new RefundLine(line.LineId, line.SkuId, line.ProductId, q, Refund.LineAmount(line, q, refundedBefore.GetValueOrDefault(line.LineId))));
        }
        if (lines.GroupBy(l => l.LineId).Any(g => g.Count() > 1)) v.Add("lines", "a line appears twice.");
        v.ThrowIfInvalid();

        // Shipping goes back only when the whole order is refunded before it ships.
        var everything = order.Lines.All(l => taken.GetValueOrDefault(l.LineId) + lines.Where(x => x.LineId == l.LineId).Sum(x => x.Quantity) == l.Quantity);
        var shipping = everything && order.Status is OrderStatus.AwaitingShipment or OrderStatus.AwaitingGroup ? order.Amounts.ShippingFen : 0;
        var now = time.GetUtcNow();
        var id = Ids.New("rfd").Replace("_", "")[..32];
        var amount = lines.Sum(l => l.AmountFen) + shipping;
        return new Refund(id, order.MemberId, order.Id, order.ShopId, order.PaymentOrderId, lines, shipping,
            amount, draft.Reason!.Trim(), draft.ReturnGoods == true && order.Status != OrderStatus.AwaitingShipment,
            RefundStatus.Requested, now, now.AddSeconds(options.Value.RefundDecisionSeconds), [new OrderEvent(now, "requested", order.MemberId, draft.Reason)], 1,
            Parts: order.Presale is { BalanceFen: not null } terms ? Refund.SplitPresale(id, amount, terms) : null);
    }

    private async Task ReplaceAsync(Refund refund, string etag, CancellationToken ct)
    {
        try
        {
            await Members.ReplaceItemAsync(refund, refund.Id, new PartitionKey(refund.MemberId), new ItemRequestOptions { IfMatchEtag = etag }, ct);
        }
        catch (CosmosException e) when (e.IsPreconditionFailed())
        {
            throw new ConflictException("refund_contended", "The refund changed meanwhile; reload it.");
        }
    }
}
