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

/// <summary>One Cosmos DB request as the handler saw it. <paramref name="BatchOperations"/>: a batch's operations, in order.</summary>
public sealed record CosmosOp(CosmosOpKind Kind, string Container, int Status, double Ms, string? Detail, IReadOnlyList<string>? BatchOperations = null)
{
    /// <summary>The request units the server charged (x-ms-request-charge; the local server may report none).</summary>
    public double RequestCharge { get; init; }
}

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

        var (kind, container, detail) = Classify(request); // before sending: a query's or batch's body is read and rewound
        var batchOps = kind == CosmosOpKind.Batch ? BatchBody.Operations(request.Content) : null;
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        calls.GetOrAdd(callId, _ => new CallOps()).Add(new CosmosOp(kind, container, (int)response.StatusCode, ms, detail, batchOps) { RequestCharge = response.Headers.RequestCharge });
        return response;
    }

    /// <summary>
    /// Item requests address dbs/{db}/colls/{container}/docs/{id} (read, replace, patch, delete); queries, query plans,
    /// creates, upserts and batches POST to the container, dbs/{db}/colls/{container}, and say which by a header.
    /// </summary>
    private static (CosmosOpKind Kind, string Container, string? Detail) Classify(RequestMessage request)
    {
        var path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        var segments = path.Trim('/').Split('/');
        var colls = Array.IndexOf(segments, "colls");
        var container = colls >= 0 && colls + 1 < segments.Length ? segments[colls + 1] : "";
        var method = request.Method.Method;
        var atContainer = colls >= 0 && segments.Length == colls + 2;
        var atItem = colls >= 0 && segments.Length == colls + 4 && segments[colls + 2] == "docs";
        var atFeed = colls >= 0 && segments.Length == colls + 3 && segments[colls + 2] == "docs";

        if (method == "POST" && (atContainer || atFeed))
        {
            if (Flag(request, "x-ms-cosmos-is-query-plan-request")) return (CosmosOpKind.QueryPlan, container, QueryText(request));
            if (Flag(request, "x-ms-documentdb-isquery")) return (CosmosOpKind.Query, container, QueryText(request));
            if (Flag(request, "x-ms-cosmos-is-batch-request")) return (CosmosOpKind.Batch, container, Partition(request));
            if (Flag(request, "x-ms-documentdb-is-upsert")) return (CosmosOpKind.Upsert, container, Partition(request));
            return (CosmosOpKind.Create, container, Partition(request));
        }
        if (atItem)
        {
            var id = "id " + Mask(Uri.UnescapeDataString(segments[colls + 3]));
            return method switch
            {
                "GET" => (CosmosOpKind.PointRead, container, id),
                "PUT" => (CosmosOpKind.Replace, container, id),
                "PATCH" => (CosmosOpKind.Patch, container, id),
                "DELETE" => (CosmosOpKind.Delete, container, id),
                _ => (CosmosOpKind.Metadata, container, $"{method} {segments[colls + 2]}"),
            };
        }
        if (atFeed && method == "GET") return (CosmosOpKind.ReadFeed, container, null);
        return (CosmosOpKind.Metadata, container, $"{method} {string.Join('/', segments.Where((_, i) => i % 2 == 0))}");
    }

    /// <summary>The partition key a request names, e.g. <c>["prd-1"]</c>, with per-run ids shortened.</summary>
    private static string? Partition(RequestMessage request) =>
        request.Headers["x-ms-documentdb-partitionkey"] is { Length: > 0 } pk ? "partition " + Mask(pk.Trim('[', ']', '"')) : null;

    /// <summary>Member, address and other generated ids differ on every run: keep their prefix only (mbr_…).</summary>
    private static string Mask(string id) => System.Text.RegularExpressions.Regex.Replace(id, "[0-9a-f]{16,}", "…");

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
