using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MiniShop.Infrastructure.WeChat.Pay;

/// <summary>
/// Loads RSA keys from configuration text. App settings often flatten PEM to one line or keep
/// literal "\n" escapes, so both are accepted, as is bare base64 without PEM armour.
/// </summary>
internal static class PemKeys
{
    public static RSA LoadPrivateKey(string text)
    {
        var pem = Normalize(text);
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(pem);
            }
            else
            {
                rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pem), out _);
            }

            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Returns the public key and, when the text is a certificate, its serial number.</summary>
    public static (RSA Key, string? CertificateSerial) LoadPublicKey(string text)
    {
        var pem = Normalize(text);
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var key = certificate.GetRSAPublicKey() ?? throw new CryptographicException("certificate has no RSA key");
            return (key, certificate.SerialNumber);
        }

        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(pem);
            }
            else
            {
                rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pem), out _);
            }

            return (rsa, null);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static string Normalize(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return text.Replace("\\n", "\n", StringComparison.Ordinal).Trim();
    }
}
