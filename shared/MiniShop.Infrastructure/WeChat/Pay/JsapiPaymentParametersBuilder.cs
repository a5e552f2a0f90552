using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Turns a prepay_id into signed <c>wx.requestPayment</c> parameters (paySign over appId\ntimeStamp\nnonceStr\npackage\n).</summary>
public sealed class JsapiPaymentParametersBuilder(
    WeChatPayMerchantSigner signer,
    IOptions<WeChatPayOptions> options,
    TimeProvider timeProvider)
{
    public const string SignType = "RSA";

    public JsapiPaymentParameters Build(string prepayId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prepayId);
        var appId = options.Value.AppId;
        var timeStamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonceStr = WeChatPayMerchantSigner.NewNonce();
        var package = "prepay_id=" + prepayId;
        var paySign = signer.Sign(WeChatPaySignatureMessage.ForJsapiPayment(appId, timeStamp, nonceStr, package));
        return new JsapiPaymentParameters(timeStamp, nonceStr, package, SignType, paySign);
    }
}
