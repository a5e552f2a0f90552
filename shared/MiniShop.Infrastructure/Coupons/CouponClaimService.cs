using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using MiniShop.Domain.Common;
using MiniShop.Domain.Coupons;
using MiniShop.Domain.Marketing;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;

namespace MiniShop.Infrastructure.Coupons;

/// <summary>Records that a claim with this Idempotency-Key produced this coupon (member partition, type "idempotency").</summary>
public sealed record ClaimIdempotencyRecord(string Id, string MemberId, string Key, string TemplateId, string CouponId, DateTimeOffset CreatedAt)
{
    public const string Operation = "coupon-claim";

    public string Type => MemberDocTypes.Idempotency;

    public string Kind => Operation;

    public static string IdFor(string key) => $"idem:{Operation}:{key}";
}

public sealed record CouponClaimResult(WalletCoupon Coupon, bool Replayed);

/// <summary>A claimable template with the caller's claim count (null when signed out).</summary>
public sealed record ClaimableTemplate(CouponTemplate Template, int? ClaimedByMe);

/// <summary>
/// Shoppers claim coupons. Two guards make a claim safe under any concurrency:
/// <list type="number">
/// <item>The template's <c>issued</c> counter only moves with a conditional patch (<c>issued &lt; total</c>), so the
/// total is never over-issued; every failure after the increment gives the unit back.</item>
/// <item>A member's coupons of a template have ids <c>cpn:{templateId}:{1..limit}</c> and are created only when
/// absent, so two claims can never both take the member's last slot.</item>
/// </list>
/// With an Idempotency-Key the coupon and an idempotency record are created in one transactional batch in the
/// member's partition: a retry (even a concurrent one) returns the same coupon.
/// </summary>
public sealed class CouponClaimService(CosmosDb db, CouponTemplateDirectory directory, TimeProvider time, ILogger<CouponClaimService> log)
{
    private const int MaxIncrementAttempts = 5;

    private Container Templates => db.Container(CosmosSchema.CouponTemplates);
    private Container Members => db.Container(CosmosSchema.Members);

    /// <summary>Templates a shopper can claim now: of one shop, of the platform ("platform"), or all (null).</summary>
    public async Task<IReadOnlyList<ClaimableTemplate>> ClaimableAsync(string? shopId, string? memberId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var open = (await directory.OpenTemplatesAsync(ct))
            .Where(t => t.IsClaimableAt(now) && (shopId is null || t.OwnerId == shopId)).ToList();
        if (memberId is null) return open.Select(t => new ClaimableTemplate(t, null)).ToList();
        var mine = await ClaimedTemplateIdsAsync(memberId, ct);
        return open.Select(t => new ClaimableTemplate(t, mine.Count(id => id == t.Id))).ToList();
    }

    public async Task<CouponClaimResult> ClaimAsync(string templateId, string memberId, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is not null && !IsIdempotencyKey(idempotencyKey))
            throw ValidationException.For("Idempotency-Key", "must be 1-100 letters, digits, '-' or '_'.");
        if (idempotencyKey is not null && await ReplayAsync(templateId, memberId, idempotencyKey, ct) is { } replayed) return replayed;

        var template = (await Templates.ReadOrNullAsync<CouponTemplate>(templateId, templateId, ct))?.Value
                       ?? throw new NotFoundException("Coupon template", templateId);
        var now = time.GetUtcNow();
        RequireClaimable(template, now);

        // Cheap pre-checks, so a member at the limit or a sold-out template never touches the counter.
        var taken = (await SlotsTakenAsync(template.Id, memberId, ct)).ToHashSet(StringComparer.Ordinal);
        var free = Enumerable.Range(1, template.PerMemberLimit).Where(n => !taken.Contains(CouponTemplate.WalletCouponId(template.Id, n))).ToList();
        if (free.Count == 0) throw LimitReached(template);
        if (template.Issued >= template.TotalQuantity) throw SoldOut(template);

        template = await IncrementIssuedAsync(template, now, ct);
        try
        {
            foreach (var slot in free)
            {
                var coupon = WalletCoupon.Claim(template, memberId, slot, now, idempotencyKey);
                var outcome = await TryCreateAsync(coupon, idempotencyKey, ct);
                if (outcome == CreateOutcome.Created) return new CouponClaimResult(coupon, false);
                if (outcome == CreateOutcome.KeyTaken) break; // a concurrent request with the same key won
            }
        }
        catch
        {
            await RollBackAsync(template.Id);
            throw;
        }

