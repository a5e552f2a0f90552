namespace MiniShop.Functions.Features.Payments;

public sealed record PaymentView(string Id, string Status, long AmountFen, DateTimeOffset ExpiresAt, IReadOnlyList<string> OrderIds, DateTimeOffset? PaidAt);

/// <summary>Exactly the fields wx.requestPayment takes.</summary>
public sealed record RequestPaymentView(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

public sealed record SandboxPayView(int WebhookStatus, string PaymentOrderId);

public sealed record WeChatPayFailure(string Code, string Message);
