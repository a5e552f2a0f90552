using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Orders.Lifecycle;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.WeChat.Pay;

namespace MiniShop.Functions.Features.Payments;

/// <summary>
/// WeChat Pay's notifications. The raw body is read as sent (the signature covers its exact bytes); the answer is 204
/// when accepted, else a status with {"code":"FAIL","message":...} so WeChat retries.
/// </summary>
public sealed class WeChatPayWebhookFunctions(WeChatPayWebhooks webhooks, OrderLifecycleClients lifecycles)
{
    public const int MaxBody = 64 * 1024;

    [Function(nameof(WeChatPayTransactionNotification))]
    [ApiOperation("Webhooks", "WeChat Pay payment notification (JSAPI or combined): verified, decrypted, applied exactly once", Auth = ApiAuth.WeChatPaySignature, SuccessStatus = 204,
        Headers = ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"])]
    public async Task<IActionResult> WeChatPayTransactionNotification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/wechatpay/transactions")] HttpRequest req, [DurableClient] DurableTaskClient durable)
    {
        var answer = await webhooks.TransactionAsync(Headers(req), await RawBodyAsync(req), req.HttpContext.RequestAborted);
        if (answer is { Accepted: true, PaymentOrderId: { } id })
            await lifecycles.For(durable).RaiseAsync(id, LifecycleEvents.PaymentConfirmed, "notification", req.HttpContext.RequestAborted);
        return Answer(answer);
    }

    [Function(nameof(WeChatPayRefundNotification))]
    [ApiOperation("Webhooks", "WeChat Pay refund notification: settles the refund exactly once", Auth = ApiAuth.WeChatPaySignature, SuccessStatus = 204,
        Headers = ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"])]
    public async Task<IActionResult> WeChatPayRefundNotification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/wechatpay/refunds")] HttpRequest req, [DurableClient] DurableTaskClient durable)
    {
        var answer = await webhooks.RefundAsync(Headers(req), await RawBodyAsync(req), req.HttpContext.RequestAborted);
        if (answer is { Accepted: true, RefundId: { } refundId, RefundStatus: { } status })
            await lifecycles.For(durable).RaiseAsync(refundId, LifecycleEvents.RefundSettled, status, req.HttpContext.RequestAborted);
        return Answer(answer);
    }

    private static WeChatPaySignatureHeaders Headers(HttpRequest req) => WeChatPaySignatureHeaders.From(name => req.Headers[name].ToString() is { Length: > 0 } v ? v : null);

    private static async Task<string> RawBodyAsync(HttpRequest req)
    {
        if (req.ContentLength > MaxBody) throw new RequestTooLargeException();
        using var reader = new StreamReader(req.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(req.HttpContext.RequestAborted);
        return body.Length > MaxBody ? throw new RequestTooLargeException() : body;
    }

    private static IActionResult Answer(WebhookAnswer answer)
        => answer.Accepted ? Api.NoContent() : new ApiResult(new WeChatPayFailure("FAIL", answer.Message ?? "rejected"), answer.Status);
}
