using System.Security.Cryptography;
using System.Text.Json;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.Pay;

public class JsapiPaymentParametersBuilderTests
{
    [Fact]
    public void Builds_signed_parameters_for_wx_requestPayment()
    {
        using var context = new PayTestContext();
        var builder = new JsapiPaymentParametersBuilder(context.Signer, context.Options, context.Time);

        var parameters = builder.Build("wx201410272009395522657a690389285100");

        Assert.Equal(PayTestContext.Now.ToUnixTimeSeconds().ToString(), parameters.TimeStamp);
        Assert.Matches("^[0-9A-F]{32}$", parameters.NonceStr);
        Assert.Equal("prepay_id=wx201410272009395522657a690389285100", parameters.Package);
        Assert.Equal("RSA", parameters.SignType);

        var message = WeChatPaySignatureMessage.ForJsapiPayment(PayTestContext.AppId, parameters.TimeStamp, parameters.NonceStr, parameters.Package);
        using var publicKey = PayTestContext.MerchantPublicKey();
        Assert.True(publicKey.VerifyData(message, Convert.FromBase64String(parameters.PaySign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Serializes_with_the_names_the_mini_program_expects()
    {
        var json = JsonSerializer.Serialize(new JsapiPaymentParameters("1", "N", "prepay_id=p", "RSA", "S"));

        Assert.Equal("""{"timeStamp":"1","nonceStr":"N","package":"prepay_id=p","signType":"RSA","paySign":"S"}""", json);
    }

    [Fact]
    public void Uses_a_fresh_nonce_each_time()
    {
        using var context = new PayTestContext();
        var builder = new JsapiPaymentParametersBuilder(context.Signer, context.Options, context.Time);

        Assert.NotEqual(builder.Build("p").NonceStr, builder.Build("p").NonceStr);
    }
}
