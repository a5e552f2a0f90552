namespace MiniShop.Infrastructure.Security;

/// <summary>Settings section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Base64 HMAC key (>= 32 bytes) for access tokens. From Key Vault in Azure.</summary>
    public string JwtSigningKey { get; set; } = "";

    public string Issuer { get; set; } = "minishop";

    public string Audience { get; set; } = "minishop-api";

    public int AccessTokenMinutes { get; set; } = 15;

    public int MemberRefreshTokenDays { get; set; } = 30;

    public int AdminRefreshTokenHours { get; set; } = 12;

    /// <summary>Accept login codes "dev-&lt;name&gt;" without calling WeChat. Local runs only; off by default.</summary>
    public bool DevLoginEnabled { get; set; }

    public int AdminMaxFailedLogins { get; set; } = 5;

    public int AdminLockoutMinutes { get; set; } = 15;
}

/// <summary>Settings section "Security": the key that encrypts personal data and WeChat session keys at rest.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Base64 AES-256 key. From Key Vault in Azure.</summary>
    public string DataKey { get; set; } = "";

    /// <summary>Short id written before each ciphertext, so a rotated key can still decrypt old data.</summary>
    public string DataKeyId { get; set; } = "k1";

    /// <summary>Older keys kept for decryption only: "k0=base64;k-1=base64".</summary>
    public string? PreviousDataKeys { get; set; }
}
