using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>What the flaky partner does with one call.</summary>
public enum FlakyAction
{
    /// <summary>Take the event (2xx). A key taken before is answered 2xx again and not taken twice (the contract).</summary>
    Accept,

    /// <summary>503: try again later.</summary>
    Unavailable,

    /// <summary>Take the event, then answer only after the client has given up: the answer is lost.</summary>
    HangAfterTaking,

    /// <summary>Hang before taking anything, past the client's attempt timeout.</summary>
    Hang,

    /// <summary>400: this event will never be accepted as it is (a poison message).</summary>
    Reject,
}

/// <summary>
/// One call the partner received, in order of arrival (<see cref="Sequence"/>), and what became of it: whether it took
/// the event (the first take of its key), and whether the answer surely reached the client (<see cref="Answered"/>).
/// </summary>
public sealed record FlakyCall(int Sequence, string Partner, string Key, int Attempt, FlakyAction Action, bool SignatureValid, bool BodyMatchesKey, bool TookEvent, bool Answered, int Status);

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, port chosen by the OS) playing ERP (<c>/erp/...</c>) and WMS
/// (<c>/wms/...</c>) the way a partner honouring the contract of docs/erp-wms.md would: it verifies the HMAC signature
/// of every request (401 if it does not check out), takes each Idempotency-Key at most once, and answers a key it
/// already took with 2xx again. What it does with the n-th call of a key is scripted (<see cref="Script"/>), so the
/// flakiness is the same on every run. Every call is recorded.
/// </summary>
public sealed class FlakyPartnerEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _secrets;
    private readonly Lock _gate = new();
    private readonly List<FlakyCall> _calls = [];
    private readonly Dictionary<(string Partner, string Key), int> _attempts = [];
    private int _arrivals;
    private readonly HashSet<(string Partner, string Key)> _taken = [];

    /// <summary>How long a hanging call waits (far beyond the client's attempt timeout) unless the client goes away first.</summary>
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(8);

    /// <summary>An answer written later than this after the request arrived may have missed the client's attempt timeout.</summary>
    public static readonly TimeSpan AnsweredWithin = TimeSpan.FromMilliseconds(500);

    private FlakyPartnerEndpoint(WebApplication app, Dictionary<string, string> secrets)
    {
        _app = app;
        _secrets = secrets;
    }

    /// <summary>(partner, key, attempt starting at 0) -> what to do. Default: accept.</summary>
    public Func<string, string, int, FlakyAction> Script { get; set; } = (_, _, _) => FlakyAction.Accept;

    public string BaseUrl { get; private set; } = "";

    public string ErpBaseUrl => BaseUrl + "/erp";

    public string WmsBaseUrl => BaseUrl + "/wms";

    public IReadOnlyList<FlakyCall> Calls
    {
        get { lock (_gate) return _calls.ToList(); }
    }

    /// <summary>The keys the partner took (each one once, by exactly one call: <see cref="FlakyCall.TookEvent"/>).</summary>
    public IReadOnlySet<string> Taken(string partner)
    {
        lock (_gate) return _taken.Where(t => t.Partner == partner).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<FlakyPartnerEndpoint> StartAsync(string erpSecret, string wmsSecret, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new FlakyPartnerEndpoint(app, new Dictionary<string, string> { ["erp"] = erpSecret, ["wms"] = wmsSecret });
        app.MapPost("/{partner}/minishop/events", (Func<HttpContext, string, Task>)endpoint.HandleAsync);
        await app.StartAsync(ct);
        endpoint.BaseUrl = app.Urls.Single().TrimEnd('/');
        return endpoint;
    }

    private async Task HandleAsync(HttpContext ctx, string partner)
    {
        var started = Stopwatch.GetTimestamp();
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var body = buffer.ToArray();
        var key = ctx.Request.Headers[PartnerSignature.IdempotencyKeyHeader].ToString();
        var signed = _secrets.TryGetValue(partner, out var secret) && PartnerSignature.VerifyOutbound(secret,
            ctx.Request.Headers[PartnerSignature.OutboundTimestampHeader].ToString(), ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, body,
            ctx.Request.Headers[PartnerSignature.OutboundSignatureHeader].ToString());
        var bodyMatches = BodyIdIs(body, key);

        FlakyAction action;
        var took = false;
        int attempt, sequence;
        lock (_gate)
        {
            sequence = _arrivals++;
            attempt = _attempts.GetValueOrDefault((partner, key));
            _attempts[(partner, key)] = attempt + 1;
            action = !signed || !bodyMatches || key.Length == 0 ? FlakyAction.Reject : Script(partner, key, attempt);
            if (action is FlakyAction.Accept or FlakyAction.HangAfterTaking) took = _taken.Add((partner, key));
        }

        var status = action switch
        {
            FlakyAction.Unavailable => 503,
            FlakyAction.Reject => signed ? 400 : 401,
            FlakyAction.Hang => 504,
            _ => took ? 201 : 200,
        };
        if (action is FlakyAction.Hang or FlakyAction.HangAfterTaking)
        {
            try { await Task.Delay(HangFor, ctx.RequestAborted); }
            catch (OperationCanceledException) { }
        }
        var answered = false;
        if (!ctx.RequestAborted.IsCancellationRequested)
        {
            try
            {
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(status switch
                {
                    201 => "{\"status\":\"accepted\"}",
                    200 => "{\"status\":\"duplicate\"}",
                    400 => "{\"error\":\"unknown_sku\",\"detail\":\"SKU code is not known to this ERP\"}",
                    401 => "{\"error\":\"bad_signature\"}",
                    _ => "{\"error\":\"busy\"}",
                }, Encoding.UTF8, ctx.RequestAborted);
                await ctx.Response.CompleteAsync();
                // Counted as seen by the client only when it went out well within the client's 1 s attempt timeout.
                answered = !ctx.RequestAborted.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < AnsweredWithin;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
            }
        }
        lock (_gate)
        {
            _calls.Add(new FlakyCall(sequence, partner, key, attempt, action, signed, bodyMatches, took, answered, status));
        }
    }

    /// <summary>The key is the event id of the envelope (so a retry of the same event carries the same key).</summary>
    private static bool BodyIdIs(byte[] body, string key)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("id", out var id) && id.GetString() == key;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(stop.Token); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
