namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// Builds the <see cref="WeChatPaySigningHandler"/> (and with it the merchant key and the verification keys) on the
/// first request rather than with the HTTP client. An app without WeChat Pay settings can then still create the
/// services that hold the client: they answer "payments not configured" instead of failing to be constructed.
/// </summary>
public sealed class DeferredSigningHandler(Func<WeChatPaySigningHandler> create) : DelegatingHandler
{
    private HttpMessageInvoker? _invoker;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var invoker = LazyInitializer.EnsureInitialized(ref _invoker, () =>
        {
            var handler = create();
            handler.InnerHandler = InnerHandler ?? throw new InvalidOperationException("The WeChat Pay pipeline has no inner handler.");
            return new HttpMessageInvoker(handler, disposeHandler: false);
        });
        return invoker.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The inner handler belongs to this pipeline, which disposes it through base.Dispose.
        _invoker?.Dispose();
        base.Dispose(disposing);
    }
}
