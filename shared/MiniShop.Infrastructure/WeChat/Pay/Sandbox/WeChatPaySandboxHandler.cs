using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MiniShop.Infrastructure.WeChat.Pay.Sandbox;

/// <summary>
/// Plays the WeChat Pay API server: checks the merchant's Authorization signature when given the
/// merchant public key (answering 401 SIGN_ERROR otherwise, like WeChat), asks <c>respond</c> for an
/// answer, and signs that answer with the sandbox key.
/// </summary>
public sealed class WeChatPaySandboxHandler(
    WeChatPaySandbox sandbox,
    Func<WeChatPaySandboxRequest, (HttpStatusCode Status, string? Body)> respond,
    RSA? merchantPublicKey = null) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        WeChatPayAuthorization.TryParse(request.Headers.Authorization?.ToString(), out var authorization);
        if (merchantPublicKey is not null && !IsSignedByMerchant(request, body, authorization))
        {
            // WeChat does not sign the answer to a request whose signature it rejected.
            return new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                Content = new StringContent("""{"code":"SIGN_ERROR","message":"签名错误"}""", Encoding.UTF8, "application/json"),
            };
        }

        var (status, responseBody) = respond(new WeChatPaySandboxRequest(request.Method, request.RequestUri!, body, authorization));
        return sandbox.CreateResponse(status, responseBody);
    }

    private bool IsSignedByMerchant(HttpRequestMessage request, string body, WeChatPayAuthorization? authorization)
    {
        if (authorization is null)
        {
            return false;
        }

        var message = WeChatPaySignatureMessage.ForRequest(
            request.Method.Method, request.RequestUri!.PathAndQuery, authorization.Timestamp, authorization.NonceStr, body);
        var signature = new byte[authorization.Signature.Length];
        return Convert.TryFromBase64String(authorization.Signature, signature, out var length)
            && merchantPublicKey!.VerifyData(message, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}

/// <summary>What the sandbox server received.</summary>
public sealed record WeChatPaySandboxRequest(HttpMethod Method, Uri Uri, string Body, WeChatPayAuthorization? Authorization);
