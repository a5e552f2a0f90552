namespace MiniShop.Infrastructure.WeChat.Pay.Sandbox;

/// <summary>A body with the WeChat Pay signature headers that go with it, as WeChat would send it.</summary>
public sealed record WeChatPaySignedMessage(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public WeChatPaySignatureHeaders SignatureHeaders => WeChatPaySignatureHeaders.From(Headers);
}
