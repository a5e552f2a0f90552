using System.Text;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Domain.Orders;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Infrastructure.Orders;

public sealed record OrderPage(IReadOnlyList<Order> Items, string? NextCursor);

/// <summary>
/// Reads orders. A shopper's orders are one single-partition query (their member partition). An operator's view of a
/// shop reads across member partitions: an admin path, filtered on shopId and ordered by creation, keyset-paged.
/// </summary>
public sealed class OrderQueries(CosmosDb db)
{
    private Container Members => db.Container(CosmosSchema.Members);

    public Task<OrderPage> ForMemberAsync(string memberId, OrderStatus? status, string? cursor, int take, CancellationToken ct)
        => PageAsync("c.memberId = @owner", memberId, memberId, status, null, cursor, take, ct);

    public Task<OrderPage> ForShopAsync(string shopId, OrderStatus? status, string? q, string? cursor, int take, CancellationToken ct)
        => PageAsync("c.shopId = @owner", shopId, null, status, q, cursor, take, ct);

    /// <summary>An order by id across members (operators only; shoppers use their own partition).</summary>
    public async Task<Order> FindAnyAsync(string orderId, CancellationToken ct)
    {
        var found = await Members.QueryAsync<Order>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'order' AND c.id = @id").WithParameter("@id", orderId), null, ct: ct);
        return found.FirstOrDefault() ?? throw new NotFoundException("Order", orderId);
    }

    public async Task<IReadOnlyList<Refund>> OpenRefundsForShopAsync(string shopId, CancellationToken ct)
        => await Members.QueryAsync<Refund>(new QueryDefinition(
            "SELECT * FROM c WHERE c.type = 'refund' AND c.shopId = @s AND (c.status = 'requested' OR c.status = 'approved' OR c.status = 'processing')")
            .WithParameter("@s", shopId), null, ct: ct);

    private async Task<OrderPage> PageAsync(string ownerFilter, string owner, string? partition, OrderStatus? status, string? q, string? cursor, int take, CancellationToken ct)
    {
        if (take is < 1 or > 50) throw ValidationException.For("take", "must be between 1 and 50.");
        var (afterTs, afterId) = Decode(cursor);
        var sql = new StringBuilder($"SELECT * FROM c WHERE c.type = 'order' AND {ownerFilter}");
        if (status is not null) sql.Append(" AND c.status = @status");
        if (!string.IsNullOrWhiteSpace(q)) sql.Append(" AND STARTSWITH(c.id, @q)");
        if (afterId is not null) sql.Append(" AND (c.createdAtTs < @ts OR (c.createdAtTs = @ts AND c.id < @id))");
        sql.Append($" ORDER BY c.createdAtTs DESC, c.id DESC OFFSET 0 LIMIT {take + 1}");
        var query = new QueryDefinition(sql.ToString()).WithParameter("@owner", owner)
            .WithParameter("@status", status is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.Value.ToString()))
            .WithParameter("@q", q?.Trim()).WithParameter("@ts", afterTs).WithParameter("@id", afterId);
        var rows = await Members.QueryAsync<Order>(query, partition, ct: ct);
        var items = rows.Take(take).ToList();
        var next = rows.Count > take ? Ids.Base64Url(Encoding.UTF8.GetBytes($"{items[^1].CreatedAtTs}|{items[^1].Id}")) : null;
        return new OrderPage(items, next);
    }

    private static (long Ts, string? Id) Decode(string? cursor)
    {
        if (cursor is null) return (0, null);
        try
        {
            var parts = Encoding.UTF8.GetString(Ids.FromBase64Url(cursor)).Split('|', 2);
            return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw ValidationException.For("cursor", "is not a cursor this API returned.");
        }
    }
}
