using System.Text;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Unit.Sync;

public class PartnerSignatureTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Outbound_signature_matches_an_independently_computed_vector()
    {
        // python3: base64(hmac.new(b'partner-secret', b'1767225600\nPOST\n/minishop/events\n{"id":"evt:1"}', sha256).digest())
        var signature = PartnerSignature.SignOutbound("partner-secret", "1767225600", "post", "/minishop/events", Bytes("{\"id\":\"evt:1\"}"));

        Assert.Equal("7vsa3RqnDm7pE82ty6EHTfjYQhvOXqjhr/uJoV1KUqY=", signature);
        Assert.True(PartnerSignature.VerifyOutbound("partner-secret", "1767225600", "POST", "/minishop/events", Bytes("{\"id\":\"evt:1\"}"), signature));
    }

    [Fact]
    public void Inbound_signature_matches_an_independently_computed_vector()
    {
        // python3: base64(hmac.new(b'partner-secret', b'1767225600\nn0nce-123\n{"snapshots":[]}', sha256).digest())
        var body = Bytes("{\"snapshots\":[]}");

        Assert.Equal("WUhNB8IsZQOtPRi2nZ2yWaWQXIIi47oYVx+8b2LPkfQ=", PartnerSignature.SignInbound("partner-secret", "1767225600", "n0nce-123", body));
        Assert.True(PartnerSignature.VerifyInbound("partner-secret", "1767225600", "n0nce-123", body, "WUhNB8IsZQOtPRi2nZ2yWaWQXIIi47oYVx+8b2LPkfQ="));
    }

    [Theory]
    [InlineData("other-secret", "1767225600", "n0nce-123", "{\"snapshots\":[]}")]
    [InlineData("partner-secret", "1767225601", "n0nce-123", "{\"snapshots\":[]}")]
    [InlineData("partner-secret", "1767225600", "n0nce-124", "{\"snapshots\":[]}")]
    [InlineData("partner-secret", "1767225600", "n0nce-123", "{\"snapshots\":[ ]}")]
    public void Any_change_to_secret_timestamp_nonce_or_body_breaks_the_inbound_signature(string secret, string timestamp, string nonce, string body)
    {
        var genuine = PartnerSignature.SignInbound("partner-secret", "1767225600", "n0nce-123", Bytes("{\"snapshots\":[]}"));

        Assert.False(PartnerSignature.VerifyInbound(secret, timestamp, nonce, Bytes(body), genuine));
    }

    [Theory]
    [InlineData("GET", "/minishop/events", "{}")]
    [InlineData("POST", "/minishop/events?x=1", "{}")]
    [InlineData("POST", "/minishop/events", "{ }")]
    public void Any_change_to_method_path_or_body_breaks_the_outbound_signature(string method, string path, string body)
    {
        var genuine = PartnerSignature.SignOutbound("s", "1", "POST", "/minishop/events", Bytes("{}"));

        Assert.False(PartnerSignature.VerifyOutbound("s", "1", method, path, Bytes(body), genuine));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all")]
    public void Missing_or_garbage_signatures_never_verify(string? signature)
        => Assert.False(PartnerSignature.VerifyInbound("s", "1", "nonce-0001", Bytes("{}"), signature));

    [Fact]
    public void Timestamps_are_unix_seconds()
        => Assert.Equal("1767225600", PartnerSignature.Timestamp(DateTimeOffset.Parse("2026-01-01T00:00:00Z")));
}
