namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>WeChat answered with a non-zero <c>errcode</c> (usually inside an HTTP 200).</summary>
public sealed class WeChatApiException(int errCode, string? errMsg)
    : Exception($"WeChat API error {errCode}: {errMsg}")
{
    public int ErrCode { get; } = errCode;

    public string? ErrMsg { get; } = errMsg;

    public WeChatApiErrorKind Kind { get; } = KindOf(errCode);

    public bool IsRetryable => Kind is WeChatApiErrorKind.SystemBusy or WeChatApiErrorKind.RateLimited;

    public static WeChatApiErrorKind KindOf(int errCode) => errCode switch
    {
        40029 => WeChatApiErrorKind.InvalidCode,
        40163 => WeChatApiErrorKind.CodeUsed,
        45011 => WeChatApiErrorKind.RateLimited,
        40226 => WeChatApiErrorKind.HighRiskUser,
        -1 => WeChatApiErrorKind.SystemBusy,
        40013 or 40125 or 41002 or 41004 => WeChatApiErrorKind.InvalidCredentials,
        40001 or 42001 => WeChatApiErrorKind.AccessTokenRejected,
        _ => WeChatApiErrorKind.Unknown,
    };

    internal static bool IsAccessTokenRejection(int errCode) => errCode is 40001 or 42001;
}
