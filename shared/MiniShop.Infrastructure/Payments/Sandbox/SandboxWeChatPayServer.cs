using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;

namespace MiniShop.Infrastructure.Payments.Sandbox;

/// <summary>
/// A stand-in for WeChat Pay in local runs (WeChatPay:Sandbox:Enabled): keeps prepaid orders in memory, answers prepay,
/// query, close and refund with correctly signed responses, and produces correctly signed and encrypted notifications
/// when a payment is "made". Keys are generated at start-up; nothing here is ever on in production by default.
/// </summary>
public sealed class SandboxWeChatPayServer : IDisposable
{
    private sealed record Trade(string OutTradeNo, string? CombineOutTradeNo, long Total, string Attach, string OpenId, string AppId, string MchId)
    {
        public string State { get; set; } = "NOTPAY";
        public string? TransactionId { get; set; }
        public DateTimeOffset? PaidAt { get; set; }
    }

    private readonly ConcurrentDictionary<string, Trade> _trades = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<string>> _combines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _refunds = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SandboxWeChatPayServer(TimeProvider time)
    {
        _time = time;
        Platform = new WeChatPaySandbox(time);
        MerchantKey = RSA.Create(2048);
    }

    public WeChatPaySandbox Platform { get; }

    public RSA MerchantKey { get; }

    public WeChatPaySandboxHandler CreateHandler() => new(Platform, Respond, MerchantKey);

    /// <summary>Whether a trade (or combined trade) or a refund was ever sent here under this number.</summary>
    public bool Knows(string outTradeOrRefundNo) =>
        _trades.ContainsKey(outTradeOrRefundNo) || _combines.ContainsKey(outTradeOrRefundNo) || _refunds.ContainsKey(outTradeOrRefundNo);

    /// <summary>The shopper pays: the trade (or every sub order of a combined one) succeeds and a notification is made.</summary>
    public WeChatPaySignedMessage? Pay(string outTradeNo)
    {
        var now = _time.GetUtcNow();
        if (_combines.TryGetValue(outTradeNo, out var subs))
        {
            var trades = subs.Select(s => _trades[s]).ToList();
            if (trades.Any(t => t.State == "CLOSED")) return null;
            foreach (var t in trades) MarkPaid(t, now);
            return Platform.CreateCombineTransactionNotification(CombineJson(outTradeNo).Deserialize<WeChat.Pay.Models.CombineTransaction>(WeChat.WeChatJson.Options)!);
        }
        if (!_trades.TryGetValue(outTradeNo, out var trade) || trade.State == "CLOSED") return null;
        MarkPaid(trade, now);
        return Platform.CreateTransactionNotification(TradeJson(trade).Deserialize<WeChat.Pay.Models.WeChatPayTransaction>(WeChat.WeChatJson.Options)!);
    }

    private static void MarkPaid(Trade t, DateTimeOffset now)
    {
        if (t.State == "SUCCESS") return;
        t.State = "SUCCESS";
        t.TransactionId = "4200" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        t.PaidAt = now;
    }

