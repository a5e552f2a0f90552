using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using MiniShop.Domain.Common;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Payments;
using MiniShop.Infrastructure.Payments.Sandbox;

namespace MiniShop.Functions.Features.Payments;

/// <summary>
/// Local runs only (WeChatPay:Sandbox:Enabled): "pays" a payment order in the sandbox, which sends a correctly signed and
/// encrypted notification to this app's own webhook, exercising the whole real path. 404 when the sandbox is off.
/// </summary>
public sealed class SandboxPaymentFunctions(PaymentDocuments docs, IHttpClientFactory http, IServiceProvider services)
{
    [Function(nameof(SandboxPay))]
    [ApiOperation("Payments", "Sandbox only: pay a payment order; the sandbox notifies this app's webhook as WeChat Pay would", Auth = ApiAuth.Member, Response = typeof(SandboxPayView))]
    public async Task<IActionResult> SandboxPay([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sandbox/wechatpay/payments/{paymentOrderId}/pay")] HttpRequest req, string paymentOrderId)
    {
        var server = services.GetService<SandboxWeChatPayServer>() ?? throw new NotFoundException("Endpoint", "sandbox");
        var memberId = req.Caller().RequireMember();
        await docs.GetPaymentAsync(memberId, paymentOrderId, req.HttpContext.RequestAborted); // only the owner may pay
        var notification = server.Pay(paymentOrderId)
                           ?? throw new ConflictException("not_prepaid", "Prepay this payment order first (POST /api/payments/{id}/prepay); it is unknown or closed in the sandbox.");

        using var message = new HttpRequestMessage(HttpMethod.Post, $"{req.Scheme}://{req.Host}/api/webhooks/wechatpay/transactions")
        {
            Content = new StringContent(notification.Body, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in notification.Headers) message.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.CreateClient().SendAsync(message, req.HttpContext.RequestAborted);
        return Api.Ok(new SandboxPayView((int)response.StatusCode, paymentOrderId));
    }
}
