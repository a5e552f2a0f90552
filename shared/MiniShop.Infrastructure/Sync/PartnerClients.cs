using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Sync;

/// <summary>A failure worth trying again later (network, timeout, 408, 429, 5xx, open circuit): Service Bus redelivers.</summary>
public sealed class TransientDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What the partner answered: accepted (2xx) or rejected for good (4xx other than 408/429).</summary>
public sealed record PartnerCallResult(bool Accepted, int Status, string? Body);

/// <summary>
/// Calls one partner's event endpoint: the JSON envelope, HMAC-signed (<see cref="PartnerSignature"/>), with the event
/// id as Idempotency-Key. The resilience pipeline (registered with the typed client) retries transient failures with
/// backoff and opens a circuit when the partner keeps failing; what still fails here throws
/// <see cref="TransientDeliveryException"/>. Requests carry no cookies and follow no redirects.
/// </summary>
public abstract class PartnerClient(HttpClient http, PartnerEndpointOptions options, TimeProvider time, ILogger log)
{
    public abstract string Name { get; }

    public bool IsConfigured => options.IsConfigured;

    public async Task<PartnerCallResult> SendAsync(PartnerEvent envelope, CancellationToken ct)
    {
        if (!IsConfigured) throw new InvalidOperationException($"{Name} has no base URL.");
        if (string.IsNullOrEmpty(options.HmacSecret))
            throw new TransientDeliveryException($"{Name}:HmacSecret is not set; deliveries wait until it is (Key Vault secret).");

        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, envelope.GetType(), JsonDefaults.Options);
        var uri = new Uri(new Uri(options.BaseUrl!.TrimEnd('/') + "/"), options.EventsPath.TrimStart('/'));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = PartnerSignature.Timestamp(time.GetUtcNow());
        request.Headers.Add(PartnerSignature.OutboundTimestampHeader, timestamp);
        request.Headers.Add(PartnerSignature.OutboundSignatureHeader,
            PartnerSignature.SignOutbound(options.HmacSecret, timestamp, request.Method.Method, uri.PathAndQuery, body));
        request.Headers.Add(PartnerSignature.IdempotencyKeyHeader, envelope.Id);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Network errors, attempt/total timeouts and an open circuit breaker all end up here.
            throw new TransientDeliveryException($"{Name} call for {envelope.Id} failed: {e.GetType().Name}: {e.Message}", e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await ReadSnippetAsync(response, ct);
            if (response.IsSuccessStatusCode)
            {
                log.LogInformation("{Partner} accepted {EventType} {EventId} ({Status})", Name, envelope.Type, envelope.Id, status);
                return new PartnerCallResult(true, status, text);
            }
            if (IsTransient(response.StatusCode))
                throw new TransientDeliveryException($"{Name} answered {status} for {envelope.Id}: {text}");
            log.LogWarning("{Partner} rejected {EventType} {EventId} with {Status}: {Body}", Name, envelope.Type, envelope.Id, status, text);
            return new PartnerCallResult(false, status, text);
        }
    }

    public static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length > 500 ? text[..500] : text;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null;
        }
    }
}

public sealed class ErpClient(HttpClient http, IOptions<ErpOptions> options, TimeProvider time, ILogger<ErpClient> log)
    : PartnerClient(http, options.Value, time, log)
{
    public override string Name => "ERP";
}

public sealed class WmsClient(HttpClient http, IOptions<WmsOptions> options, TimeProvider time, ILogger<WmsClient> log)
    : PartnerClient(http, options.Value, time, log)
{
    public override string Name => "WMS";
}