    private (HttpStatusCode, string?) Respond(WeChatPaySandboxRequest request)
    {
        var path = request.Uri.AbsolutePath;
        var body = string.IsNullOrEmpty(request.Body) ? null : JsonNode.Parse(request.Body)!.AsObject();
        if (request.Method == HttpMethod.Post && path == "/v3/pay/transactions/jsapi")
        {
            var t = new Trade(Str(body, "out_trade_no"), null, body!["amount"]!["total"]!.GetValue<long>(), Str(body, "attach"), body["payer"]!["openid"]!.GetValue<string>(), Str(body, "appid"), Str(body, "mchid"));
            _trades.TryAdd(t.OutTradeNo, t);
            return Ok(new JsonObject { ["prepay_id"] = "wx_sbx_" + t.OutTradeNo });
        }
        if (request.Method == HttpMethod.Post && path == "/v3/combine-transactions/jsapi")
        {
            var combine = Str(body, "combine_out_trade_no");
            var subs = body!["sub_orders"]!.AsArray().Select(s => new Trade(Str(s, "out_trade_no"), combine, s!["amount"]!["total_amount"]!.GetValue<long>(),
                Str(s, "attach"), body["combine_payer_info"]!["openid"]!.GetValue<string>(), Str(body, "combine_appid"), Str(s, "mchid"))).ToList();
            foreach (var s in subs) _trades.TryAdd(s.OutTradeNo, s);
            _combines.TryAdd(combine, subs.Select(s => s.OutTradeNo).ToList());
            return Ok(new JsonObject { ["prepay_id"] = "wx_sbx_" + combine });
        }
        if (request.Method == HttpMethod.Get && path.StartsWith("/v3/pay/transactions/out-trade-no/", StringComparison.Ordinal))
            return _trades.TryGetValue(Last(path), out var t) ? Ok(TradeJson(t)) : NotFound();
        if (request.Method == HttpMethod.Get && path.StartsWith("/v3/combine-transactions/out-trade-no/", StringComparison.Ordinal))
            return _combines.ContainsKey(Last(path)) ? Ok(CombineJson(Last(path))) : NotFound();
        if (request.Method == HttpMethod.Post && path.EndsWith("/close", StringComparison.Ordinal))
        {
            var no = path.Split('/')[^2];
            var trades = _combines.TryGetValue(no, out var subs) ? subs.Select(s => _trades[s]).ToList() : _trades.TryGetValue(no, out var t) ? [t] : [];
            if (trades.Count == 0) return NotFound();
            if (trades.Any(x => x.State == "SUCCESS")) return (HttpStatusCode.BadRequest, """{"code":"ORDERPAID","message":"订单已支付"}""");
            foreach (var x in trades) x.State = "CLOSED";
            return (HttpStatusCode.NoContent, null);
        }
        if (request.Method == HttpMethod.Post && path == "/v3/refund/domestic/refunds")
        {
            var no = Str(body, "out_refund_no");
            var refund = _refunds.GetOrAdd(no, _ => new JsonObject
            {
                ["refund_id"] = "50" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), ["out_refund_no"] = no,
                ["out_trade_no"] = Str(body, "out_trade_no"), ["status"] = "SUCCESS", ["success_time"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz"),
                ["amount"] = new JsonObject { ["refund"] = body!["amount"]!["refund"]!.GetValue<long>(), ["total"] = body["amount"]!["total"]!.GetValue<long>(), ["currency"] = "CNY" },
            });
            return Ok(refund.DeepClone().AsObject());
        }
        if (request.Method == HttpMethod.Get && path.StartsWith("/v3/refund/domestic/refunds/", StringComparison.Ordinal))
            return _refunds.TryGetValue(Last(path), out var r) ? Ok(r.DeepClone().AsObject()) : NotFound();
        return (HttpStatusCode.NotFound, """{"code":"RESOURCE_NOT_EXISTS","message":"sandbox: no such API"}""");
    }

    private JsonObject TradeJson(Trade t)
    {
        var json = new JsonObject
        {
            ["appid"] = t.AppId, ["mchid"] = t.MchId, ["out_trade_no"] = t.OutTradeNo, ["trade_type"] = "JSAPI", ["trade_state"] = t.State,
            ["trade_state_desc"] = t.State, ["attach"] = t.Attach, ["payer"] = new JsonObject { ["openid"] = t.OpenId },
            ["amount"] = new JsonObject { ["total"] = t.Total, ["payer_total"] = t.Total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
        };
        if (t.TransactionId is not null) json["transaction_id"] = t.TransactionId;
        if (t.PaidAt is { } at) json["success_time"] = at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:sszzz");
        return json;
    }

    private JsonObject CombineJson(string combine)
    {
        var subs = _combines[combine].Select(s => _trades[s]).ToList();
        return new JsonObject
        {
            ["combine_appid"] = subs[0].AppId, ["combine_mchid"] = subs[0].MchId, ["combine_out_trade_no"] = combine,
            ["combine_payer_info"] = new JsonObject { ["openid"] = subs[0].OpenId },
            ["sub_orders"] = new JsonArray(subs.Select(t =>
            {
                var sub = new JsonObject
                {
                    ["mchid"] = t.MchId, ["trade_type"] = "JSAPI", ["trade_state"] = t.State, ["attach"] = t.Attach, ["out_trade_no"] = t.OutTradeNo,
                    ["amount"] = new JsonObject { ["total_amount"] = t.Total, ["payer_amount"] = t.Total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
                };
                if (t.TransactionId is not null) sub["transaction_id"] = t.TransactionId;
                if (t.PaidAt is { } at) sub["success_time"] = at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:sszzz");
                return (JsonNode)sub;
            }).ToArray()),
        };
    }

    private static (HttpStatusCode, string?) Ok(JsonObject json) => (HttpStatusCode.OK, json.ToJsonString());

    private static (HttpStatusCode, string?) NotFound() => (HttpStatusCode.NotFound, """{"code":"ORDER_NOT_EXIST","message":"订单不存在"}""");

    private static string Str(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static string Last(string path) => path.Split('/')[^1];

    public void Dispose()
    {
        Platform.Dispose();
        MerchantKey.Dispose();
    }
}
