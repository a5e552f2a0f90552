using System.Net;
using System.Text.Json;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Models;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.Pay;

/// <summary>Each call goes through the real signing handler to a sandbox server that checks the merchant signature.</summary>
public sealed class WeChatPayClientTests : IDisposable
{
    private readonly PayTestContext _context = new();
    private readonly List<WeChatPaySandboxRequest> _received = [];
    private readonly System.Security.Cryptography.RSA _merchantPublicKey = PayTestContext.MerchantPublicKey();
    private (HttpStatusCode Status, string? Body) _answer = (HttpStatusCode.OK, "{}");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _merchantPublicKey.Dispose();
        _context.Dispose();
    }

    [Fact]
    public async Task Jsapi_prepay_posts_the_order_with_our_appid_mchid_and_notify_url()
    {
        _answer = (HttpStatusCode.OK, """{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}""");

        var result = await Client().JsapiPrepayAsync(
            new JsapiPrepayRequest
            {
                Description = "Image形象店-深圳腾大-QQ公仔",
                OutTradeNo = "1217752501201407033233368018",
                TimeExpire = PayTestContext.Now.AddMinutes(30),
                Attach = "shop-1",
                Amount = new PayAmount(100),
                Payer = new PayPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
            },
            Cancel);

        Assert.Equal("wx26112221580621e9b071c00d9e093b0000", result.PrepayId);
        var request = Received(HttpMethod.Post, "/v3/pay/transactions/jsapi");
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(PayTestContext.AppId, root.GetProperty("appid").GetString());
        Assert.Equal(PayTestContext.MchId, root.GetProperty("mchid").GetString());
        Assert.Equal("Image形象店-深圳腾大-QQ公仔", root.GetProperty("description").GetString());
        Assert.Equal("1217752501201407033233368018", root.GetProperty("out_trade_no").GetString());
        Assert.Equal("2025-05-20T13:59:35+08:00", root.GetProperty("time_expire").GetString());
        Assert.Equal("shop-1", root.GetProperty("attach").GetString());
        Assert.Equal("https://shop.example.com/api/pay/notify", root.GetProperty("notify_url").GetString());
        Assert.Equal(100, root.GetProperty("amount").GetProperty("total").GetInt64());
        Assert.Equal("CNY", root.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", root.GetProperty("payer").GetProperty("openid").GetString());
        Assert.False(root.TryGetProperty("goods_tag", out _));
    }

    [Fact]
    public async Task Combine_prepay_posts_sub_orders()
    {
        _answer = (HttpStatusCode.OK, """{"prepay_id":"wx-combine"}""");

        var result = await Client().CombineJsapiPrepayAsync(
            new CombineJsapiPrepayRequest
            {
                CombineOutTradeNo = "P20150806125346",
                SubOrders =
                [
                    new CombineSubOrder { Attach = "a1", Amount = new CombineAmount(10), OutTradeNo = "S1", Description = "Tea" },
                    new CombineSubOrder { MchId = "1900000110", Attach = "a2", Amount = new CombineAmount(25), OutTradeNo = "S2", Description = "Cup" },
                ],
                CombinePayerInfo = new CombinePayerInfo("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
                TimeExpire = new DateTimeOffset(2025, 5, 20, 14, 0, 0, TimeSpan.FromHours(8)),
            },
            Cancel);

        Assert.Equal("wx-combine", result.PrepayId);
        using var body = JsonDocument.Parse(Received(HttpMethod.Post, "/v3/combine-transactions/jsapi").Body);
        var root = body.RootElement;
        Assert.Equal(PayTestContext.AppId, root.GetProperty("combine_appid").GetString());
        Assert.Equal(PayTestContext.MchId, root.GetProperty("combine_mchid").GetString());
        Assert.Equal("P20150806125346", root.GetProperty("combine_out_trade_no").GetString());
        Assert.Equal("2025-05-20T14:00:00+08:00", root.GetProperty("time_expire").GetString());
        Assert.Equal("https://shop.example.com/api/pay/notify", root.GetProperty("notify_url").GetString());
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", root.GetProperty("combine_payer_info").GetProperty("openid").GetString());
        var subOrders = root.GetProperty("sub_orders");
        Assert.Equal(2, subOrders.GetArrayLength());
        Assert.Equal(PayTestContext.MchId, subOrders[0].GetProperty("mchid").GetString());
        Assert.Equal("a1", subOrders[0].GetProperty("attach").GetString());
        Assert.Equal(10, subOrders[0].GetProperty("amount").GetProperty("total_amount").GetInt64());
        Assert.Equal("CNY", subOrders[0].GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("S1", subOrders[0].GetProperty("out_trade_no").GetString());
        Assert.Equal("Tea", subOrders[0].GetProperty("description").GetString());
        Assert.Equal("1900000110", subOrders[1].GetProperty("mchid").GetString());
    }

    [Fact]
    public async Task Query_gets_the_order_by_out_trade_no_with_mchid()
    {
        _answer = (HttpStatusCode.OK, """
            {"appid":"wxd678efh567hg6787","mchid":"1900000109","out_trade_no":"A 1/2","transaction_id":"1217752501201407033233368018",
             "trade_type":"JSAPI","trade_state":"SUCCESS","trade_state_desc":"支付成功","bank_type":"CMC","attach":"shop-1",
             "success_time":"2018-06-08T10:34:56+08:00","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
             "amount":{"total":100,"payer_total":90,"currency":"CNY","payer_currency":"CNY"}}
            """);

        var transaction = await Client().QueryByOutTradeNoAsync("A 1/2", Cancel);

        var request = Received(HttpMethod.Get, "/v3/pay/transactions/out-trade-no/A%201%2F2");
        Assert.Equal("?mchid=1900000109", request.Uri.Query);
        Assert.Equal("", request.Body);
        Assert.Equal(TradeStates.Success, transaction.TradeState);
        Assert.Equal("1217752501201407033233368018", transaction.TransactionId);
        Assert.Equal(100, transaction.Amount!.Total);
        Assert.Equal(90, transaction.Amount.PayerTotal);
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", transaction.Payer!.OpenId);
        Assert.Equal(new DateTimeOffset(2018, 6, 8, 10, 34, 56, TimeSpan.FromHours(8)), transaction.SuccessTime);
    }

    [Fact]
    public async Task Combine_query_reads_every_sub_order()
    {
        _answer = (HttpStatusCode.OK, """
            {"combine_appid":"wxd678efh567hg6787","combine_mchid":"1900000109","combine_out_trade_no":"P1",
             "sub_orders":[{"mchid":"1900000109","trade_type":"JSAPI","trade_state":"SUCCESS","attach":"a1",
               "transaction_id":"T1","out_trade_no":"S1","success_time":"2025-05-20T13:30:00+08:00",
               "amount":{"total_amount":10,"payer_amount":10,"currency":"CNY","payer_currency":"CNY"}},
               {"mchid":"1900000109","trade_state":"NOTPAY","out_trade_no":"S2","amount":{"total_amount":25,"currency":"CNY"}}],
             "combine_payer_info":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}
            """);

        var combine = await Client().QueryCombineByOutTradeNoAsync("P1", Cancel);

        Assert.Equal("", Received(HttpMethod.Get, "/v3/combine-transactions/out-trade-no/P1").Uri.Query);
        Assert.Equal("P1", combine.CombineOutTradeNo);
        Assert.Equal([TradeStates.Success, TradeStates.NotPay], combine.SubOrders.Select(s => s.TradeState));
        Assert.Equal(10, combine.SubOrders[0].Amount!.TotalAmount);
        Assert.Equal("T1", combine.SubOrders[0].TransactionId);
    }

    [Fact]
    public async Task Close_posts_our_mchid_and_accepts_a_signed_204()
    {
        _answer = (HttpStatusCode.NoContent, null);

        await Client().CloseAsync("A1", Cancel);

        Assert.Equal("""{"mchid":"1900000109"}""", Received(HttpMethod.Post, "/v3/pay/transactions/out-trade-no/A1/close").Body);
    }

    [Fact]
    public async Task Combine_close_posts_the_sub_orders()
    {
        _answer = (HttpStatusCode.NoContent, null);

        await Client().CloseCombineAsync("P1", [new CombineSubOrderKey("S1"), new CombineSubOrderKey("S2", "1900000110")], Cancel);

        using var body = JsonDocument.Parse(Received(HttpMethod.Post, "/v3/combine-transactions/out-trade-no/P1/close").Body);
        Assert.Equal(PayTestContext.AppId, body.RootElement.GetProperty("combine_appid").GetString());
        var subOrders = body.RootElement.GetProperty("sub_orders");
        Assert.Equal("1900000109", subOrders[0].GetProperty("mchid").GetString());
        Assert.Equal("S1", subOrders[0].GetProperty("out_trade_no").GetString());
        Assert.Equal("1900000110", subOrders[1].GetProperty("mchid").GetString());
    }

    [Fact]
    public async Task Refund_posts_the_callers_out_refund_no_and_amounts()
    {
        _answer = (HttpStatusCode.OK, """
            {"refund_id":"50000000382019052709732678859","out_refund_no":"R-A1-1","transaction_id":"T1","out_trade_no":"A1",
             "channel":"ORIGINAL","user_received_account":"招商银行信用卡0403","create_time":"2025-05-20T13:29:35+08:00",
             "status":"PROCESSING","funds_account":"AVAILABLE",
             "amount":{"total":100,"refund":40,"payer_total":100,"payer_refund":40,"settlement_refund":40,"settlement_total":100,"discount_refund":0,"currency":"CNY"}}
            """);

        var refund = await Client().RefundAsync(
            new RefundRequest { OutTradeNo = "A1", OutRefundNo = "R-A1-1", Reason = "商品已售完", Amount = new RefundRequestAmount(40, 100) },
            Cancel);

        using var body = JsonDocument.Parse(Received(HttpMethod.Post, "/v3/refund/domestic/refunds").Body);
        var root = body.RootElement;
        Assert.Equal("A1", root.GetProperty("out_trade_no").GetString());
        Assert.False(root.TryGetProperty("transaction_id", out _));
        Assert.Equal("R-A1-1", root.GetProperty("out_refund_no").GetString());
        Assert.Equal("商品已售完", root.GetProperty("reason").GetString());
        Assert.Equal("https://shop.example.com/api/pay/refund-notify", root.GetProperty("notify_url").GetString());
        Assert.Equal(40, root.GetProperty("amount").GetProperty("refund").GetInt64());
        Assert.Equal(100, root.GetProperty("amount").GetProperty("total").GetInt64());
        Assert.Equal("CNY", root.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal(RefundStatuses.Processing, refund.Status);
        Assert.Equal("50000000382019052709732678859", refund.RefundId);
        Assert.Equal(40, refund.Amount!.PayerRefund);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("T1", "A1")]
    public async Task Refund_needs_exactly_one_order_reference(string? transactionId, string? outTradeNo)
    {
        var request = new RefundRequest { TransactionId = transactionId, OutTradeNo = outTradeNo, OutRefundNo = "R1", Amount = new RefundRequestAmount(1, 1) };

        await Assert.ThrowsAsync<ArgumentException>(() => Client().RefundAsync(request, Cancel));
        Assert.Empty(_received);
    }

    [Fact]
    public async Task Refund_query_gets_by_out_refund_no()
    {
        _answer = (HttpStatusCode.OK, """{"refund_id":"5000","out_refund_no":"R-A1-1","status":"SUCCESS","success_time":"2025-05-20T13:31:00+08:00","amount":{"total":100,"refund":40}}""");

        var refund = await Client().QueryRefundAsync("R-A1-1", Cancel);

        Assert.Equal("", Received(HttpMethod.Get, "/v3/refund/domestic/refunds/R-A1-1").Body);
        Assert.Equal(RefundStatuses.Success, refund.Status);
        Assert.Equal(40, refund.Amount!.Refund);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ORDER_CLOSED", false)]
    [InlineData(HttpStatusCode.Forbidden, "ORDERPAID", false)]
    [InlineData(HttpStatusCode.Forbidden, "NOT_ENOUGH", false)]
    [InlineData(HttpStatusCode.NotFound, "RESOURCE_NOT_EXISTS", false)]
    [InlineData(HttpStatusCode.InternalServerError, "SYSTEM_ERROR", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "FREQUENCY_LIMITED", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, true)]
    public async Task Error_answers_become_api_exceptions(HttpStatusCode status, string? code, bool retryable)
    {
        _answer = (status, code is null ? "" : $$"""{"code":"{{code}}","message":"描述"}""");

        var error = await Assert.ThrowsAsync<WeChatPayApiException>(() => Client().QueryByOutTradeNoAsync("A1", Cancel));

        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.Code);
        Assert.Equal(code is null ? null : "描述", error.ErrorMessage);
        Assert.Equal(retryable, error.IsRetryable);
    }

    [Fact]
    public async Task An_unsigned_error_from_a_rejected_request_signature_is_an_api_exception()
    {
        using var otherMerchant = System.Security.Cryptography.RSA.Create(2048);
        var server = new WeChatPaySandboxHandler(_context.Sandbox, _ => (HttpStatusCode.OK, "{}"), otherMerchant);

        var error = await Assert.ThrowsAsync<WeChatPayApiException>(() => _context.CreateClient(server).QueryByOutTradeNoAsync("A1", Cancel));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal(WeChatPayErrorCodes.SignError, error.Code);
    }

    [Fact]
    public async Task An_unsigned_success_is_rejected()
    {
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"prepay_id":"forged"}"""));

        var error = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => _context.CreateClient(server).QueryByOutTradeNoAsync("A1", Cancel));

        Assert.Equal(WeChatPaySignatureFailure.MissingHeader, error.Failure);
    }

    [Fact]
    public async Task A_tampered_success_is_rejected()
    {
        var server = new StubHttpHandler(_ =>
        {
            var genuine = _context.Sandbox.CreateResponse(HttpStatusCode.OK, """{"trade_state":"NOTPAY"}""");
            genuine.Content = new StringContent("""{"trade_state":"SUCCESS"}""");
            return genuine;
        });

        var error = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => _context.CreateClient(server).QueryByOutTradeNoAsync("A1", Cancel));

        Assert.Equal(WeChatPaySignatureFailure.BadSignature, error.Failure);
        Assert.Equal(_context.Sandbox.PublicKeyId, error.Serial);
    }

    [Fact]
    public async Task A_signed_error_with_a_bad_signature_is_rejected()
    {
        using var stranger = new WeChatPaySandbox(_context.Time);
        var server = new StubHttpHandler(_ => stranger.CreateResponse(HttpStatusCode.Forbidden, """{"code":"ORDERPAID","message":"x"}"""));

        var error = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => _context.CreateClient(server).CloseAsync("A1", Cancel));

        Assert.Equal(WeChatPaySignatureFailure.UnknownSerial, error.Failure);
    }

    private WeChatPayClient Client() =>
        _context.CreateClient(new WeChatPaySandboxHandler(
            _context.Sandbox,
            request =>
            {
                lock (_received)
                {
                    _received.Add(request);
                }

                return _answer;
            },
            _merchantPublicKey));

    private WeChatPaySandboxRequest Received(HttpMethod method, string path)
    {
        var request = Assert.Single(_received);
        Assert.Equal(method, request.Method);
        Assert.Equal("https://api.mch.weixin.qq.com" + path, request.Uri.GetLeftPart(UriPartial.Path));
        Assert.NotNull(request.Authorization);
        return request;
    }
}
