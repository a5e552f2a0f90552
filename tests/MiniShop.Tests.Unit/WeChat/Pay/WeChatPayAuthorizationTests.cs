using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.Pay;

public class WeChatPayAuthorizationTests
{
    [Fact]
    public void Signature_round_trips_with_the_matching_public_key()
    {
        using var context = new PayTestContext();
        var message = WeChatPaySignatureMessage.ForRequest("GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", "");

        var signature = Convert.FromBase64String(context.Signer.Sign(message));

        using var publicKey = PayTestContext.MerchantPublicKey();
        Assert.True(publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        message[0] = (byte)'P';
        Assert.False(publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Header_value_has_the_documented_layout()
    {
        var authorization = new WeChatPayAuthorization("1900009191", "593BEC0C930BF1AFEB40B4A08C8FB242", "c2ln", "1554208460", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C");

        Assert.Equal(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"c2ln\",timestamp=\"1554208460\",serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\"",
            authorization.ToString());
    }

    [Fact]
    public void Parse_reads_fields_in_any_order()
    {
        var parsed = WeChatPayAuthorization.TryParse(
            "WECHATPAY2-SHA256-RSA2048 serial_no=\"S\",timestamp=\"1\",signature=\"a/b+c==\",nonce_str=\"N\",mchid=\"M\"", out var authorization);

        Assert.True(parsed);
        Assert.Equal(new WeChatPayAuthorization("M", "N", "a/b+c==", "1", "S"), authorization);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("WECHATPAY2-SHA256-RSA2048 mchid=\"M\",nonce_str=\"N\"")]
    public void Parse_rejects_incomplete_values(string? value)
    {
        Assert.False(WeChatPayAuthorization.TryParse(value, out _));
    }

    [Fact]
    public async Task Signing_handler_sets_an_authorization_that_parses_back_field_by_field()
    {
        using var context = new PayTestContext();
        var server = new StubHttpHandler(_ => context.Sandbox.CreateResponse(System.Net.HttpStatusCode.OK, """{"prepay_id":"wx1"}"""));
        using var http = context.CreateSigningClient(server);
        using var content = new StringContent("""{"mchid":"1900000109"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi?x=1", content, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        var header = request.Headers["Authorization"];
        Assert.Matches(new Regex("^WECHATPAY2-SHA256-RSA2048 mchid=\"[^\"]+\",nonce_str=\"[^\"]+\",signature=\"[^\"]+\",timestamp=\"\\d+\",serial_no=\"[^\"]+\"$"), header);
        Assert.True(WeChatPayAuthorization.TryParse(header, out var authorization));
        Assert.Equal(PayTestContext.MchId, authorization.MchId);
        Assert.Equal(PayTestContext.MerchantSerial, authorization.SerialNo);
        Assert.Equal(PayTestContext.Now.ToUnixTimeSeconds().ToString(), authorization.Timestamp);
        Assert.Matches("^[0-9A-F]{32}$", authorization.NonceStr);

        var signed = WeChatPaySignatureMessage.ForRequest(
            "POST", "/v3/pay/transactions/jsapi?x=1", authorization.Timestamp, authorization.NonceStr, """{"mchid":"1900000109"}""");
        using var publicKey = PayTestContext.MerchantPublicKey();
        Assert.True(publicKey.VerifyData(signed, Convert.FromBase64String(authorization.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal(context.Sandbox.PublicKeyId, request.Headers["Wechatpay-Serial"]);
        Assert.Contains("application/json", request.Headers["Accept"]);
        Assert.False(string.IsNullOrEmpty(request.Headers["User-Agent"]));
    }

    [Fact]
    public async Task Get_requests_sign_an_empty_body_and_the_query_string()
    {
        using var context = new PayTestContext();
        var server = new StubHttpHandler(_ => context.Sandbox.CreateResponse(System.Net.HttpStatusCode.OK, "{}"));
        using var http = context.CreateSigningClient(server);

        using var response = await http.GetAsync("https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/A1?mchid=1900000109", TestContext.Current.CancellationToken);

        WeChatPayAuthorization.TryParse(Assert.Single(server.Requests).Headers["Authorization"], out var authorization);
        var signed = WeChatPaySignatureMessage.ForRequest(
            "GET", "/v3/pay/transactions/out-trade-no/A1?mchid=1900000109", authorization!.Timestamp, authorization.NonceStr, "");
        using var publicKey = PayTestContext.MerchantPublicKey();
        Assert.True(publicKey.VerifyData(signed, Convert.FromBase64String(authorization.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
