using MiniShop.Domain.Common;
using MiniShop.Domain.Marketing;

namespace MiniShop.Domain.GroupBuys;

/// <summary>Running, paused (no new groups or joins; open groups still run to their deadline) or ended for good.</summary>
public enum GroupBuyStatus { Active, Paused, Ended }

/// <summary>A SKU in the activity and its group price (fen, below the SKU's list price).</summary>
public sealed record GroupBuySku(string SkuId, long GroupPriceFen);

/// <summary>
/// A group-buy activity (拼团) on SKUs of one product: members open groups of <see cref="GroupSize"/> seats at the group
/// price; a group that fills within <see cref="GroupDurationSeconds"/> succeeds, otherwise it fails and every paid member
/// is refunded, unless <see cref="VirtualSuccessMaxMissing"/> lets a group short of at most that many paid members succeed
/// anyway. The opener pays <see cref="LeaderDiscountFen"/> less per unit. Stored in the group-buys container, partition
/// = its own id (type "group-buy"); <see cref="Version"/> is the content version (the admin ETag).
/// </summary>
public sealed record GroupBuyActivity(
    string Id,
    string ShopId,
    string Name,
    string? Description,
    string ProductId,
    IReadOnlyList<GroupBuySku> Skus,
    int GroupSize,
    int GroupDurationSeconds,
    int PerMemberLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? VirtualSuccessMaxMissing,
    long LeaderDiscountFen,
    GroupBuyStatus Status,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string Type => GroupBuyDocTypes.Activity;

    /// <summary>Partition key of the group-buys container: everything of one activity shares its partition.</summary>
    public string ActivityId => Id;

    public long EndsAtTs => EndsAt.ToUnixTimeSeconds();

    public bool IsRunningAt(DateTimeOffset now) => Status == GroupBuyStatus.Active && StartsAt <= now && now < EndsAt;

    public bool HasStartedAt(DateTimeOffset now) => StartsAt <= now;

    public GroupBuySku? FindSku(string skuId) => Skus.FirstOrDefault(s => s.SkuId == skuId);

    /// <summary>The unit price a member pays: the group price, less the leader discount for the opener.</summary>
    public long UnitPriceFen(GroupBuySku sku, bool leader) => leader ? sku.GroupPriceFen - LeaderDiscountFen : sku.GroupPriceFen;

    /// <summary>When a group opened now closes: after the group duration, but never after the activity ends.</summary>
    public DateTimeOffset GroupDeadline(DateTimeOffset openedAt)
    {
        var deadline = MarketingRules.Utc(openedAt.AddSeconds(GroupDurationSeconds));
        return deadline < EndsAt ? deadline : EndsAt;
    }
}

/// <summary>The kinds of document in the group-buys container (the "type" field).</summary>
public static class GroupBuyDocTypes
{
    public const string Activity = "group-buy";
    public const string Stats = "group-buy-stats";
    public const string Group = "group";
    public const string Ticket = "group-ticket";
    public const string Quota = "group-buy-quota";
}

public sealed record GroupBuySkuDraft(string? SkuId, long? GroupPriceFen);

/// <summary>What an operator sends to create or (before the start) replace an activity.</summary>
public sealed record GroupBuyDraft(
    string? ShopId,
    string? Name,
    string? Description,
    string? ProductId,
    List<GroupBuySkuDraft?>? Skus,
    int? GroupSize,
    int? GroupDurationSeconds,
    int? PerMemberLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? VirtualSuccessMaxMissing,
    long? LeaderDiscountFen);

/// <summary>What the activity's product looks like to validation: its shop and each SKU's list price (null = not a SKU of it).</summary>
public sealed record GroupBuyProductFacts(string ShopId, IReadOnlyDictionary<string, long> ListPricesBySku);

/// <summary>Validates group-buy drafts (every wrong field at once) and builds activities.</summary>
public static class GroupBuyRules
{
    public const int MinGroupSize = 2;
    /// <summary>A group's seats live in one document, changed with one patch per step: keep it small.</summary>
    public const int MaxGroupSize = 50;
    public const int MaxSkus = 50;
    public const int MaxPerMemberLimit = 99;
    public const int DefaultGroupDurationSeconds = 24 * 3600;
    public const int MaxGroupDurationSeconds = 7 * 24 * 3600;

    /// <param name="minDurationSeconds">The shortest group duration allowed (settings: 300 s in production, seconds in tests).</param>
    public static GroupBuyActivity Create(string id, GroupBuyDraft draft, GroupBuyProductFacts? product, int minDurationSeconds, DateTimeOffset now)
        => Build(id, draft, null, product, minDurationSeconds, now);

    /// <summary>Replaces the content before the start; keeps id, shop, status and creation time.</summary>
    public static GroupBuyActivity Update(GroupBuyActivity existing, GroupBuyDraft draft, GroupBuyProductFacts? product, int minDurationSeconds, DateTimeOffset now)
    {
        if (existing.HasStartedAt(now))
            throw new ConflictException("group_buy_started", "The activity has started; it can only be paused or ended now.");
        if (existing.Status == GroupBuyStatus.Ended)
            throw new ConflictException("group_buy_ended", "The activity has ended.");
        if (draft.ShopId is not null && draft.ShopId != existing.ShopId)
            throw ValidationException.For("shopId", "cannot change; create a new activity for another shop.");
        return Build(existing.Id, draft with { ShopId = existing.ShopId }, existing, product, minDurationSeconds, now);
    }

