namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>What a WeChat <c>errcode</c> means to the caller, so the API layer can map it to a problem response.</summary>
public enum WeChatApiErrorKind
{
    Unknown,
    /// <summary>40029: the login code is invalid or expired.</summary>
    InvalidCode,
    /// <summary>40163: the login code was already exchanged.</summary>
    CodeUsed,
    /// <summary>45011: API minute quota reached.</summary>
    RateLimited,
    /// <summary>40226: WeChat blocks this user as high risk.</summary>
    HighRiskUser,
    /// <summary>-1 (or an HTTP failure): WeChat is busy; retry later.</summary>
    SystemBusy,
    /// <summary>40013, 40125, 41002, 41004: our appid/secret configuration is wrong.</summary>
    InvalidCredentials,
    /// <summary>40001, 42001: the access token was rejected even after one refresh.</summary>
    AccessTokenRejected,
}