        // No coupon was created by this request: give the unit back, then answer.
        await RollBackAsync(template.Id);
        if (idempotencyKey is not null && await ReplayAsync(templateId, memberId, idempotencyKey, ct) is { } winner) return winner;
        throw LimitReached(template);
    }

    /// <summary>Template ids of every coupon the member holds (any status), one entry per coupon.</summary>
    public async Task<IReadOnlyList<string>> ClaimedTemplateIdsAsync(string memberId, CancellationToken ct)
        => await Members.QueryAsync<string>(
            new QueryDefinition("SELECT VALUE c.templateId FROM c WHERE c.type = @type").WithParameter("@type", WalletCoupon.DocType), memberId, ct: ct);

    private async Task<List<string>> SlotsTakenAsync(string templateId, string memberId, CancellationToken ct)
        => await Members.QueryAsync<string>(
            new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type AND c.templateId = @template")
                .WithParameter("@type", WalletCoupon.DocType).WithParameter("@template", templateId), memberId, ct: ct);

    /// <summary>
    /// issued += 1 only while issued &lt; total and the template is active. The total is a literal read from the
    /// document and re-checked in the predicate, so a concurrent edit of the total makes this retry, never overshoot.
    /// </summary>
    private async Task<CouponTemplate> IncrementIssuedAsync(CouponTemplate template, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var total = template.TotalQuantity.ToString(CultureInfo.InvariantCulture);
            var predicate = $"FROM c WHERE c.status = 'active' AND c.totalQuantity = {total} AND c.issued < {total}";
            try
            {
                var response = await Templates.PatchItemAsync<CouponTemplate>(template.Id, new PartitionKey(template.Id),
                    [PatchOperation.Increment("/issued", 1)], new PatchItemRequestOptions { FilterPredicate = predicate }, ct);
                return response.Resource ?? template with { Issued = template.Issued + 1 };
            }
            catch (CosmosException e) when (e.IsPreconditionFailed())
            {
                template = (await Templates.ReadOrNullAsync<CouponTemplate>(template.Id, template.Id, ct))?.Value
                           ?? throw new NotFoundException("Coupon template", template.Id);
                RequireClaimable(template, now);
                if (template.Issued >= template.TotalQuantity) throw SoldOut(template);
                if (attempt >= MaxIncrementAttempts) throw new ConflictException("claim_contended", "Too many concurrent changes to this coupon; retry.");
            }
        }
    }

    private async Task RollBackAsync(string templateId)
    {
        try
        {
            // Not cancellable: the unit must go back even when the request is aborted.
            await Templates.PatchItemAsync<CouponTemplate>(templateId, new PartitionKey(templateId),
                [PatchOperation.Increment("/issued", -1)], new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE c.issued > 0" }, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The counter stays one too high: fewer coupons can be claimed, never more. Logged for repair.
            log.LogError(e, "Could not give back a claimed unit of coupon template {TemplateId}; its issued counter is one too high", templateId);
        }
    }

    private enum CreateOutcome { Created, SlotTaken, KeyTaken }

    private async Task<CreateOutcome> TryCreateAsync(WalletCoupon coupon, string? key, CancellationToken ct)
    {
        if (key is null) return await Members.TryCreateAsync(coupon, coupon.MemberId, ct) ? CreateOutcome.Created : CreateOutcome.SlotTaken;

        var record = new ClaimIdempotencyRecord(ClaimIdempotencyRecord.IdFor(key), coupon.MemberId, key, coupon.TemplateId, coupon.Id, coupon.ClaimedAt);
        using var response = await Members.CreateTransactionalBatch(new PartitionKey(coupon.MemberId))
            .CreateItem(coupon)
            .CreateItem(record)
            .ExecuteAsync(ct);
        if (response.IsSuccessStatusCode) return CreateOutcome.Created;
        if (response.Count > 1 && response[1].StatusCode == HttpStatusCode.Conflict) return CreateOutcome.KeyTaken;
        if (response.Count > 0 && response[0].StatusCode == HttpStatusCode.Conflict) return CreateOutcome.SlotTaken;
        throw new InvalidOperationException($"Coupon claim batch failed: {response.StatusCode} {response.ErrorMessage}");
    }

    private async Task<CouponClaimResult?> ReplayAsync(string templateId, string memberId, string key, CancellationToken ct)
    {
        var record = await Members.ReadOrNullAsync<ClaimIdempotencyRecord>(ClaimIdempotencyRecord.IdFor(key), memberId, ct);
        if (record is null) return null;
        if (record.Value.TemplateId != templateId)
            throw new BusinessRuleException("idempotency_key_reused", "This Idempotency-Key was already used for another coupon template.");
        var coupon = await Members.ReadOrNullAsync<WalletCoupon>(record.Value.CouponId, memberId, ct)
                     ?? throw new InvalidOperationException($"Idempotency record {record.Value.Id} points to a missing coupon.");
        return new CouponClaimResult(coupon.Value, true);
    }

    private static void RequireClaimable(CouponTemplate t, DateTimeOffset now)
    {
        if (t.Status != MarketingStatus.Active)
            throw new BusinessRuleException("not_claimable", "This coupon is not being given out at the moment.");
        if (now < t.ClaimStartsAt)
            throw new BusinessRuleException("not_claimable_yet", $"This coupon can be claimed from {t.ClaimStartsAt:yyyy-MM-dd HH:mm:ss} UTC.");
        if (now >= t.ClaimEndsAt)
            throw new BusinessRuleException("claim_ended", "This coupon can no longer be claimed.");
    }

    private static ConflictException SoldOut(CouponTemplate t) => new("sold_out", $"All {t.TotalQuantity} coupons of '{t.Name}' have been claimed.");

    private static ConflictException LimitReached(CouponTemplate t)
        => new("limit_reached", $"You already hold the maximum of {t.PerMemberLimit} coupon(s) of '{t.Name}'.");

    private static bool IsIdempotencyKey(string key) => key.Length is > 0 and <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
