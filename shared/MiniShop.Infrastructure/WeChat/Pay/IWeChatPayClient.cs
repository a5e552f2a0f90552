using MiniShop.Infrastructure.WeChat.Pay.Models;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// WeChat Pay API v3 for a direct merchant. Error answers throw <see cref="WeChatPayApiException"/>;
/// answers whose signature does not verify throw <see cref="WeChatPaySignatureException"/>.
/// </summary>
public interface IWeChatPayClient
{
    Task<PrepayResponse> JsapiPrepayAsync(JsapiPrepayRequest request, CancellationToken cancellationToken = default);

    Task<PrepayResponse> CombineJsapiPrepayAsync(CombineJsapiPrepayRequest request, CancellationToken cancellationToken = default);

    Task<WeChatPayTransaction> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken cancellationToken = default);

    Task<CombineTransaction> QueryCombineByOutTradeNoAsync(string combineOutTradeNo, CancellationToken cancellationToken = default);

    Task CloseAsync(string outTradeNo, CancellationToken cancellationToken = default);

    Task CloseCombineAsync(
        string combineOutTradeNo, IReadOnlyList<CombineSubOrderKey> subOrders, CancellationToken cancellationToken = default);

    Task<WeChatPayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default);

    Task<WeChatPayRefund> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken = default);
}
