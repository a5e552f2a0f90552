using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>Exactly the arguments of <c>wx.requestPayment</c>, named as the mini-program expects them.</summary>
public sealed record JsapiPaymentParameters(
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("paySign")] string PaySign);
