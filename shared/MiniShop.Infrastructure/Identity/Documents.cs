namespace MiniShop.Infrastructure.Identity;

/// <summary>A shopper. Personal fields are encrypted; the WeChat session key never leaves the server.</summary>
public sealed record MemberDocument(
    string Id,
    string AppId,
    string OpenId,
    string? UnionId,
    string? LevelId,
    long Growth,
    string? SessionKeyEncrypted,
    DateTimeOffset? SessionKeyUpdatedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastLoginAt,
    string? NicknameEncrypted = null,
    string? AvatarUrl = null,
    PointsAccount? Points = null)
{
    /// <summary>Partition key of the members container: the member's own partition.</summary>
    public string MemberId => Id;

    public string Type => MemberDocTypes.Member;
}

/// <summary>
/// A member's points. <see cref="Available"/> can be spent; <see cref="Locked"/> is held by unpaid orders. Changed only
/// by conditional patches together with a ledger entry, so the ledger always explains the balance.
/// </summary>
public sealed record PointsAccount(long Available, long Locked)
{
    public static PointsAccount Empty { get; } = new(0, 0);
}

/// <summary>The kinds of document in a member's partition (the "type" field).</summary>
public static class MemberDocTypes
{
    public const string Member = "member";
    public const string Address = "address";
    public const string AddressBook = "address-book";
    public const string Cart = "cart";
    public const string Coupon = "coupon";
    public const string PointsEntry = "points-entry";
    public const string Order = "order";
    public const string PaymentOrder = "payment-order";
    public const string Idempotency = "idempotency";
}

/// <summary>Maps an external identity to a member. Creating it is what decides who wins a first-login race.</summary>
public sealed record IdentityLinkDocument(string Id, string MemberId, DateTimeOffset CreatedAt)
{
    public static string MiniProgramId(string appId, string openId) => $"wxmp:{appId}:{openId}";

    public static string UnionId(string unionId) => $"wxunion:{unionId}";
}

public enum SessionSubject { Member, Admin }

/// <summary>
/// A refresh-token session. Only hashes of secrets are stored; each refresh rotates the secret and keeps the previous
/// hash so a replayed old token is recognised as theft and revokes the session.
/// </summary>
public sealed record SessionDocument(
    string Id,
    SessionSubject Subject,
    string SubjectId,
    string SecretHash,
    string? PreviousSecretHash,
    int Generation,
    DateTimeOffset CreatedAt,
    DateTimeOffset RotatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokeReason,
    int Ttl);

public sealed record OperatorDocument(
    string Id,
    string UserName,
    string DisplayName,
    string PasswordHash,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> ShopIds,
    int FailedAttempts,
    DateTimeOffset? LockedUntil,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastLoginAt = null)
{
    public static string IdFor(string userName) => userName.Trim().ToLowerInvariant();
}
