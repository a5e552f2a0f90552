using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Bench.Checkout;

/// <summary>What a Cosmos DB request did, from its HTTP method, address and headers (Gateway mode).</summary>
public enum CosmosOpKind
{
    PointRead,
    Query,
    QueryPlan,
    ReadFeed,
    Create,
    Upsert,
    Replace,
    Patch,
    Delete,
    Batch,
    Metadata,
}

/// <summary>One Cosmos DB request as the handler saw it (for the trace of one checkout).</summary>
public sealed record CosmosOp(CosmosOpKind Kind, string Container, int Status, double Ms, string? Detail);

/// <summary>The requests made while serving one HTTP call, in order.</summary>
public sealed class CallOps
{
    private readonly List<CosmosOp> ops = [];

    public void Add(CosmosOp op)
    {
        lock (ops) ops.Add(op);
    }

    public IReadOnlyList<CosmosOp> Ops
    {
        get { lock (ops) return [.. ops]; }
    }
}

/// <summary>
/// A custom handler in the CosmosClient's pipeline (<see cref="CosmosClientOptions.CustomHandlers"/>): it sees every
/// request the app makes, once per logical operation (the SDK's retries happen below it), with its answer. Requests
/// made while serving an HTTP call that carries the <see cref="CallHeader"/> header are filed under that call (the
/// ambient <see cref="HttpContext"/> flows into the SDK call); all others count as made outside the measured calls.
/// </summary>
public sealed class CosmosOpCounter(IHttpContextAccessor http) : RequestHandler
{
    public const string CallHeader = "X-Bench-Call";

    private readonly ConcurrentDictionary<string, CallOps> calls = new();
    private long outside;

    /// <summary>Requests made with no tagged HTTP call around them (start-up, setup writes, anything in the background).</summary>
    public long Outside => Interlocked.Read(ref outside);

    public void ResetOutside() => Interlocked.Exchange(ref outside, 0);

    /// <summary>The requests of a finished call, removed from the counter.</summary>
    public IReadOnlyList<CosmosOp> Take(string callId) => calls.TryRemove(callId, out var ops) ? ops.Ops : [];

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var callId = http.HttpContext?.Request.Headers[CallHeader].ToString();
        if (string.IsNullOrEmpty(callId))
        {
            Interlocked.Increment(ref outside);
            return await base.SendAsync(request, cancellationToken);
        }

        var (kind, container, detail) = Classify(request); // before sending: a query's body is read and rewound
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        calls.GetOrAdd(callId, _ => new CallOps()).Add(new CosmosOp(kind, container, (int)response.StatusCode, ms, detail));
        return response;
    }

    /// <summary>Gateway-mode addresses: dbs/{db}/colls/{container}/docs[/{id}]; anything else is metadata.</summary>
    private static (CosmosOpKind Kind, string Container, string? Detail) Classify(RequestMessage request)
    {
        var path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        var segments = path.Trim('/').Split('/');
        var docs = Array.IndexOf(segments, "docs");
        var container = Array.IndexOf(segments, "colls") is var c and >= 0 && c + 1 < segments.Length ? segments[c + 1] : "";
        if (docs < 0) return (CosmosOpKind.Metadata, container, path.Trim('/').Split('/').Where((_, i) => i % 2 == 0).LastOrDefault());

        var hasId = docs + 1 < segments.Length;
        var method = request.Method.Method;
        if (Flag(request, "x-ms-cosmos-is-query-plan-request")) return (CosmosOpKind.QueryPlan, container, QueryText(request));
        if (Flag(request, "x-ms-documentdb-isquery") || (request.Headers.ContentType ?? "").Contains("query+json", StringComparison.Ordinal))
            return (CosmosOpKind.Query, container, QueryText(request));
        if (Flag(request, "x-ms-cosmos-is-batch-request")) return (CosmosOpKind.Batch, container, null);
        return (method, hasId) switch
        {
            ("GET", true) => (CosmosOpKind.PointRead, container, null),
            ("GET", false) => (CosmosOpKind.ReadFeed, container, null),
            ("POST", false) when Flag(request, "x-ms-documentdb-is-upsert") => (CosmosOpKind.Upsert, container, null),
            ("POST", false) => (CosmosOpKind.Create, container, null),
            ("PUT", true) => (CosmosOpKind.Replace, container, null),
            ("PATCH", true) => (CosmosOpKind.Patch, container, null),
            ("DELETE", true) => (CosmosOpKind.Delete, container, null),
            _ => (CosmosOpKind.Metadata, container, method),
        };
    }

    private static bool Flag(RequestMessage request, string header) =>
        string.Equals(request.Headers[header], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQL of a query, read from its body when the body can be read again.</summary>
    private static string? QueryText(RequestMessage request)
    {
        if (request.Content is not { CanSeek: true } body) return null;
        var position = body.Position;
        try
        {
            body.Position = 0;
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true });
            return json.RootElement.TryGetProperty("query", out var q) ? q.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            body.Position = position;
        }
    }
}
