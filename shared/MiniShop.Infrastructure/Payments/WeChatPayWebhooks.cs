using Microsoft.Extensions.Logging;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Orders;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;

namespace MiniShop.Infrastructure.Payments;

/// <summary>How to answer WeChat Pay: 204 when accepted, otherwise a status with {"code":"FAIL","message":...} (it retries).</summary>
public sealed record WebhookAnswer(int Status, string? Message, string? PaymentOrderId = null, string? RefundId = null, string? RefundStatus = null, ConfirmOutcome? Outcome = null)
{
    public bool Accepted => Status is 200 or 204;
}

/// <summary>
/// WeChat Pay notifications: verified on the raw body (signature by Wechatpay-Serial, timestamp window), decrypted,
/// checked against our payment order (appid, mchid, amount) and applied exactly once. Anything forged, stale, tampered
/// or mismatched changes nothing and is logged as a security event.
/// </summary>
public sealed class WeChatPayWebhooks(WeChatPayNotificationParser parser, PaymentSettlement settlement, RefundService refunds, ILogger<WeChatPayWebhooks> log)
{
    public async Task<WebhookAnswer> TransactionAsync(WeChatPaySignatureHeaders headers, string body, CancellationToken ct)
    {
        var parsed = Parse(headers, body);
        if (parsed.Answer is not null) return parsed.Answer;
        var n = parsed.Result!;

        PaymentConfirmation? confirmation = null;
        if (n.Transaction is { } t)
        {
            if (t.TradeState != TradeStates.Success) return new WebhookAnswer(204, null);
            confirmation = new PaymentConfirmation(t.OutTradeNo, t.TransactionId ?? "", t.Amount?.Total ?? -1, t.SuccessTime ?? DateTimeOffset.UtcNow, "notification", t.AppId, t.MchId);
        }
        else if (n.CombineTransaction is { } c)
        {
            if (c.SubOrders.Count == 0 || c.SubOrders.Any(s => s.TradeState != TradeStates.Success)) return new WebhookAnswer(204, null);
            confirmation = new PaymentConfirmation(c.CombineOutTradeNo, c.SubOrders[0].TransactionId ?? "", c.SubOrders.Sum(s => s.Amount?.TotalAmount ?? 0),
                c.SubOrders.Max(s => s.SuccessTime) ?? DateTimeOffset.UtcNow, "notification", c.CombineAppId, c.CombineMchId);
        }
        if (confirmation is null) return new WebhookAnswer(400, "not a payment notification");

        var (outcome, _) = await settlement.ConfirmPaidAsync(confirmation, ct);
        return outcome == ConfirmOutcome.Rejected
            ? new WebhookAnswer(400, "the notification does not match our order", confirmation.PaymentOrderId, Outcome: outcome)
            : new WebhookAnswer(204, null, confirmation.PaymentOrderId, Outcome: outcome);
    }

    public async Task<WebhookAnswer> RefundAsync(WeChatPaySignatureHeaders headers, string body, CancellationToken ct)
    {
        var parsed = Parse(headers, body);
        if (parsed.Answer is not null) return parsed.Answer;
        if (parsed.Result!.Refund is not { } r) return new WebhookAnswer(400, "not a refund notification");
        if (r.RefundStatus is not ("SUCCESS" or "CLOSED" or "ABNORMAL")) return new WebhookAnswer(204, null);
        try
        {
            var refund = (await refunds.GetAsync(r.OutRefundNo, ct)).Value;
            var expected = refund.Parts?.FirstOrDefault(p => p.OutRefundNo == r.OutRefundNo)?.AmountFen ?? refund.AmountFen;
            if (r.Amount is { } a && a.Refund != expected)
            {
                log.LogWarning("Security: refund notification {OutRefundNo} amount {Got} does not match {Expected}", r.OutRefundNo, a.Refund, expected);
                return new WebhookAnswer(400, "the refund amount does not match");
            }
            // A refund in parts (presale deposit + balance) settles when every part has: ask WeChat about all of them.
            var settled = refund.Status != RefundStatus.Processing ? refund
                : refund.Parts is not null ? await refunds.ReconcileAsync(refund.Id, ct)
                : await refunds.SettleAsync(refund.Id, r.RefundStatus == "SUCCESS", r.RefundId, ct);
            return new WebhookAnswer(204, null, refund.PaymentOrderId, settled.Id, Orders.Lifecycle.OrderLifecycleActivities.StatusOf(settled));
        }
        catch (Domain.Common.NotFoundException)
        {
            // Late-payment (LR) and presale deposit (DP) refunds are ours but have no refund document: nothing to settle.
            if (r.OutRefundNo.StartsWith("LR", StringComparison.Ordinal) || r.OutRefundNo.StartsWith("DP", StringComparison.Ordinal)) return new WebhookAnswer(204, null);
            log.LogWarning("Security: refund notification for unknown out_refund_no {OutRefundNo}", r.OutRefundNo);
            return new WebhookAnswer(404, "unknown refund");
        }
    }

    private (WeChatPayNotificationResult? Result, WebhookAnswer? Answer) Parse(WeChatPaySignatureHeaders headers, string body)
    {
        var result = parser.Parse(headers, body);
        switch (result.Status)
        {
            case WeChatPayNotificationStatus.Parsed:
                return (result, null);
            case WeChatPayNotificationStatus.SignatureInvalid:
                log.LogWarning("Security: WeChat Pay notification rejected: {Failure} (serial {Serial})", result.SignatureFailure, headers.Serial);
                return (null, new WebhookAnswer(401, "signature verification failed"));
            default:
                log.LogWarning("Security: WeChat Pay notification rejected: {Status} {Error}", result.Status, result.Error);
                return (null, new WebhookAnswer(400, "the notification could not be decrypted or read"));
        }
    }
}
