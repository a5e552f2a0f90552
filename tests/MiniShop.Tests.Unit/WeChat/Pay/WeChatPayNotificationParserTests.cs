using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Notifications;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.Pay;

/// <summary>Notifications made by the sandbox (signed and encrypted for real) and read by the parser.</summary>
public sealed class WeChatPayNotificationParserTests : IDisposable
{
    private readonly PayTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Reads_a_payment_notification()
    {
        var notification = _context.Sandbox.CreateTransactionNotification(new WeChatPayTransaction
        {
            AppId = PayTestContext.AppId,
            MchId = PayTestContext.MchId,
            OutTradeNo = "1217752501201407033233368018",
            TransactionId = "4200000000000000000000000001",
            TradeType = "JSAPI",
            TradeState = TradeStates.Success,
            Attach = "shop-1",
            SuccessTime = new DateTimeOffset(2025, 5, 20, 13, 29, 30, TimeSpan.FromHours(8)),
            Payer = new PayPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
            Amount = new TransactionAmount { Total = 100, PayerTotal = 90, Currency = "CNY", PayerCurrency = "CNY" },
        });

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPayNotificationStatus.Parsed, result.Status);
        Assert.Equal(WeChatPayEventTypes.TransactionSuccess, result.Envelope!.EventType);
        Assert.StartsWith("EV-", result.Envelope.Id);
        var transaction = Assert.IsType<TransactionNotification>(result.Transaction);
        Assert.Null(result.CombineTransaction);
        Assert.Null(result.Refund);
        Assert.Equal("1217752501201407033233368018", transaction.OutTradeNo);
        Assert.Equal("4200000000000000000000000001", transaction.TransactionId);
        Assert.Equal(TradeStates.Success, transaction.TradeState);
        Assert.Equal(100, transaction.Amount!.Total);
        Assert.Equal(90, transaction.Amount.PayerTotal);
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", transaction.Payer!.OpenId);
        Assert.Equal(PayTestContext.AppId, transaction.AppId);
        Assert.Equal(PayTestContext.MchId, transaction.MchId);
        Assert.Equal("shop-1", transaction.Attach);
        Assert.Equal(new DateTimeOffset(2025, 5, 20, 13, 29, 30, TimeSpan.FromHours(8)), transaction.SuccessTime);
    }

    [Fact]
    public void Reads_a_combined_payment_notification()
    {
        var notification = _context.Sandbox.CreateCombineTransactionNotification(new CombineTransaction
        {
            CombineAppId = PayTestContext.AppId,
            CombineMchId = PayTestContext.MchId,
            CombineOutTradeNo = "P20150806125346",
            SubOrders =
            [
                new CombineSubOrderResult { MchId = PayTestContext.MchId, OutTradeNo = "S1", TradeState = TradeStates.Success, TransactionId = "T1", Attach = "a1", Amount = new CombineSubOrderAmount { TotalAmount = 10, PayerAmount = 10 } },
                new CombineSubOrderResult { MchId = PayTestContext.MchId, OutTradeNo = "S2", TradeState = TradeStates.Success, TransactionId = "T2", Attach = "a2", Amount = new CombineSubOrderAmount { TotalAmount = 25, PayerAmount = 20 } },
            ],
            CombinePayerInfo = new CombinePayerInfo("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        });

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPayNotificationStatus.Parsed, result.Status);
        Assert.Null(result.Transaction);
        var combine = Assert.IsType<CombineTransactionNotification>(result.CombineTransaction);
        Assert.Equal("P20150806125346", combine.CombineOutTradeNo);
        Assert.Equal(["S1", "S2"], combine.SubOrders.Select(s => s.OutTradeNo));
        Assert.Equal(20, combine.SubOrders[1].Amount!.PayerAmount);
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", combine.CombinePayerInfo!.OpenId);
    }

    [Theory]
    [InlineData(RefundStatuses.Success, WeChatPayEventTypes.RefundSuccess)]
    [InlineData(RefundStatuses.Closed, WeChatPayEventTypes.RefundClosed)]
    [InlineData(RefundStatuses.Abnormal, WeChatPayEventTypes.RefundAbnormal)]
    public void Reads_a_refund_notification(string status, string eventType)
    {
        var notification = _context.Sandbox.CreateRefundNotification(new RefundNotification
        {
            MchId = PayTestContext.MchId,
            OutTradeNo = "A1",
            TransactionId = "T1",
            OutRefundNo = "R-A1-1",
            RefundId = "50000000382019052709732678859",
            RefundStatus = status,
            SuccessTime = new DateTimeOffset(2025, 5, 20, 13, 40, 0, TimeSpan.FromHours(8)),
            UserReceivedAccount = "招商银行信用卡0403",
            Amount = new RefundAmount { Total = 100, Refund = 40, PayerTotal = 90, PayerRefund = 36 },
        });

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPayNotificationStatus.Parsed, result.Status);
        Assert.Equal(eventType, result.Envelope!.EventType);
        var refund = Assert.IsType<RefundNotification>(result.Refund);
        Assert.Equal(status, refund.RefundStatus);
        Assert.Equal("R-A1-1", refund.OutRefundNo);
        Assert.Equal("A1", refund.OutTradeNo);
        Assert.Equal("50000000382019052709732678859", refund.RefundId);
        Assert.Equal(40, refund.Amount!.Refund);
        Assert.Equal(36, refund.Amount.PayerRefund);
    }

    [Fact]
    public void A_tampered_body_is_a_signature_failure()
    {
        var notification = _context.Sandbox.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1", TradeState = TradeStates.Success });

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body.Replace("支付成功", "支付失败", StringComparison.Ordinal));

        Assert.Equal(WeChatPayNotificationStatus.SignatureInvalid, result.Status);
        Assert.Equal(WeChatPaySignatureFailure.BadSignature, result.SignatureFailure);
        Assert.Null(result.Envelope);
    }

    [Fact]
    public void A_replayed_notification_is_a_signature_failure()
    {
        var notification = _context.Sandbox.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1" });
        _context.Time.Advance(TimeSpan.FromMinutes(10));

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPaySignatureFailure.StaleTimestamp, result.SignatureFailure);
    }

    [Fact]
    public void A_notification_from_an_unknown_key_is_a_signature_failure()
    {
        using var stranger = new WeChatPaySandbox(_context.Time, _context.Sandbox.ApiV3Key);
        var notification = stranger.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1" });

        Assert.Equal(WeChatPaySignatureFailure.UnknownSerial, _context.Parser.Parse(notification.SignatureHeaders, notification.Body).SignatureFailure);
    }

    [Fact]
    public void A_probe_is_a_signature_failure()
    {
        var notification = _context.Sandbox.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1" });
        var probe = notification.SignatureHeaders with { Signature = "WECHATPAY/SIGNTEST/abc" };

        Assert.Equal(WeChatPaySignatureFailure.SignatureProbe, _context.Parser.Parse(probe, notification.Body).SignatureFailure);
    }

    [Fact]
    public void A_resource_encrypted_with_another_api_v3_key_is_a_decryption_failure()
    {
        using var otherKey = new WeChatPaySandbox(_context.Time);
        _context.Keys.Set(otherKey.VerificationKey);
        var notification = otherKey.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1" });

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPayNotificationStatus.DecryptionFailed, result.Status);
        Assert.NotNull(result.Envelope);
        Assert.Null(result.Transaction);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"EV-1","event_type":"TRANSACTION.SUCCESS"}""")]
    [InlineData("""{"id":"EV-1","event_type":"TRANSACTION.SUCCESS","resource":{"algorithm":"AEAD_SM4_GCM","ciphertext":"","nonce":""}}""")]
    public void A_signed_body_that_is_not_a_notification_is_an_invalid_payload(string body)
    {
        var signed = _context.Sandbox.Sign(body);

        Assert.Equal(WeChatPayNotificationStatus.InvalidPayload, _context.Parser.Parse(signed.SignatureHeaders, signed.Body).Status);
    }

    [Theory]
    [InlineData("TRANSACTION.SUCCESS", "[1,2]")]
    [InlineData("TRANSACTION.SUCCESS", """{"trade_state":"SUCCESS"}""")]
    [InlineData("REFUND.SUCCESS", """{"refund_status":"SUCCESS"}""")]
    [InlineData("TRANSACTION.SUCCESS", """{"out_trade_no":"A1","success_time":"yesterday"}""")]
    public void A_decrypted_resource_of_the_wrong_shape_is_an_invalid_payload(string eventType, string resource)
    {
        var notification = _context.Sandbox.CreateNotification(eventType, "transaction", "x", resource);

        var result = _context.Parser.Parse(notification.SignatureHeaders, notification.Body);

        Assert.Equal(WeChatPayNotificationStatus.InvalidPayload, result.Status);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void Headers_can_come_from_a_request_header_lookup()
    {
        var notification = _context.Sandbox.CreateTransactionNotification(new WeChatPayTransaction { OutTradeNo = "A1" });
        var requestHeaders = notification.Headers.ToDictionary(h => h.Key.ToUpperInvariant(), h => h.Value);

        var headers = WeChatPaySignatureHeaders.From(name => requestHeaders.GetValueOrDefault(name.ToUpperInvariant()));

        Assert.True(_context.Parser.Parse(headers, notification.Body).IsParsed);
    }
}
