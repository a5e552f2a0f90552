using System.Text.Json;

namespace MiniShop.Infrastructure.WeChat.Pay.Notifications;

/// <summary>
/// Verifies, decrypts and reads a WeChat Pay notification. Pass the raw request body: the signature
/// covers its exact bytes, so it must not be re-serialized first.
/// </summary>
public sealed class WeChatPayNotificationParser(WeChatPaySignatureVerifier verifier, AeadAes256Gcm aead)
{
    public WeChatPayNotificationResult Parse(WeChatPaySignatureHeaders headers, string body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);

        var verification = verifier.Verify(headers, body);
        if (!verification.IsValid)
        {
            return new WeChatPayNotificationResult
            {
                Status = WeChatPayNotificationStatus.SignatureInvalid,
                SignatureFailure = verification.Failure,
            };
        }

        var envelope = TryDeserialize<WeChatPayNotificationEnvelope>(body);
        var resource = envelope?.Resource;
        if (envelope is null || resource is null)
        {
            return Invalid(envelope, "body is not a notification with a resource");
        }

        if (resource.Algorithm != AeadAes256Gcm.Algorithm)
        {
            return Invalid(envelope, $"unsupported resource algorithm '{resource.Algorithm}'");
        }

        if (!aead.TryDecrypt(resource.AssociatedData, resource.Nonce, resource.Ciphertext, out var plaintext))
        {
            return new WeChatPayNotificationResult
            {
                Status = WeChatPayNotificationStatus.DecryptionFailed,
                Envelope = envelope,
                Error = "resource did not decrypt with the APIv3 key",
            };
        }

        return Read(envelope, plaintext);
    }

    private static WeChatPayNotificationResult Read(WeChatPayNotificationEnvelope envelope, string plaintext)
    {
        if (envelope.EventType.StartsWith("REFUND.", StringComparison.Ordinal))
        {
            var refund = TryDeserialize<RefundNotification>(plaintext);
            return refund is { OutRefundNo.Length: > 0 }
                ? Parsed(envelope) with { Refund = refund }
                : Invalid(envelope, "refund resource without out_refund_no");
        }

        if (!IsJsonObject(plaintext, out var hasCombineOutTradeNo))
        {
            return Invalid(envelope, "resource is not a JSON object");
        }

        if (hasCombineOutTradeNo)
        {
            var combine = TryDeserialize<CombineTransactionNotification>(plaintext);
            return combine is { CombineOutTradeNo.Length: > 0 }
                ? Parsed(envelope) with { CombineTransaction = combine }
                : Invalid(envelope, "combine transaction resource is malformed");
        }

        var transaction = TryDeserialize<TransactionNotification>(plaintext);
        return transaction is { OutTradeNo.Length: > 0 }
            ? Parsed(envelope) with { Transaction = transaction }
            : Invalid(envelope, "transaction resource without out_trade_no");
    }

    private static bool IsJsonObject(string json, out bool hasCombineOutTradeNo)
    {
        hasCombineOutTradeNo = false;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            hasCombineOutTradeNo = document.RootElement.TryGetProperty("combine_out_trade_no", out _);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T? TryDeserialize<T>(string json)
        where T : class
    {
        try
        {
            return WeChatJson.Deserialize<T>(json);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static WeChatPayNotificationResult Parsed(WeChatPayNotificationEnvelope envelope) =>
        new() { Status = WeChatPayNotificationStatus.Parsed, Envelope = envelope };

    private static WeChatPayNotificationResult Invalid(WeChatPayNotificationEnvelope? envelope, string error) =>
        new() { Status = WeChatPayNotificationStatus.InvalidPayload, Envelope = envelope, Error = error };
}
