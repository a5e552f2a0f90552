using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.WeChat.Pay;

namespace MiniShop.Infrastructure.Payments;

/// <summary>Prepays a pending payment order and returns exactly what wx.requestPayment needs.</summary>
public sealed class PrepayService(PaymentDocuments docs, CosmosDb db, WeChatPayGateway wechat, JsapiPaymentParametersBuilder builder, TimeProvider time)
{
    public async Task<JsapiPaymentParameters> PrepayAsync(string memberId, string paymentOrderId, CancellationToken ct)
    {
        var payment = (await docs.GetPaymentAsync(memberId, paymentOrderId, ct)).Value;
        if (payment.Status == PaymentStatus.Paid) throw new ConflictException("already_paid", "This order is already paid.");
        if (payment.AmountFen == 0)
            throw new ConflictException("nothing_to_pay", "Coupons and points cover this order: there is nothing to pay, and it is confirmed without WeChat Pay.");
        if (payment.Status == PaymentStatus.Closed || payment.ExpiresAt <= time.GetUtcNow())
            throw new ConflictException("payment_closed", "This order can no longer be paid; it was cancelled or its payment time ran out.");
        var member = (await db.Container(CosmosSchema.Members).ReadOrNullAsync<MemberDocument>(memberId, memberId, ct))!.Value;
        var orders = (await docs.OrdersAsync(memberId, payment.OrderIds, ct)).Select(o => o.Value).ToList();
        var prepayId = await wechat.PrepayAsync(payment, orders, member.OpenId, ct);
        return builder.Build(prepayId);
    }
}
