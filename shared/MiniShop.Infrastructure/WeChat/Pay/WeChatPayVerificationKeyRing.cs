using System.Collections.Immutable;
using System.Security.Cryptography;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// The WeChat Pay keys currently trusted, by <c>Wechatpay-Serial</c>. Several can be held at once and
/// the set is swapped atomically, so adding the new key before removing the old one never drops a message.
/// </summary>
public sealed class WeChatPayVerificationKeyRing
{
    // Keys are not disposed on removal: a verification running concurrently may still be using one.
    private ImmutableDictionary<string, RSA> _keys = ImmutableDictionary.Create<string, RSA>(StringComparer.OrdinalIgnoreCase);

    public WeChatPayVerificationKeyRing()
    {
    }

    public WeChatPayVerificationKeyRing(IEnumerable<WeChatPayVerificationKey> keys) => ReplaceAll(keys);

    public IReadOnlyCollection<string> Ids => _keys.Keys.ToArray();

    public bool TryGet(string id, out RSA key) => _keys.TryGetValue(id, out key!);

    public void Set(string id, RSA publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(publicKey);
        ImmutableInterlocked.Update(ref _keys, keys => keys.SetItem(id, publicKey));
    }

    /// <summary>Adds a key from configuration text (public key or certificate PEM); returns the id used.</summary>
    public string Set(WeChatPayVerificationKey key)
    {
        var (id, rsa) = Load(key);
        Set(id, rsa);
        return id;
    }

    public bool Remove(string id) => ImmutableInterlocked.TryRemove(ref _keys, id, out _);

    /// <summary>Loads every key first and only then swaps, so a bad entry leaves the current set in place.</summary>
    public void ReplaceAll(IEnumerable<WeChatPayVerificationKey> keys)
    {
        var loaded = ImmutableDictionary.CreateBuilder<string, RSA>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, key) in keys.Select(Load))
        {
            loaded[id] = key;
        }

        _keys = loaded.ToImmutable();
    }

    private static (string Id, RSA Key) Load(WeChatPayVerificationKey key)
    {
        var (rsa, certificateSerial) = PemKeys.LoadPublicKey(key.PublicKeyPem);
        var id = string.IsNullOrWhiteSpace(key.Id) ? certificateSerial : key.Id.Trim();
        if (string.IsNullOrEmpty(id))
        {
            rsa.Dispose();
            throw new ArgumentException("A WeChat Pay public key needs an Id (PUB_KEY_ID_...).", nameof(key));
        }

        return (id, rsa);
    }
}
