namespace MiniShop.Infrastructure.Checkout;

public enum IdempotencyState { Pending, Completed }

/// <summary>
/// Claims an Idempotency-Key in the member's partition before any work: "pending" with a short lease while the
/// request runs, "completed" with the result once the orders exist (written in the same batch as the orders).
/// A repeat returns the stored result; a different body under the same key is refused.
/// </summary>
public sealed record IdempotencyRecord(
    string Id,
    string MemberId,
    string Scope,
    string RequestHash,
    IdempotencyState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset LeaseUntil,
    CheckoutResult? Result,
    int Ttl)
{
    public string Type => "idempotency";

    public static string IdFor(string scope, string key) => $"idem:{scope}:{key}";
}
