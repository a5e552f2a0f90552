namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Server-side access token for mini-program APIs, cached and fetched by one caller at a time.</summary>
public interface IWeChatAccessTokenProvider
{
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Called when WeChat rejected <paramref name="rejectedToken"/> (40001/42001): returns a different token,
    /// reusing one another caller already fetched.
    /// </summary>
    Task<string> RefreshAfterRejectionAsync(string rejectedToken, CancellationToken cancellationToken = default);
}
