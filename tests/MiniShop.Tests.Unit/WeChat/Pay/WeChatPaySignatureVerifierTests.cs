using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MiniShop.Infrastructure.WeChat.Pay;
using MiniShop.Infrastructure.WeChat.Pay.Sandbox;
using MiniShop.Tests.Unit.WeChat.Support;

namespace MiniShop.Tests.Unit.WeChat.Pay;

public class WeChatPaySignatureVerifierTests
{
    private const string Body = """{"prepay_id":"wx201410272009395522657a690389285100"}""";

    [Fact]
    public void Accepts_a_correctly_signed_body()
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body);

        var result = context.Verifier.Verify(signed.SignatureHeaders, Body);

        Assert.True(result.IsValid);
        Assert.Equal(context.Sandbox.PublicKeyId, result.Serial);
    }

    [Fact]
    public void Rejects_an_unknown_serial()
    {
        using var context = new PayTestContext();
        using var stranger = new WeChatPaySandbox(context.Time);

        var result = context.Verifier.Verify(stranger.Sign(Body).SignatureHeaders, Body);

        Assert.Equal(WeChatPaySignatureFailure.UnknownSerial, result.Failure);
        Assert.Equal(stranger.PublicKeyId, result.Serial);
    }

    [Fact]
    public void Rejects_a_signature_made_by_another_key_under_a_trusted_serial()
    {
        using var context = new PayTestContext();
        using var impostor = new WeChatPaySandbox(context.Time, publicKeyId: context.Sandbox.PublicKeyId);

        var result = context.Verifier.Verify(impostor.Sign(Body).SignatureHeaders, Body);

        Assert.Equal(WeChatPaySignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public void Rejects_a_tampered_body()
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body);

        var result = context.Verifier.Verify(signed.SignatureHeaders, Body.Replace("wx2014", "wx2015", StringComparison.Ordinal));

        Assert.Equal(WeChatPaySignatureFailure.BadSignature, result.Failure);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public void Allows_five_minutes_of_clock_skew_either_way(int offsetSeconds, bool valid)
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body, PayTestContext.Now.AddSeconds(offsetSeconds));

        var result = context.Verifier.Verify(signed.SignatureHeaders, Body);

        Assert.Equal(valid ? null : WeChatPaySignatureFailure.StaleTimestamp, result.Failure);
    }

    [Fact]
    public void Rejects_a_replay_once_the_clock_has_moved_on()
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body);
        Assert.True(context.Verifier.Verify(signed.SignatureHeaders, Body).IsValid);

        context.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(WeChatPaySignatureFailure.StaleTimestamp, context.Verifier.Verify(signed.SignatureHeaders, Body).Failure);
    }

    [Fact]
    public void Treats_the_signature_probe_as_a_failure()
    {
        using var context = new PayTestContext();
        var headers = context.Sandbox.Sign(Body).SignatureHeaders with { Signature = "WECHATPAY/SIGNTEST/" + Convert.ToBase64String(new byte[256]) };

        Assert.Equal(WeChatPaySignatureFailure.SignatureProbe, context.Verifier.Verify(headers, Body).Failure);
    }

    [Theory]
    [InlineData("timestamp")]
    [InlineData("nonce")]
    [InlineData("signature")]
    [InlineData("serial")]
    public void Reports_each_missing_header(string missing)
    {
        using var context = new PayTestContext();
        var headers = context.Sandbox.Sign(Body).SignatureHeaders;
        headers = missing switch
        {
            "timestamp" => headers with { Timestamp = null },
            "nonce" => headers with { Nonce = "" },
            "signature" => headers with { Signature = " " },
            _ => headers with { Serial = null },
        };

        Assert.Equal(WeChatPaySignatureFailure.MissingHeader, context.Verifier.Verify(headers, Body).Failure);
    }

    [Theory]
    [InlineData("17e8")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public void Reports_a_malformed_timestamp(string timestamp)
    {
        using var context = new PayTestContext();
        var headers = context.Sandbox.Sign(Body).SignatureHeaders with { Timestamp = timestamp };

        Assert.Equal(WeChatPaySignatureFailure.MalformedHeader, context.Verifier.Verify(headers, Body).Failure);
    }

    [Fact]
    public void Rejects_a_signature_that_is_not_base64()
    {
        using var context = new PayTestContext();
        var headers = context.Sandbox.Sign(Body).SignatureHeaders with { Signature = "not base64!" };

        Assert.Equal(WeChatPaySignatureFailure.BadSignature, context.Verifier.Verify(headers, Body).Failure);
    }

    [Fact]
    public void Rotation_keeps_both_keys_valid_until_the_old_one_is_removed()
    {
        using var context = new PayTestContext();
        using var next = new WeChatPaySandbox(context.Time, context.Sandbox.ApiV3Key);
        var oldSigned = context.Sandbox.Sign(Body);
        var newSigned = next.Sign(Body);

        context.Keys.Set(next.VerificationKey);
        Assert.True(context.Verifier.Verify(oldSigned.SignatureHeaders, Body).IsValid);
        Assert.True(context.Verifier.Verify(newSigned.SignatureHeaders, Body).IsValid);

        Assert.True(context.Keys.Remove(context.Sandbox.PublicKeyId));
        Assert.Equal(WeChatPaySignatureFailure.UnknownSerial, context.Verifier.Verify(oldSigned.SignatureHeaders, Body).Failure);
        Assert.True(context.Verifier.Verify(newSigned.SignatureHeaders, Body).IsValid);
    }

    [Fact]
    public void Replacing_with_a_bad_key_list_keeps_the_current_keys()
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body);

        Assert.ThrowsAny<Exception>(() => context.Keys.ReplaceAll(
        [
            new WeChatPayVerificationKey { Id = "PUB_KEY_ID_NEW", PublicKeyPem = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----" },
        ]));

        Assert.True(context.Verifier.Verify(signed.SignatureHeaders, Body).IsValid);
    }

    [Fact]
    public void Platform_certificates_are_keyed_by_their_serial_when_no_id_is_given()
    {
        using var platformKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=Tenpay.com Root CA", platformKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(PayTestContext.Now.AddYears(-1), PayTestContext.Now.AddYears(4));
        var ring = new WeChatPayVerificationKeyRing([new WeChatPayVerificationKey { PublicKeyPem = certificate.ExportCertificatePem() }]);
        var verifier = new WeChatPaySignatureVerifier(ring, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(PayTestContext.Now));
        var timestamp = PayTestContext.Now.ToUnixTimeSeconds().ToString();
        var signature = platformKey.SignData(WeChatPaySignatureMessage.ForResponse(timestamp, "n", Body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = verifier.Verify(new WeChatPaySignatureHeaders(timestamp, "n", Convert.ToBase64String(signature), certificate.SerialNumber), Body);

        Assert.True(result.IsValid);
        Assert.Equal([certificate.SerialNumber], ring.Ids);
    }

    [Fact]
    public void Keys_from_flattened_app_settings_load()
    {
        using var context = new PayTestContext();
        var pem = context.Sandbox.PublicKeyPem;
        var escaped = pem.Replace("\n", "\\n", StringComparison.Ordinal);
        var bare = string.Concat(pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        var signed = context.Sandbox.Sign(Body);

        foreach (var text in new[] { escaped, bare })
        {
            var ring = new WeChatPayVerificationKeyRing([new WeChatPayVerificationKey { Id = context.Sandbox.PublicKeyId, PublicKeyPem = text }]);
            Assert.True(new WeChatPaySignatureVerifier(ring, context.Time).Verify(signed.SignatureHeaders, Encoding.UTF8.GetBytes(Body)).IsValid);
        }
    }

    [Fact]
    public void Headers_are_looked_up_ignoring_case()
    {
        using var context = new PayTestContext();
        var signed = context.Sandbox.Sign(Body);
        var lowerCased = signed.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);

        Assert.True(context.Verifier.Verify(WeChatPaySignatureHeaders.From(lowerCased), Body).IsValid);
    }
}
