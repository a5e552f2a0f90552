using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Models;

namespace MiniShop.Infrastructure.Payments;

/// <summary>What a payment looks like at WeChat Pay: paid (with the transaction and amount) or not.</summary>
public sealed record WeChatPaymentState(bool Paid, string? TransactionId, long AmountFen, DateTimeOffset? PaidAt, string? AppId, string? MchId);

/// <summary>
/// Our payment orders in WeChat Pay's terms: one shop order pays with JSAPI (out_trade_no = payment order id), several
/// with a combined payment (combine_out_trade_no = payment order id, each sub order's out_trade_no = the shop order id).
/// </summary>
public sealed class WeChatPayGateway(IWeChatPayClient client, IOptions<WeChatPayOptions> options, ILogger<WeChatPayGateway> log)
{
    /// <summary>False when the app has no WeChat Pay settings (reading them validates them, which would throw).</summary>
    public bool IsConfigured
    {
        get
        {
            try { return !string.IsNullOrEmpty(options.Value.MchId); }
            catch (OptionsValidationException) { return false; }
        }
    }

    public string MchId => options.Value.MchId;

    public string AppId => options.Value.AppId;

    public static bool IsCombined(PaymentOrder p) => p.OrderIds.Count > 1;

    /// <summary>The out_trade_no a shop order's money was paid under (for refunds).</summary>
    public static string OutTradeNoOf(PaymentOrder p, string orderId) => IsCombined(p) ? orderId : p.Id;

    public async Task<string> PrepayAsync(PaymentOrder payment, IReadOnlyList<Order> orders, string openId, CancellationToken ct)
    {
        RequireConfigured();
        var description = Describe(orders.SelectMany(o => o.Lines).Select(l => l.Title));
        if (!IsCombined(payment))
            return (await client.JsapiPrepayAsync(new JsapiPrepayRequest
            {
                Description = description, OutTradeNo = payment.Id, TimeExpire = payment.ExpiresAt, Attach = payment.MemberId,
                Amount = new PayAmount(payment.AmountFen), Payer = new PayPayer(openId),
            }, ct)).PrepayId;
        return (await client.CombineJsapiPrepayAsync(new CombineJsapiPrepayRequest
        {
            CombineOutTradeNo = payment.Id, TimeExpire = payment.ExpiresAt, CombinePayerInfo = new CombinePayerInfo(openId),
            // WeChat Pay refuses a sub order of 0 fen: a shop order that coupons and points covered is not sent.
            SubOrders = orders.Where(o => o.Amounts.PayableFen > 0).Select(o => new CombineSubOrder
            {
                MchId = MchId, Attach = payment.MemberId, OutTradeNo = o.Id, Amount = new CombineAmount(o.Amounts.PayableFen),
                Description = Describe(o.Lines.Select(l => l.Title)),
            }).ToList(),
        }, ct)).PrepayId;
    }

    public async Task<WeChatPaymentState> QueryAsync(PaymentOrder payment, CancellationToken ct)
    {
        if (!IsConfigured) return new WeChatPaymentState(false, null, 0, null, null, null);
        try
        {
            if (!IsCombined(payment))
            {
                var t = await client.QueryByOutTradeNoAsync(payment.Id, ct);
                return new WeChatPaymentState(t.TradeState == TradeStates.Success, t.TransactionId, t.Amount?.Total ?? 0, t.SuccessTime, t.AppId, t.MchId);
            }
            var c = await client.QueryCombineByOutTradeNoAsync(payment.Id, ct);
            var paid = c.SubOrders.Count > 0 && c.SubOrders.All(s => s.TradeState == TradeStates.Success);
            return new WeChatPaymentState(paid, c.SubOrders.FirstOrDefault()?.TransactionId, c.SubOrders.Sum(s => s.Amount?.TotalAmount ?? 0),
                c.SubOrders.Max(s => s.SuccessTime), c.CombineAppId, c.CombineMchId);
        }
        catch (WeChatPayApiException e) when (e.Status == HttpStatusCode.NotFound || e.Code is "ORDER_NOT_EXIST" or "RESOURCE_NOT_EXISTS")
        {
            return new WeChatPaymentState(false, null, 0, null, null, null); // never prepaid: nothing at WeChat
        }
    }

    /// <summary>Closes the WeChat order so the shopper can no longer pay it. False when WeChat says it is already paid.</summary>
    public async Task<bool> CloseAsync(PaymentOrder payment, CancellationToken ct)
    {
        if (!IsConfigured) return true;
        try
        {
            if (!IsCombined(payment)) await client.CloseAsync(payment.Id, ct);
            else await client.CloseCombineAsync(payment.Id, payment.OrderIds.Select(id => new CombineSubOrderKey(id, MchId)).ToList(), ct);
            return true;
        }
        catch (WeChatPayApiException e) when (e.Code == "ORDERPAID")
        {
            return false;
        }
        catch (WeChatPayApiException e) when (e.Status == HttpStatusCode.NotFound || e.Code is "ORDER_NOT_EXIST" or "RESOURCE_NOT_EXISTS" or "ORDER_CLOSED")
        {
            return true;
        }
    }

    /// <summary>Refunds with a fixed out_refund_no, so a retry never refunds twice (WeChat answers the same refund).</summary>
    public async Task<WeChatPayRefund?> RefundAsync(string outTradeNo, string outRefundNo, long refundFen, long totalFen, string reason, CancellationToken ct)
    {
        if (!IsConfigured)
        {
            log.LogWarning("WeChat Pay is not configured: refund {OutRefundNo} is recorded as succeeded locally", outRefundNo);
            return null;
        }
        return await client.RefundAsync(new RefundRequest
        {
            OutTradeNo = outTradeNo, OutRefundNo = outRefundNo, Reason = reason, Amount = new RefundRequestAmount(refundFen, totalFen),
        }, ct);
    }

    public async Task<WeChatPayRefund?> QueryRefundAsync(string outRefundNo, CancellationToken ct)
        => IsConfigured ? await client.QueryRefundAsync(outRefundNo, ct) : null;

    private void RequireConfigured()
    {
        if (!IsConfigured) throw new UpstreamException("payments_not_configured", "WeChat Pay is not configured on this server.", 503);
    }

    // WeChat limits the description to 127 characters.
    private static string Describe(IEnumerable<string> titles)
    {
        var text = string.Join("、", titles.Distinct());
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
