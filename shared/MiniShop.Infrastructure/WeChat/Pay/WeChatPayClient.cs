using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.WeChat.Pay.Models;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>HTTP implementation; its HttpClient must run through <see cref="WeChatPaySigningHandler"/> (AddWeChat does that).</summary>
public sealed class WeChatPayClient(HttpClient http, IOptions<WeChatPayOptions> options) : IWeChatPayClient
{
    private WeChatPayOptions Settings => options.Value;

    public Task<PrepayResponse> JsapiPrepayAsync(JsapiPrepayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request with
        {
            AppId = request.AppId ?? Settings.AppId,
            MchId = request.MchId ?? Settings.MchId,
            NotifyUrl = request.NotifyUrl ?? Settings.NotifyUrl,
        };
        return SendAsync<PrepayResponse>(HttpMethod.Post, "v3/pay/transactions/jsapi", [], body, cancellationToken);
    }

    public Task<PrepayResponse> CombineJsapiPrepayAsync(CombineJsapiPrepayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request with
        {
            CombineAppId = request.CombineAppId ?? Settings.AppId,
            CombineMchId = request.CombineMchId ?? Settings.MchId,
            NotifyUrl = request.NotifyUrl ?? Settings.NotifyUrl,
            SubOrders = request.SubOrders.Select(sub => sub with { MchId = sub.MchId ?? Settings.MchId }).ToArray(),
        };
        return SendAsync<PrepayResponse>(HttpMethod.Post, "v3/combine-transactions/jsapi", [], body, cancellationToken);
    }

    public Task<WeChatPayTransaction> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outTradeNo);
        return SendAsync<WeChatPayTransaction>(
            HttpMethod.Get,
            $"v3/pay/transactions/out-trade-no/{WeChatUrl.Segment(outTradeNo)}",
            [("mchid", Settings.MchId)],
            null,
            cancellationToken);
    }

    public Task<CombineTransaction> QueryCombineByOutTradeNoAsync(string combineOutTradeNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(combineOutTradeNo);
        return SendAsync<CombineTransaction>(
            HttpMethod.Get,
            $"v3/combine-transactions/out-trade-no/{WeChatUrl.Segment(combineOutTradeNo)}",
            [],
            null,
            cancellationToken);
    }

    public Task CloseAsync(string outTradeNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outTradeNo);
        return SendAsync<object>(
            HttpMethod.Post,
            $"v3/pay/transactions/out-trade-no/{WeChatUrl.Segment(outTradeNo)}/close",
            [],
            new CloseOrderRequest(Settings.MchId),
            cancellationToken);
    }

    public Task CloseCombineAsync(
        string combineOutTradeNo, IReadOnlyList<CombineSubOrderKey> subOrders, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(combineOutTradeNo);
        ArgumentNullException.ThrowIfNull(subOrders);
        var body = new CombineCloseRequest(
            Settings.AppId,
            subOrders.Select(sub => sub with { MchId = sub.MchId ?? Settings.MchId }).ToArray());
        return SendAsync<object>(
            HttpMethod.Post,
            $"v3/combine-transactions/out-trade-no/{WeChatUrl.Segment(combineOutTradeNo)}/close",
            [],
            body,
            cancellationToken);
    }

    public Task<WeChatPayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OutRefundNo);
        if (string.IsNullOrEmpty(request.TransactionId) == string.IsNullOrEmpty(request.OutTradeNo))
        {
            throw new ArgumentException("Give exactly one of TransactionId and OutTradeNo.", nameof(request));
        }

        var body = request with { NotifyUrl = request.NotifyUrl ?? NullIfEmpty(Settings.RefundNotifyUrl) };
        return SendAsync<WeChatPayRefund>(HttpMethod.Post, "v3/refund/domestic/refunds", [], body, cancellationToken);
    }

    public Task<WeChatPayRefund> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outRefundNo);
        return SendAsync<WeChatPayRefund>(
            HttpMethod.Get,
            $"v3/refund/domestic/refunds/{WeChatUrl.Segment(outRefundNo)}",
            [],
            null,
            cancellationToken);
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        (string Name, string? Value)[] query,
        object? body,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, WeChatUrl.Build(Settings.BaseUrl, path, query));
        if (body is not null)
        {
            request.Content = WeChatJson.Content(body);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ToApiException(response.StatusCode, text);
        }

        if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text))
        {
            return typeof(T) == typeof(object)
                ? default!
                : throw new WeChatPayApiException(response.StatusCode, null, "empty answer where a body was expected");
        }

        try
        {
            return WeChatJson.Deserialize<T>(text)!;
        }
        catch (JsonException)
        {
            throw new WeChatPayApiException(response.StatusCode, null, "answer is not the expected JSON");
        }
    }

    private static WeChatPayApiException ToApiException(HttpStatusCode status, string text)
    {
        try
        {
            var error = WeChatJson.Deserialize<ErrorBody>(text);
            return new WeChatPayApiException(status, error?.Code, error?.Message);
        }
        catch (JsonException)
        {
            return new WeChatPayApiException(status, null, null);
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed record ErrorBody(string? Code, string? Message);
}