    private static GroupBuyActivity Build(string id, GroupBuyDraft d, GroupBuyActivity? existing, GroupBuyProductFacts? product, int minDurationSeconds, DateTimeOffset now)
    {
        var v = new Validator();
        v.Required(d.ShopId, "shopId", 64);
        v.Required(d.Name, "name", MarketingRules.MaxNameLength);
        v.Optional(d.Description, "description", MarketingRules.MaxDescriptionLength);
        v.Required(d.ProductId, "productId", 64);
        if (d.ProductId is not null && product is null) v.Add("productId", "is not a product.");
        else if (product is not null && d.ShopId is not null && product.ShopId != d.ShopId) v.Add("productId", $"is not a product of shop '{d.ShopId}'.");

        var skus = new List<GroupBuySku>();
        if (d.Skus is not { Count: > 0 }) v.Add("skus", "needs at least one SKU.");
        else if (d.Skus.Count > MaxSkus) v.Add("skus", $"at most {MaxSkus} SKUs.");
        else
        {
            for (var i = 0; i < d.Skus.Count; i++)
            {
                var s = d.Skus[i];
                var field = $"skus[{i}]";
                if (s is null) { v.Add(field, "is required."); continue; }
                v.Required(s.SkuId, field + ".skuId", 64);
                long? list = s.SkuId is not null && product is not null && product.ListPricesBySku.TryGetValue(s.SkuId, out var lp) ? lp : null;
                if (s.SkuId is not null && product is not null && list is null) v.Add(field + ".skuId", "is not a SKU of the product.");
                else if (s.SkuId is not null && d.Skus.Take(i).Any(o => o?.SkuId == s.SkuId)) v.Add(field + ".skuId", "is a duplicate.");
                if (s.GroupPriceFen is not ({ } price and >= 1)) v.Add(field + ".groupPriceFen", "must be at least 1 fen.");
                else if (list is { } l && price >= l) v.Add(field + ".groupPriceFen", $"must be below the list price ({l} fen).");
                else if (s.SkuId is not null) skus.Add(new GroupBuySku(s.SkuId, price));
            }
        }

        v.Check(d.GroupSize is >= MinGroupSize and <= MaxGroupSize, "groupSize", $"must be between {MinGroupSize} and {MaxGroupSize}.");
        var duration = d.GroupDurationSeconds ?? DefaultGroupDurationSeconds;
        v.Check(duration >= minDurationSeconds && duration <= MaxGroupDurationSeconds, "groupDurationSeconds",
            $"must be between {minDurationSeconds} and {MaxGroupDurationSeconds} seconds (default {DefaultGroupDurationSeconds}).");
        v.Check(d.PerMemberLimit is >= 1 and <= MaxPerMemberLimit, "perMemberLimit", $"must be between 1 and {MaxPerMemberLimit} units.");
        var starts = MarketingRules.Instant(d.StartsAt, "startsAt", v);
        var ends = MarketingRules.Instant(d.EndsAt, "endsAt", v);
        if (starts is { } s0 && ends is { } e0) v.Check(e0 > s0, "endsAt", "must be after startsAt.");
        if (ends is { } e1) v.Check(e1 > now, "endsAt", "must be in the future.");
        if (d.VirtualSuccessMaxMissing is { } k && d.GroupSize is { } size)
            v.Check(k >= 1 && k < size, "virtualSuccessMaxMissing", $"must be between 1 and {size - 1} (groupSize - 1), or absent.");
        var leader = d.LeaderDiscountFen ?? 0;
        if (leader < 0) v.Add("leaderDiscountFen", "must be 0 or more.");
        else if (leader > 0 && skus.Count > 0 && skus.Min(s => s.GroupPriceFen) is var min && leader >= min)
            v.Add("leaderDiscountFen", $"must be below the lowest group price ({min} fen), so the leader still pays.");
        v.ThrowIfInvalid();

        return new GroupBuyActivity(id, d.ShopId!, d.Name!.Trim(), string.IsNullOrWhiteSpace(d.Description) ? null : d.Description.Trim(), d.ProductId!,
            skus, d.GroupSize!.Value, duration, d.PerMemberLimit!.Value, starts!.Value, ends!.Value, d.VirtualSuccessMaxMissing, leader,
            existing?.Status ?? GroupBuyStatus.Active, (existing?.Version ?? 0) + 1, existing?.CreatedAt ?? MarketingRules.Utc(now), MarketingRules.Utc(now));
    }

    /// <summary>Pause, resume or end. Ended is final; the same status again is a no-op.</summary>
    public static GroupBuyActivity SetStatus(GroupBuyActivity a, GroupBuyStatus status, DateTimeOffset now)
    {
        if (a.Status == status) return a;
        if (a.Status == GroupBuyStatus.Ended) throw new ConflictException("group_buy_ended", "The activity has ended; create a new one.");
        return a with { Status = status, Version = a.Version + 1, UpdatedAt = MarketingRules.Utc(now) };
    }
}
