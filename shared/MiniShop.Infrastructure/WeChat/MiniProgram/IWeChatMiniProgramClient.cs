namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Mini-program server APIs. Failures surface as <see cref="WeChatApiException"/>.</summary>
public interface IWeChatMiniProgramClient
{
    Task<WeChatSession> Code2SessionAsync(string code, CancellationToken cancellationToken = default);

    Task UploadShippingInfoAsync(UploadShippingInfoRequest request, CancellationToken cancellationToken = default);
}
