using MiniShop.Domain.Common;

namespace MiniShop.Domain.Presales;

public enum PresaleStatus { Active, Paused, Ended }

/// <summary>
/// A presale (预售): a deposit per unit paid in the deposit window (which may count for more at the balance, 定金膨胀),
/// the balance paid in the balance window at the prices, promotions and coupons of that time, and a shipping promise.
/// </summary>
public sealed record Presale(
    string Id,
    string ShopId,
    string Name,
    string ProductId,
    IReadOnlyList<string> SkuIds,
    long DepositFen,
    long DepositValueFen,
    DateTimeOffset DepositStartsAt,
    DateTimeOffset DepositEndsAt,
    DateTimeOffset BalanceStartsAt,
    DateTimeOffset BalanceEndsAt,
    DateTimeOffset ShipBy,
    bool DepositRefundable,
    int PerMemberLimit,
    PresaleStatus Status,
    long Version,
    DateTimeOffset CreatedAt)
{
    public string Type => "presale";

    public bool CoversSku(string skuId) => SkuIds.Count == 0 || SkuIds.Contains(skuId);

    public bool AcceptsDepositsAt(DateTimeOffset now) => Status == PresaleStatus.Active && DepositStartsAt <= now && now < DepositEndsAt;

    public bool AcceptsBalanceAt(DateTimeOffset now, DateTimeOffset orderBalanceEndsAt) => BalanceStartsAt <= now && now < orderBalanceEndsAt;
}

public sealed record PresaleDraft(
    string? ShopId, string? Name, string? ProductId, List<string>? SkuIds, long? DepositFen, long? DepositValueFen,
    DateTimeOffset? DepositStartsAt, DateTimeOffset? DepositEndsAt, DateTimeOffset? BalanceStartsAt, DateTimeOffset? BalanceEndsAt,
    DateTimeOffset? ShipBy, bool? DepositRefundable, int? PerMemberLimit);

public static class PresaleRules
{
    /// <summary>Every wrong field at once; <paramref name="lowestPriceFen"/> is the cheapest covered SKU's list price.</summary>
    public static Presale Build(string id, PresaleDraft d, long? lowestPriceFen, DateTimeOffset now, Presale? existing)
    {
        var v = new Validator();
        v.Required(d.ShopId, "shopId", 64).Required(d.Name, "name", 60).Required(d.ProductId, "productId", 64);
        v.Check(lowestPriceFen is not null, "productId", "is not a product of this shop, or a SKU listed is not one of its SKUs.");
        v.Check(d.DepositFen is > 0, "depositFen", "must be a positive amount in fen.");
        v.Check(d.DepositValueFen is null || d.DepositValueFen >= d.DepositFen, "depositValueFen", "must be at least the deposit (it is what the deposit counts for).");
        if (lowestPriceFen is { } price && (d.DepositValueFen ?? d.DepositFen) is { } value)
            v.Check(value < price, "depositValueFen", "must be below the price, so a balance is left to pay.");
        v.Check(d.DepositStartsAt is not null, "depositStartsAt", "is required.");
        v.Check(d.DepositEndsAt > d.DepositStartsAt, "depositEndsAt", "must be after depositStartsAt.");
        v.Check(d.BalanceStartsAt >= d.DepositStartsAt, "balanceStartsAt", "must not be before the deposit window opens.");
        v.Check(d.BalanceEndsAt > d.BalanceStartsAt && d.BalanceEndsAt >= d.DepositEndsAt, "balanceEndsAt", "must be after balanceStartsAt and the end of the deposit window.");
        v.Check(d.ShipBy >= d.BalanceEndsAt, "shipBy", "must not be before the balance window closes.");
        v.Check(d.PerMemberLimit is null or (>= 1 and <= 99), "perMemberLimit", "must be between 1 and 99.");
        if (existing is not null && existing.DepositStartsAt <= now) v.Add("depositStartsAt", "the presale has started; it can no longer be edited.");
        v.ThrowIfInvalid();
        return new Presale(id, d.ShopId!, d.Name!.Trim(), d.ProductId!, (d.SkuIds ?? []).Distinct().ToList(), d.DepositFen!.Value, d.DepositValueFen ?? d.DepositFen!.Value,
            d.DepositStartsAt!.Value, d.DepositEndsAt!.Value, d.BalanceStartsAt!.Value, d.BalanceEndsAt!.Value, d.ShipBy!.Value, d.DepositRefundable ?? false,
            d.PerMemberLimit ?? 5, existing?.Status ?? PresaleStatus.Active, (existing?.Version ?? 0) + 1, existing?.CreatedAt ?? now);
    }
}
