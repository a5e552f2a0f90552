using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace MiniShop.Tests.Support;

/// <summary>One request a stub partner received, with its body and headers.</summary>
public sealed record PartnerRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// Stands in for an ERP/WMS HTTP endpoint as the primary handler of a typed client: records every request and answers
/// with <see cref="Respond"/> (200 by default).
/// </summary>
public sealed class StubPartner : HttpMessageHandler
{
    public ConcurrentQueue<PartnerRequest> Requests { get; } = new();

    public Func<PartnerRequest, HttpStatusCode> Respond { get; set; } = _ => HttpStatusCode.OK;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new PartnerRequest(request.Method, request.RequestUri!, headers, body);
        Requests.Enqueue(recorded);
        var status = Respond(recorded);
        return new HttpResponseMessage(status) { Content = new StringContent((int)status < 300 ? "{\"ok\":true}" : "{\"error\":\"stub\"}", Encoding.UTF8, "application/json") };
    }

    public IReadOnlyList<PartnerRequest> For(string eventId) => Requests.Where(r => r.Header("Idempotency-Key") == eventId).ToList();

    public async Task<IReadOnlyList<PartnerRequest>> WaitForAsync(Func<PartnerRequest, bool> match, int count = 1, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var found = Requests.Where(match).ToList();
            if (found.Count >= count) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {count} matching partner request(s), saw {found.Count} of {Requests.Count}.");
            await Task.Delay(50);
        }
    }
}
