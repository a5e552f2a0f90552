using MiniShop.Infrastructure.WeChat.Pay;

namespace MiniShop.Tests.Unit.WeChat.Pay;

public class AeadAes256GcmTests
{
    // Published vector from the official wechatpay-java SDK tests (AeadAesCipherTest / TestConfig.API_V3_KEY).
    private const string VectorKey = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
    private const string VectorAssociatedData = "associatedData";
    private const string VectorNonce = "uluk4a9R25RW";
    private const string VectorPlaintext = "message";
    private const string VectorCiphertext = "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=";

    private const string Key = "0123456789abcdefghijABCDEFGHIJ01";

    [Fact]
    public void Decrypts_the_published_vector()
    {
        Assert.Equal(VectorPlaintext, new AeadAes256Gcm(VectorKey).Decrypt(VectorAssociatedData, VectorNonce, VectorCiphertext));
    }

    [Fact]
    public void Encrypts_to_the_published_vector()
    {
        Assert.Equal(VectorCiphertext, new AeadAes256Gcm(VectorKey).Encrypt(VectorAssociatedData, VectorNonce, VectorPlaintext));
    }

    [Theory]
    [InlineData("transaction", """{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}""")]
    [InlineData("", "支付成功")]
    [InlineData(null, "")]
    public void Round_trips(string? associatedData, string plaintext)
    {
        var aead = new AeadAes256Gcm(Key);

        var ciphertext = aead.Encrypt(associatedData, "fdasflkja484", plaintext);

        Assert.Equal(plaintext, aead.Decrypt(associatedData, "fdasflkja484", ciphertext));
    }

    [Fact]
    public void Tampered_ciphertext_fails_cleanly()
    {
        var aead = new AeadAes256Gcm(Key);
        var bytes = Convert.FromBase64String(aead.Encrypt("transaction", "fdasflkja484", "{\"total\":100}"));
        bytes[2] ^= 0x01;
        var tampered = Convert.ToBase64String(bytes);

        Assert.False(aead.TryDecrypt("transaction", "fdasflkja484", tampered, out _));
        var error = Assert.Throws<WeChatPayDecryptionException>(() => aead.Decrypt("transaction", "fdasflkja484", tampered));
        Assert.Contains("authentication failed", error.Reason);
    }

    [Fact]
    public void Tampered_tag_fails_cleanly()
    {
        var aead = new AeadAes256Gcm(Key);
        var bytes = Convert.FromBase64String(aead.Encrypt("transaction", "fdasflkja484", "{}"));
        bytes[^1] ^= 0x80;

        Assert.Throws<WeChatPayDecryptionException>(() => aead.Decrypt("transaction", "fdasflkja484", Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Wrong_associated_data_fails_cleanly()
    {
        var aead = new AeadAes256Gcm(Key);
        var ciphertext = aead.Encrypt("transaction", "fdasflkja484", "{}");

        Assert.Throws<WeChatPayDecryptionException>(() => aead.Decrypt("refund", "fdasflkja484", ciphertext));
    }

    [Fact]
    public void Wrong_key_fails_cleanly()
    {
        var ciphertext = new AeadAes256Gcm(Key).Encrypt("transaction", "fdasflkja484", "{}");

        Assert.Throws<WeChatPayDecryptionException>(() => new AeadAes256Gcm(VectorKey).Decrypt("transaction", "fdasflkja484", ciphertext));
    }

    [Theory]
    [InlineData("short", "AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("fdasflkja484", "not base64")]
    [InlineData("fdasflkja484", "AAAA")]
    public void Malformed_input_fails_cleanly(string nonce, string ciphertext)
    {
        Assert.Throws<WeChatPayDecryptionException>(() => new AeadAes256Gcm(Key).Decrypt("transaction", nonce, ciphertext));
    }

    [Theory]
    [InlineData("")]
    [InlineData("testAPIv3Key0000")]
    [InlineData("0123456789abcdefghijABCDEFGHIJ012")]
    public void Requires_a_32_byte_key(string key)
    {
        Assert.Throws<ArgumentException>(() => new AeadAes256Gcm(key));
    }
}
