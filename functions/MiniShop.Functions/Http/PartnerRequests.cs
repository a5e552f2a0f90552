using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Json;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Functions.Http;

/// <summary>A partner webhook request whose signature, timestamp and nonce checked out, with its raw body.</summary>
public sealed record VerifiedPartnerRequest(PartnerIdentity Partner, byte[] Body)
{
    /// <summary>The body as JSON; an empty or malformed body is a 400 naming the field.</summary>
    public T ReadJson<T>() where T : class
    {
        if (Body.Length == 0) throw ValidationException.For("body", "a JSON body is required.");
        return JsonSerializer.Deserialize<T>(Body, JsonDefaults.Options) ?? throw ValidationException.For("body", "a JSON object is required.");
    }
}

/// <summary>
/// Authenticates a partner webhook (ERP, WMS, logistics) before anything else looks at it: reads the raw body within the
/// size limit and hands it with the X-Partner-Id / X-Timestamp / X-Nonce / X-Signature headers to
/// <see cref="PartnerRequestVerifier"/> (401 forged or stale, 409 replayed; logged as security events).
/// Usage in a function: <c>var request = await req.ReadVerifiedPartnerRequestAsync(verifier);</c> then
/// <c>request.ReadJson&lt;T&gt;()</c> and <c>request.Partner</c>.
/// </summary>
public static class PartnerRequests
{
    public static async Task<VerifiedPartnerRequest> ReadVerifiedPartnerRequestAsync(this HttpRequest request, PartnerRequestVerifier verifier, long maxBodyBytes = 1_048_576)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes) throw new RequestTooLargeException();
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();
        var headers = new PartnerRequestHeaders(
            Header(request, PartnerSignature.PartnerIdHeader), Header(request, PartnerSignature.TimestampHeader),
            Header(request, PartnerSignature.NonceHeader), Header(request, PartnerSignature.SignatureHeader));
        var partner = await verifier.VerifyAsync(headers, body, $"{request.Method} {request.Path}", request.HttpContext.RequestAborted);
        return new VerifiedPartnerRequest(partner, body);
    }

    private static string? Header(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        return values.Count == 1 ? values[0] : null; // a repeated header is as good as a missing one
    }
}
