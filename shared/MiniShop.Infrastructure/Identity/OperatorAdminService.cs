using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Identity;

public sealed record OperatorDraft(string? UserName, string? DisplayName, string? Password, List<string>? Roles, List<string>? ShopIds);

/// <summary>Creates operator accounts (platform admins only, and the demo seed).</summary>
public sealed class OperatorAdminService(CosmosDb db, TimeProvider time)
{
    private Container Operators => db.Container(CosmosSchema.Operators);

    public async Task<OperatorDocument> CreateAsync(OperatorDraft d, CancellationToken ct, int iterations = PasswordHasher.DefaultIterations)
    {
        var v = new Validator();
        v.Required(d.UserName, "userName", 64);
        v.Check(d.UserName is null || d.UserName.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'), "userName", "may use letters, digits and - _ . @ only.");
        v.Required(d.DisplayName, "displayName", 60);
        v.Check(d.Password is { Length: >= 12 and <= 256 }, "password", "must be 12-256 characters.");
        v.Check(d.Roles is { Count: > 0 } && d.Roles.All(AdminRole.All.Contains), "roles", $"at least one of: {string.Join(", ", AdminRole.All)}.");
        var scoped = d.Roles?.Any(r => !AdminRole.SpansAllShops(r)) == true && d.Roles.All(r => !AdminRole.SpansAllShops(r));
        v.Check(!scoped || d.ShopIds is { Count: > 0 }, "shopIds", "a merchant-admin or customer-service account needs at least one shop.");
        v.ThrowIfInvalid();

        var now = time.GetUtcNow();
        var op = new OperatorDocument(OperatorDocument.IdFor(d.UserName!), d.UserName!.Trim(), d.DisplayName!.Trim(), PasswordHasher.Hash(d.Password!, iterations),
            d.Roles!.Distinct().ToList(), (d.ShopIds ?? []).Distinct().ToList(), 0, null, false, now, now);
        if (!await Operators.TryCreateAsync(op, op.Id, ct)) throw new ConflictException("operator_exists", $"Operator '{op.UserName}' already exists.");
        return op;
    }

    public async Task<OperatorDocument?> FindAsync(string userName, CancellationToken ct)
        => (await Operators.ReadOrNullAsync<OperatorDocument>(OperatorDocument.IdFor(userName), OperatorDocument.IdFor(userName), ct))?.Value;
}
