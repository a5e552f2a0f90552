using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>A document with the ETag it was read with, for optimistic concurrency.</summary>
public sealed record Versioned<T>(T Value, string ETag);

public static class CosmosExtensions
{
    public static async Task<Versioned<T>?> ReadOrNullAsync<T>(this Container container, string id, string partitionKey, CancellationToken ct = default)
    {
        try
        {
            var response = await container.ReadItemAsync<T>(id, new PartitionKey(partitionKey), cancellationToken: ct);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the item; false when an item with that id already exists.</summary>
    public static async Task<bool> TryCreateAsync<T>(this Container container, T item, string partitionKey, CancellationToken ct = default)
    {
        try
        {
            await container.CreateItemAsync(item, new PartitionKey(partitionKey), cancellationToken: ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public static async Task<List<T>> QueryAsync<T>(this Container container, QueryDefinition query, string? partitionKey, int? maxItems = null, CancellationToken ct = default)
    {
        var options = new QueryRequestOptions { MaxItemCount = maxItems ?? -1 };
        if (partitionKey is not null) options.PartitionKey = new PartitionKey(partitionKey);
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        var results = new List<T>();
        while (iterator.HasMoreResults && (maxItems is null || results.Count < maxItems))
            results.AddRange(await iterator.ReadNextAsync(ct));
        return maxItems is { } max && results.Count > max ? results.GetRange(0, max) : results;
    }

    public static bool IsPreconditionFailed(this CosmosException e) => e.StatusCode == HttpStatusCode.PreconditionFailed;

    public static bool IsConflict(this CosmosException e) => e.StatusCode == HttpStatusCode.Conflict;

    public static bool IsNotFound(this CosmosException e) => e.StatusCode == HttpStatusCode.NotFound;
}
