using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using MiniShop.Tests.Unit.WeChat.Support;
using Moq;

namespace MiniShop.Tests.Unit.WeChat.MiniProgram;

public class WeChatMiniProgramClientTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 5, 20, 5, 29, 35, TimeSpan.Zero));
    private readonly Mock<IWeChatAccessTokenProvider> _tokens = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Code2Session_exchanges_the_code_for_a_session()
    {
        var server = new StubHttpHandler(_ => StubHttpHandler.Json(
            """{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","session_key":"tiihtNczf5v6AKRyjwEUhQ==","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}""",
            HttpStatusCode.OK));

        var session = await Client(server).Code2SessionAsync("081Kq4Ga1MSox41ufbJa1Ih6Ga1Kq4G4", Cancel);

        Assert.Equal(new WeChatSession("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "o6_bmasdasdsad6_2sgVt7hMZOPfL", "tiihtNczf5v6AKRyjwEUhQ=="), session);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://api.weixin.qq.com/sns/jscode2session", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("wx-app", request.Query("appid"));
        Assert.Equal("app-secret", request.Query("secret"));
        Assert.Equal("081Kq4Ga1MSox41ufbJa1Ih6Ga1Kq4G4", request.Query("js_code"));
        Assert.Equal("authorization_code", request.Query("grant_type"));
    }

    [Fact]
    public async Task Code2Session_without_unionid_and_with_a_text_content_type()
    {
        var server = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"session_key":"k","openid":"o"}""", System.Text.Encoding.UTF8, "text/plain"),
        });

        var session = await Client(server).Code2SessionAsync("code", Cancel);

        Assert.Equal("o", session.OpenId);
        Assert.Null(session.UnionId);
    }

    [Fact]
    public void A_session_never_prints_its_key()
    {
        var text = new WeChatSession("o", "u", "tiihtNczf5v6AKRyjwEUhQ==").ToString();

        Assert.DoesNotContain("tiihtNczf5v6AKRyjwEUhQ==", text);
        Assert.Contains("OpenId = o", text);
    }

    [Theory]
    [InlineData(40029, WeChatApiErrorKind.InvalidCode, false)]
    [InlineData(40163, WeChatApiErrorKind.CodeUsed, false)]
    [InlineData(45011, WeChatApiErrorKind.RateLimited, true)]
    [InlineData(40226, WeChatApiErrorKind.HighRiskUser, false)]
    [InlineData(-1, WeChatApiErrorKind.SystemBusy, true)]
    [InlineData(40013, WeChatApiErrorKind.InvalidCredentials, false)]
    [InlineData(40125, WeChatApiErrorKind.InvalidCredentials, false)]
    [InlineData(41002, WeChatApiErrorKind.InvalidCredentials, false)]
    [InlineData(41004, WeChatApiErrorKind.InvalidCredentials, false)]
    [InlineData(99999, WeChatApiErrorKind.Unknown, false)]
    public async Task Code2Session_maps_errcodes(int errcode, WeChatApiErrorKind kind, bool retryable)
    {
        var server = new StubHttpHandler(_ => StubHttpHandler.Json($$"""{"errcode":{{errcode}},"errmsg":"msg, rid: 1"}"""));

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => Client(server).Code2SessionAsync("code", Cancel));

        Assert.Equal(errcode, error.ErrCode);
        Assert.Equal("msg, rid: 1", error.ErrMsg);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(retryable, error.IsRetryable);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "")]
    [InlineData(HttpStatusCode.OK, "<html>busy</html>")]
    public async Task Transport_failures_are_system_busy(HttpStatusCode status, string body)
    {
        var server = new StubHttpHandler(_ => StubHttpHandler.Json(body, status));

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => Client(server).Code2SessionAsync("code", Cancel));

        Assert.Equal(WeChatApiErrorKind.SystemBusy, error.Kind);
    }

    [Fact]
    public async Task Upload_shipping_info_posts_the_documented_body()
    {
        _tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync("TOKEN");
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"errcode":0,"errmsg":"ok"}"""));

        await Client(server).UploadShippingInfoAsync(
            new UploadShippingInfoRequest
            {
                OrderKey = ShippingOrderKey.ByTransactionId("4200001234202505201234567890"),
                LogisticsType = LogisticsType.Express,
                DeliveryMode = DeliveryMode.Unified,
                ShippingList =
                [
                    new ShippingItem
                    {
                        TrackingNo = "SF1234567890",
                        ExpressCompany = "SF",
                        ItemDesc = "微信红包抱枕*1个",
                        Contact = new ShippingContact(ReceiverContact: "189****1234"),
                    },
                ],
                Payer = new ShippingPayer("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
            },
            Cancel);

        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.weixin.qq.com/wxa/sec/order/upload_shipping_info", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("TOKEN", request.Query("access_token"));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(2, root.GetProperty("order_key").GetProperty("order_number_type").GetInt32());
        Assert.Equal("4200001234202505201234567890", root.GetProperty("order_key").GetProperty("transaction_id").GetString());
        Assert.False(root.GetProperty("order_key").TryGetProperty("out_trade_no", out _));
        Assert.Equal(1, root.GetProperty("logistics_type").GetInt32());
        Assert.Equal(1, root.GetProperty("delivery_mode").GetInt32());
        Assert.False(root.TryGetProperty("is_all_delivered", out _));
        var item = root.GetProperty("shipping_list")[0];
        Assert.Equal("SF1234567890", item.GetProperty("tracking_no").GetString());
        Assert.Equal("SF", item.GetProperty("express_company").GetString());
        Assert.Equal("微信红包抱枕*1个", item.GetProperty("item_desc").GetString());
        Assert.Equal("189****1234", item.GetProperty("contact").GetProperty("receiver_contact").GetString());
        Assert.Equal("2025-05-20T13:29:35+08:00", root.GetProperty("upload_time").GetString());
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", root.GetProperty("payer").GetProperty("openid").GetString());
    }

    [Fact]
    public async Task Upload_shipping_info_by_out_trade_no_sends_mchid()
    {
        _tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync("TOKEN");
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"errcode":0,"errmsg":"ok"}"""));

        await Client(server).UploadShippingInfoAsync(ShippingRequest(ShippingOrderKey.ByOutTradeNo("1900000109", "A1")), Cancel);

        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        var key = body.RootElement.GetProperty("order_key");
        Assert.Equal(1, key.GetProperty("order_number_type").GetInt32());
        Assert.Equal("1900000109", key.GetProperty("mchid").GetString());
        Assert.Equal("A1", key.GetProperty("out_trade_no").GetString());
    }

    [Theory]
    [InlineData(40001)]
    [InlineData(42001)]
    public async Task A_rejected_access_token_is_refreshed_and_the_call_retried_once(int errcode)
    {
        _tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync("OLD");
        _tokens.Setup(t => t.RefreshAfterRejectionAsync("OLD", It.IsAny<CancellationToken>())).ReturnsAsync("NEW");
        var server = new StubHttpHandler(request => request.Query("access_token") == "OLD"
            ? StubHttpHandler.Json($$"""{"errcode":{{errcode}},"errmsg":"access_token expired"}""")
            : StubHttpHandler.Json("""{"errcode":0,"errmsg":"ok"}"""));

        await Client(server).UploadShippingInfoAsync(ShippingRequest(), Cancel);

        Assert.Equal(["OLD", "NEW"], server.Requests.Select(r => r.Query("access_token")));
        _tokens.Verify(t => t.RefreshAfterRejectionAsync("OLD", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_token_rejected_twice_is_reported_without_a_third_try()
    {
        _tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync("OLD");
        _tokens.Setup(t => t.RefreshAfterRejectionAsync("OLD", It.IsAny<CancellationToken>())).ReturnsAsync("NEW");
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"errcode":40001,"errmsg":"invalid credential"}"""));

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => Client(server).UploadShippingInfoAsync(ShippingRequest(), Cancel));

        Assert.Equal(WeChatApiErrorKind.AccessTokenRejected, error.Kind);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Other_upload_errors_are_reported_without_refreshing()
    {
        _tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync("TOKEN");
        var server = new StubHttpHandler(_ => StubHttpHandler.Json("""{"errcode":10060001,"errmsg":"支付单不存在"}"""));

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => Client(server).UploadShippingInfoAsync(ShippingRequest(), Cancel));

        Assert.Equal(10060001, error.ErrCode);
        Assert.Equal(WeChatApiErrorKind.Unknown, error.Kind);
        _tokens.Verify(t => t.RefreshAfterRejectionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static UploadShippingInfoRequest ShippingRequest(ShippingOrderKey? key = null) => new()
    {
        OrderKey = key ?? ShippingOrderKey.ByTransactionId("T1"),
        LogisticsType = LogisticsType.Virtual,
        DeliveryMode = DeliveryMode.Unified,
        ShippingList = [new ShippingItem { ItemDesc = "会员卡" }],
        UploadTime = new DateTimeOffset(2025, 5, 20, 13, 0, 0, TimeSpan.FromHours(8)),
        Payer = new ShippingPayer("o"),
    };

    private WeChatMiniProgramClient Client(HttpMessageHandler server) => new(
        new HttpClient(server),
        _tokens.Object,
        Options.Create(new WeChatMiniProgramOptions { AppId = "wx-app", AppSecret = "app-secret" }),
        _time);
}
