using MiniShop.Domain.Common;

namespace MiniShop.Domain.Identity;

public enum CallerKind { Anonymous, Member, Admin }

/// <summary>
/// Who is calling, taken from a verified access token. Handlers ask it for what they need;
/// a missing or bad token gives 401, the wrong role or shop gives 403.
/// </summary>
public sealed record Caller(
    CallerKind Kind,
    string? SubjectId,
    IReadOnlySet<string> Roles,
    IReadOnlySet<string> ShopIds,
    string? MemberLevelId,
    string? SessionId,
    string? TokenProblem = null)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, null, None, None, null, null);

    public static Caller AnonymousBecause(string tokenProblem) => Anonymous with { TokenProblem = tokenProblem };

    public static Caller Member(string memberId, string? levelId, string sessionId)
        => new(CallerKind.Member, memberId, None, None, levelId, sessionId);

    public static Caller Admin(string operatorId, IEnumerable<string> roles, IEnumerable<string> shopIds, string sessionId)
        => new(CallerKind.Admin, operatorId, roles.ToHashSet(StringComparer.Ordinal), shopIds.ToHashSet(StringComparer.Ordinal), null, sessionId);

    public bool IsMember => Kind == CallerKind.Member;

    /// <summary>The member id, or 401.</summary>
    public string RequireMember()
        => Kind == CallerKind.Member ? SubjectId! : throw Unauthorized("a member");

    /// <summary>Any signed-in operator, or 401 (what each permission allows is the handler's to check).</summary>
    public void RequireOperator()
    {
        if (Kind != CallerKind.Admin) throw Unauthorized("an operator");
    }

    /// <summary>The operator id when the caller holds the permission, else 401/403.</summary>
    public string RequireAdmin(AdminPermission permission)
    {
        if (Kind != CallerKind.Admin) throw Unauthorized("an operator");
        if (!AdminPermissions.AnyGrants(Roles, permission))
            throw new ForbiddenException($"Your role does not allow {permission}.");
        return SubjectId!;
    }

    /// <summary>The operator id when the caller holds the permission for this shop, else 401/403.</summary>
    public string RequireAdmin(AdminPermission permission, string shopId)
    {
        var id = RequireAdmin(permission);
        if (!CanAccessShop(shopId)) throw new ForbiddenException($"You may not act on shop '{shopId}'.");
        return id;
    }

    public bool SpansAllShops => Kind == CallerKind.Admin && Roles.Any(AdminRole.SpansAllShops);

    public bool CanAccessShop(string shopId) => SpansAllShops || (Kind == CallerKind.Admin && ShopIds.Contains(shopId));

    private UnauthorizedException Unauthorized(string who)
        => new(TokenProblem is null ? $"Sign in as {who} first." : $"The access token is not valid: {TokenProblem}.");
}
