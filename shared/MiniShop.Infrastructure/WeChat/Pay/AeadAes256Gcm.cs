using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// AEAD_AES_256_GCM as WeChat Pay uses it for notification resources: the key is the 32-byte APIv3 key,
/// the nonce is 12 characters, and the ciphertext is base64 of ciphertext || 16-byte tag.
/// </summary>
public sealed class AeadAes256Gcm
{
    public const string Algorithm = "AEAD_AES_256_GCM";
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public AeadAes256Gcm(string apiV3Key)
    {
        ArgumentNullException.ThrowIfNull(apiV3Key);
        _key = Encoding.UTF8.GetBytes(apiV3Key);
        if (_key.Length != KeySize)
        {
            throw new ArgumentException($"The APIv3 key must be {KeySize} bytes.", nameof(apiV3Key));
        }
    }

    public AeadAes256Gcm(IOptions<WeChatPayOptions> options)
        : this(options.Value.ApiV3Key)
    {
    }

    /// <exception cref="WeChatPayDecryptionException">The ciphertext, nonce or associated data is wrong or was tampered with.</exception>
    public string Decrypt(string? associatedData, string nonce, string ciphertextBase64) =>
        TryDecrypt(associatedData, nonce, ciphertextBase64, out var plaintext, out var reason)
            ? plaintext
            : throw new WeChatPayDecryptionException(reason);

    public bool TryDecrypt(string? associatedData, string? nonce, string? ciphertextBase64, out string plaintext) =>
        TryDecrypt(associatedData, nonce, ciphertextBase64, out plaintext, out _);

    public string Encrypt(string? associatedData, string nonce, string plaintext)
    {
        var nonceBytes = NonceBytes(nonce) ?? throw new ArgumentException($"The nonce must be {NonceSize} bytes.", nameof(nonce));
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(
            nonceBytes,
            plain,
            sealedBytes.AsSpan(0, plain.Length),
            sealedBytes.AsSpan(plain.Length),
            Encoding.UTF8.GetBytes(associatedData ?? ""));
        return Convert.ToBase64String(sealedBytes);
    }

    private bool TryDecrypt(
        string? associatedData, string? nonce, string? ciphertextBase64, out string plaintext, out string reason)
    {
        plaintext = "";
        var nonceBytes = NonceBytes(nonce);
        if (nonceBytes is null)
        {
            reason = $"nonce is not {NonceSize} bytes";
            return false;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(ciphertextBase64 ?? "");
        }
        catch (FormatException)
        {
            reason = "ciphertext is not base64";
            return false;
        }

        if (sealedBytes.Length < TagSize)
        {
            reason = "ciphertext is shorter than the authentication tag";
            return false;
        }

        var cipherLength = sealedBytes.Length - TagSize;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(
                nonceBytes,
                sealedBytes.AsSpan(0, cipherLength),
                sealedBytes.AsSpan(cipherLength),
                plain,
                Encoding.UTF8.GetBytes(associatedData ?? ""));
        }
        catch (AuthenticationTagMismatchException)
        {
            reason = "authentication failed: wrong key, nonce or associated data, or tampered ciphertext";
            return false;
        }

        try
        {
            plaintext = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain);
        }
        catch (DecoderFallbackException)
        {
            reason = "plaintext is not UTF-8";
            return false;
        }

        reason = "";
        return true;
    }

    private static byte[]? NonceBytes(string? nonce)
    {
        var bytes = Encoding.UTF8.GetBytes(nonce ?? "");
        return bytes.Length == NonceSize ? bytes : null;
    }
}

/// <summary>A WeChat Pay resource could not be decrypted; nothing in it can be trusted.</summary>
public sealed class WeChatPayDecryptionException(string reason) : Exception($"WeChat Pay resource decryption failed: {reason}")
{
    public string Reason { get; } = reason;
}
