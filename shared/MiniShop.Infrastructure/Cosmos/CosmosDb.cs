using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>The app's database: containers by name, and schema creation for local runs.</summary>
public sealed class CosmosDb(CosmosClient client, IOptions<CosmosOptions> options)
{
    public string DatabaseName { get; } = options.Value.DatabaseName;

    public CosmosClient Client => client;

    public Container Container(string name) => client.GetContainer(DatabaseName, name);

    /// <summary>Creates the database and every container when missing; changes nothing when they exist.</summary>
    public async Task EnsureSchemaAsync(CancellationToken ct = default)
    {
        var database = (await client.CreateDatabaseIfNotExistsAsync(DatabaseName, cancellationToken: ct)).Database;
        foreach (var spec in CosmosSchema.Containers)
            await database.CreateContainerIfNotExistsAsync(ToProperties(spec), cancellationToken: ct);
    }

    public static ContainerProperties ToProperties(ContainerSpec spec)
    {
        var props = new ContainerProperties(spec.Name, spec.PartitionKeyPath) { DefaultTimeToLive = spec.DefaultTimeToLiveSeconds };
        foreach (var key in spec.UniqueKeys ?? [])
        {
            var unique = new UniqueKey();
            foreach (var path in key) unique.Paths.Add(path);
            props.UniqueKeyPolicy.UniqueKeys.Add(unique);
        }
        foreach (var composite in spec.CompositeIndexes ?? [])
            props.IndexingPolicy.CompositeIndexes.Add(new System.Collections.ObjectModel.Collection<CompositePath>(
                composite.Select(p => new CompositePath { Path = p, Order = CompositePathSortOrder.Ascending }).ToList()));
        return props;
    }
}
