using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Tests.Integration.CosmosCompat;

/// <summary>
/// Cosmos DB clients for the compatibility tests. Endpoint and key come from COSMOS_ENDPOINT and
/// COSMOS_KEY, so the same tests run against tools/local-services, the official emulator or a real
/// account. The self-signed certificate is accepted only for a loopback endpoint.
/// </summary>
internal static class CosmosTestEnvironment
{
    /// <summary>The well-known, public key of the Cosmos DB emulator.</summary>
    public const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly Lazy<CosmosClient> SharedClient = new(() => CreateClient(allowBulk: false));
    private static readonly Lazy<CosmosClient> SharedBulkClient = new(() => CreateClient(allowBulk: true));
    private static readonly Lazy<Task> Reachable = new(CheckReachableAsync);

    static CosmosTestEnvironment()
    {
        // The SDK otherwise probes the Azure VM metadata endpoint (169.254.169.254) on start.
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
    }

    public static Uri Endpoint { get; } = new(Environment.GetEnvironmentVariable("COSMOS_ENDPOINT") is { Length: > 0 } e ? e : "https://127.0.0.1:8081/");

    public static string Key { get; } = Environment.GetEnvironmentVariable("COSMOS_KEY") is { Length: > 0 } k ? k : EmulatorKey;

    public static bool IsLocal => Endpoint.IsLoopback;

    /// <summary>The serializer options the app uses: System.Text.Json, camelCase, nulls left out.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static CosmosClient Client => SharedClient.Value;

    public static CosmosClient BulkClient => SharedBulkClient.Value;

    public static CosmosClient CreateClient(bool allowBulk)
    {
        var options = new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            AllowBulkExecution = allowBulk,
            UseSystemTextJsonSerializerWithOptions = JsonOptions,
        };
        if (IsLocal)
        {
            options.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }

        return new CosmosClient(Endpoint.ToString(), Key, options);
    }

    /// <summary>Creates a database with a unique name (deleted on dispose) so tests can run in parallel.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        await Reachable.Value;
        string id = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        DatabaseResponse response = await Client.CreateDatabaseAsync(id, cancellationToken: cancellationToken);
        return new TestDatabase(response.Database);
    }

    private static async Task CheckReachableAsync()
    {
        using var handler = new HttpClientHandler();
        if (IsLocal)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // Any HTTP answer (401 without a signature) proves a server is listening.
            using HttpResponseMessage _ = await http.GetAsync(Endpoint);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException(
                $"No Cosmos DB endpoint answers at {Endpoint} ({ex.Message}). Start the local services first: " +
                "bash tools/local-services/start.sh (or set COSMOS_ENDPOINT / COSMOS_KEY to another Cosmos DB).",
                ex);
        }
    }
}

/// <summary>A database owned by one test; deleted when disposed.</summary>
internal sealed class TestDatabase(Database database) : IAsyncDisposable
{
    public Database Database { get; } = database;

    public async Task<Container> CreateContainerAsync(ContainerProperties properties, CancellationToken cancellationToken)
    {
        ContainerResponse response = await Database.CreateContainerAsync(properties, cancellationToken: cancellationToken);
        return response.Container;
    }

    public Task<Container> CreateContainerAsync(string id, CancellationToken cancellationToken, string partitionKeyPath = "/pk") =>
        CreateContainerAsync(new ContainerProperties(id, partitionKeyPath), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Database.DeleteAsync();
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}

/// <summary>The document shape used by the compatibility tests.</summary>
internal sealed record TestDoc(string Id, string Pk)
{
    public string? Name { get; init; }

    public string? Category { get; init; }

    public int Price { get; init; }

    public int Stock { get; init; }

    public string? Status { get; init; }

    public string[]? Tags { get; init; }

    public string? Note { get; init; }

    /// <summary>Cosmos DB per-item time to live in seconds (left out when null).</summary>
    public int? Ttl { get; init; }
}

internal static class FeedExtensions
{
    /// <summary>Drains a feed iterator page by page and returns every item and the page count.</summary>
    public static async Task<(List<T> Items, int Pages)> DrainAsync<T>(this FeedIterator<T> iterator, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        int pages = 0;
        using (iterator)
        {
            while (iterator.HasMoreResults)
            {
                FeedResponse<T> response = await iterator.ReadNextAsync(cancellationToken);
                items.AddRange(response);
                pages++;
            }
        }

        return (items, pages);
    }
}
