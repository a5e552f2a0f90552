using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Unit.Security;

public class FieldEncryptorTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static AesGcmFieldEncryptor Encryptor(string key, string id = "k1", string? previous = null)
        => new(Options.Create(new SecurityOptions { DataKey = key, DataKeyId = id, PreviousDataKeys = previous }));

    [Fact]
    public void Encryption_round_trips_and_never_repeats_a_ciphertext()
    {
        var e = Encryptor(NewKey());
        var a = e.Encrypt("session-key-值");
        var b = e.Encrypt("session-key-值");

        Assert.NotEqual(a, b);
        Assert.StartsWith("k1:", a);
        Assert.DoesNotContain("session", a);
        Assert.Equal("session-key-值", e.Decrypt(a));
    }

    [Fact]
    public void After_a_key_rotation_old_data_still_decrypts()
    {
        var oldKey = NewKey();
        var secret = Encryptor(oldKey, "k1").Encrypt("phone 13800000000");
        var rotated = Encryptor(NewKey(), "k2", $"k1={oldKey}");

        Assert.Equal("phone 13800000000", rotated.Decrypt(secret));
        Assert.StartsWith("k2:", rotated.Encrypt("x"));
    }

    [Fact]
    public void Tampering_or_an_unknown_key_fails_loudly()
    {
        var e = Encryptor(NewKey());
        var c = e.Encrypt("hello");
        var tampered = c[..^2] + (c[^2] == 'A' ? "B" : "A") + c[^1];

        Assert.ThrowsAny<CryptographicException>(() => e.Decrypt(tampered));
        Assert.ThrowsAny<CryptographicException>(() => e.Decrypt("k9:" + c[3..]));
        Assert.Throws<InvalidOperationException>(() => Encryptor(Convert.ToBase64String(new byte[16])));
    }
}
