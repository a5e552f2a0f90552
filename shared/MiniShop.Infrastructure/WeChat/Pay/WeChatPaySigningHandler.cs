using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// Signs every outgoing request with the merchant key and verifies every answer's WeChat Pay signature.
/// Successful answers must verify. Error answers are verified when signed, and passed on when not, because
/// WeChat does not sign some errors (e.g. the 401 for a bad request signature); they carry no trusted data.
/// </summary>
public sealed class WeChatPaySigningHandler(
    WeChatPayMerchantSigner signer,
    WeChatPaySignatureVerifier verifier,
    IOptions<WeChatPayOptions> options,
    TimeProvider timeProvider,
    ILogger<WeChatPaySigningHandler>? logger = null) : DelegatingHandler
{
    private static readonly ProductInfoHeaderValue UserAgent = new("MiniShop-WeChatPay", "1.0");
    private readonly ILogger _logger = logger ?? NullLogger<WeChatPaySigningHandler>.Instance;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await SignAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await VerifyAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("WeChat Pay requests need an absolute URI.");
        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPayMerchantSigner.NewNonce();
        var message = WeChatPaySignatureMessage.ForRequest(request.Method.Method, uri.PathAndQuery, timestamp, nonce, body);
        var authorization = new WeChatPayAuthorization(
            signer.MchId, nonce, signer.Sign(message), timestamp, signer.CertificateSerialNo);

        request.Headers.Authorization = new AuthenticationHeaderValue(WeChatPayHeaders.AuthorizationScheme, authorization.ToParameter());
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }

        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent); // WeChat Pay rejects requests without one.
        }

        if (PreferredVerificationKeyId() is { } serial && !request.Headers.Contains(WeChatPayHeaders.Serial))
        {
            request.Headers.Add(WeChatPayHeaders.Serial, serial);
        }
    }

    private async Task VerifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = WeChatPaySignatureHeaders.From(response.Headers);
        if (!response.IsSuccessStatusCode && headers.Signature is null)
        {
            return;
        }

        // Buffer the body: the bytes verified must be the bytes the caller then reads.
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var verification = verifier.Verify(headers, body);
        if (!verification.IsValid)
        {
            var requestId = response.Headers.TryGetValues(WeChatPayHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
            _logger.LogWarning(
                "Rejected WeChat Pay response {Status}: signature {Failure}, serial {Serial}, request id {RequestId}",
                (int)response.StatusCode, verification.Failure, verification.Serial, requestId);
            throw new WeChatPaySignatureException(verification.Failure!.Value, verification.Serial, requestId);
        }
    }

    private string? PreferredVerificationKeyId()
    {
        var preferred = options.Value.PreferredVerificationKeyId;
        if (preferred is not null)
        {
            return preferred.Length == 0 ? null : preferred;
        }

        return options.Value.VerificationKeys
            .Select(key => key.Id)
            .FirstOrDefault(id => id.StartsWith(WeChatPayHeaders.PublicKeyIdPrefix, StringComparison.OrdinalIgnoreCase));
    }
}
