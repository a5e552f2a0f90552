using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Bench.Checkout;

/// <summary>
/// Remembers which documents some containers hold, and later deletes every document added since (orders, payments,
/// idempotency records, reservations, stock movements, ledger entries, wallet coupons), so each measured round starts
/// from the same data. Documents that were changed in place (stock counts, points balances) keep their changes.
/// </summary>
public sealed class DataReset
{
    private readonly List<(Container Container, string PartitionKeyPath, HashSet<string> Keys)> containers = [];

    public static async Task<DataReset> SnapshotAsync(IEnumerable<Container> of)
    {
        var reset = new DataReset();
        foreach (var container in of)
        {
            var path = (await container.ReadContainerAsync()).Resource.PartitionKeyPath;
            var keys = (await ReadAllAsync(container, path)).Select(Key).ToHashSet(StringComparer.Ordinal);
            reset.containers.Add((container, path, keys));
        }
        return reset;
    }

    /// <summary>Deletes the documents added since the snapshot; returns how many.</summary>
    public async Task<int> ResetAsync()
    {
        var deleted = 0;
        foreach (var (container, path, keys) in containers)
        {
            var added = (await ReadAllAsync(container, path)).Where(d => !keys.Contains(Key(d))).ToList();
            foreach (var partition in added.GroupBy(d => d.PartitionKey))
            {
                foreach (var chunk in partition.Chunk(100)) // a transactional batch holds at most 100 operations
                {
                    var batch = container.CreateTransactionalBatch(new PartitionKey(partition.Key));
                    foreach (var doc in chunk) batch.DeleteItem(doc.Id);
                    using var response = await batch.ExecuteAsync();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Reset of {container.Id}: {response.StatusCode} {response.ErrorMessage}");
                    deleted += chunk.Length;
                }
            }
        }
        return deleted;
    }

    private static string Key((string Id, string PartitionKey) doc) => doc.PartitionKey + "\u001f" + doc.Id;

    private static async Task<List<(string Id, string PartitionKey)>> ReadAllAsync(Container container, string partitionKeyPath)
    {
        var field = partitionKeyPath.TrimStart('/');
        var result = new List<(string, string)>();
        using var feed = container.GetItemQueryIterator<JsonElement>(new QueryDefinition($"SELECT c.id, c[\"{field}\"] AS pk FROM c"));
        while (feed.HasMoreResults)
            foreach (var doc in await feed.ReadNextAsync())
                result.Add((doc.GetProperty("id").GetString()!, doc.GetProperty("pk").GetString()!));
        return result;
    }
}
