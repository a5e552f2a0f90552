using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;

namespace MiniShop.Infrastructure.Security;

/// <summary>Encrypts personal data and secrets stored in documents (AES-256-GCM, key id prefix for rotation).</summary>
public interface IFieldEncryptor
{
    string Encrypt(string plaintext);

    string Decrypt(string ciphertext);
}

public sealed class AesGcmFieldEncryptor : IFieldEncryptor
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly string _activeId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public AesGcmFieldEncryptor(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        _activeId = o.DataKeyId;
        _keys[o.DataKeyId] = ParseKey(o.DataKey, "Security:DataKey");
        foreach (var entry in (o.PreviousDataKeys ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length == 2) _keys.TryAdd(parts[0], ParseKey(parts[1], $"Security:PreviousDataKeys[{parts[0]}]"));
        }
    }

    public string Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(_activeId));
        return _activeId + ":" + Ids.Base64Url(output);
    }

    public string Decrypt(string ciphertext)
    {
        var separator = ciphertext.IndexOf(':');
        if (separator <= 0) throw new CryptographicException("Not an encrypted field.");
        var keyId = ciphertext[..separator];
        if (!_keys.TryGetValue(keyId, out var key)) throw new CryptographicException($"Unknown data key '{keyId}'.");
        var input = Ids.FromBase64Url(ciphertext[(separator + 1)..]);
        if (input.Length < NonceSize + TagSize) throw new CryptographicException("Ciphertext too short.");
        var length = input.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] ParseKey(string base64, string name)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new InvalidOperationException($"{name} is not base64."); }
        return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be 32 bytes (AES-256); it is {key.Length}.");
    }
}
