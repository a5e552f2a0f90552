using System.Text.RegularExpressions;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Domain.Promotions;

namespace MiniShop.Domain.Marketing;

/// <summary>Whether a promotion or coupon template is running. Paused items are kept but never offered.</summary>
public enum MarketingStatus { Active, Paused }

/// <summary>
/// Who owns a marketing item: a shop id, or <see cref="Platform"/> for platform-wide items. It is also the partition
/// key of the marketing container, so everything one owner configures is one single-partition query.
/// </summary>
public static class MarketingOwners
{
    public const string Platform = "platform";

    public static bool IsPlatform(string ownerId) => ownerId == Platform;

    /// <summary>The engine's shop id for an owner: null for the platform.</summary>
    public static string? ShopIdOf(string ownerId) => IsPlatform(ownerId) ? null : ownerId;

    public static string OwnerOf(string? shopId) => shopId ?? Platform;

    /// <summary>
    /// The operator id when the caller may configure marketing for this owner: platform items need a role that spans
    /// every shop (platform-admin, operator); shop items need MarketingWrite for that shop. 401/403 otherwise.
    /// </summary>
    public static string RequireMarketingAccess(this Caller caller, string ownerId)
    {
        if (!IsPlatform(ownerId)) return caller.RequireAdmin(AdminPermission.MarketingWrite, ownerId);
        var id = caller.RequireAdmin(AdminPermission.MarketingWrite);
        if (!caller.SpansAllShops) throw new ForbiddenException("Platform-level marketing needs a platform admin or operator.");
        return id;
    }
}

/// <summary>A scope as sent by an admin: kind plus ids (shop, category, SPU or SKU ids).</summary>
public sealed record ScopeDraft(ScopeKind? Kind, List<string>? Ids);

/// <summary>Validation helpers shared by promotions and coupon templates.</summary>
public static partial class MarketingRules
{
    public const int MaxScopeIds = 200;
    public const int MaxNameLength = 40;
    public const int MaxDescriptionLength = 500;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex GroupNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,64}$")]
    private static partial Regex ScopeIdPattern();

    /// <summary>UTC, whole seconds: stored times compare and round-trip exactly.</summary>
    public static DateTimeOffset Utc(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public static bool IsGroupName(string? name) => name is not null && GroupNamePattern().IsMatch(name);

    public static string? StackingGroup(string? group, string field, Validator v)
    {
        if (string.IsNullOrWhiteSpace(group)) return null;
        var trimmed = group.Trim();
        v.Check(IsGroupName(trimmed), field, "must be 1-40 letters, digits, '-' or '_'.");
        return trimmed;
    }

    /// <summary>
    /// A valid scope or null (errors added). Shop-owned items cover only their own shop anyway, so a shop scope makes
    /// sense only on platform items.
    /// </summary>
    public static ItemScope? Scope(ScopeDraft? d, string field, bool platformOwned, Validator v)
    {
        if (d is null) return ItemScope.All;
        if (d.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            v.Add(field + ".kind", "must be one of: all, shops, categories, spus, skus.");
            return null;
        }
        var ids = d.Ids ?? [];
        if (kind == ScopeKind.All)
        {
            if (ids.Count > 0) v.Add(field + ".ids", "must be empty when the scope is 'all'.");
            return ItemScope.All;
        }
        if (kind == ScopeKind.Shops && !platformOwned)
        {
            v.Add(field + ".kind", "'shops' is for platform items; a shop's own items use 'all'.");
            return null;
        }
        var ok = true;
        if (ids.Count == 0) { v.Add(field + ".ids", "needs at least one id."); ok = false; }
        if (ids.Count > MaxScopeIds) { v.Add(field + ".ids", $"at most {MaxScopeIds} ids."); ok = false; }
        for (var i = 0; i < Math.Min(ids.Count, MaxScopeIds); i++)
        {
            if (ids[i] is null || !ScopeIdPattern().IsMatch(ids[i])) { v.Add($"{field}.ids[{i}]", "must be 1-64 letters, digits, '-', '_', ':' or '.'."); ok = false; }
            else if (ids.IndexOf(ids[i]) < i) { v.Add($"{field}.ids[{i}]", "is a duplicate."); ok = false; }
        }
        return ok ? new ItemScope(kind, ids.ToList()) : null;
    }

    /// <summary>A required UTC instant (whole seconds), or null with an error.</summary>
    public static DateTimeOffset? Instant(DateTimeOffset? value, string field, Validator v)
    {
        if (value is null) { v.Add(field, "is required."); return null; }
        var t = Utc(value.Value);
        if (t.Year is < 2000 or > 2999) { v.Add(field, "must be between the years 2000 and 2999."); return null; }
        return t;
    }
}
