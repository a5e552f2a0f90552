using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Payments;

namespace MiniShop.Functions.Features.Payments;

/// <summary>The shopper's side of paying: the payment order and the parameters for wx.requestPayment.</summary>
public sealed class PaymentFunctions(PrepayService prepay, PaymentDocuments docs)
{
    [Function(nameof(GetPayment))]
    [ApiOperation("Payments", "A payment order of the caller: status, amount, deadline", Auth = ApiAuth.Member, Response = typeof(PaymentView))]
    public async Task<IActionResult> GetPayment([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "payments/{paymentOrderId}")] HttpRequest req, string paymentOrderId)
    {
        var memberId = req.Caller().RequireMember();
        var p = (await docs.GetPaymentAsync(memberId, paymentOrderId, req.HttpContext.RequestAborted)).Value;
        return Api.Ok(new PaymentView(p.Id, Json.Camel(p.Status), p.AmountFen, p.ExpiresAt, p.OrderIds, p.PaidAt));
    }

    [Function(nameof(PrepayPayment))]
    [ApiOperation("Payments", "Prepay with WeChat Pay (JSAPI, or combined payment for several shops): returns what wx.requestPayment needs",
        Auth = ApiAuth.Member, Response = typeof(RequestPaymentView))]
    public async Task<IActionResult> PrepayPayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "payments/{paymentOrderId}/prepay")] HttpRequest req, string paymentOrderId)
    {
        var memberId = req.Caller().RequireMember();
        var p = await prepay.PrepayAsync(memberId, paymentOrderId, req.HttpContext.RequestAborted);
        return Api.Ok(new RequestPaymentView(p.TimeStamp, p.NonceStr, p.Package, p.SignType, p.PaySign));
    }
}

internal static class Json
{
    public static string Camel<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
