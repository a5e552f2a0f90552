using System.Security.Cryptography;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Support;

/// <summary>
/// The Cosmos endpoint the tests run against: the local server by default (tools/local-services/start.sh),
/// or the official emulator / a real account through COSMOS_ENDPOINT and COSMOS_KEY.
/// </summary>
public static class TestCosmos
{
    // The public, documented key of the Cosmos DB emulator; local servers accept it. Not a secret.
    public const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DDJfp8ITeJ72T1vK6NTsU7M9M59S7JbqQj3v6SBw9GvV8w==";

    public static string Endpoint => Environment.GetEnvironmentVariable("COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/";

    public static string Key => Environment.GetEnvironmentVariable("COSMOS_KEY") ?? EmulatorKey;

    public static CosmosOptions Options(string databaseName) => new()
    {
        Endpoint = Endpoint, Key = Key, DatabaseName = databaseName, AllowInsecureLocalCertificate = true, ConnectionMode = "Gateway", EnsureSchema = true,
    };

    /// <summary>Settings for an app host pointed at a fresh database, with keys generated for this run.</summary>
    public static Dictionary<string, string?> AppSettings(string databaseName) => new()
    {
        ["Cosmos:Endpoint"] = Endpoint,
        ["Cosmos:Key"] = Key,
        ["Cosmos:DatabaseName"] = databaseName,
        ["Cosmos:AllowInsecureLocalCertificate"] = "true",
        ["Cosmos:ConnectionMode"] = "Gateway",
        ["Cosmos:EnsureSchema"] = "true",
        ["Auth:JwtSigningKey"] = RandomKey(),
        ["Security:DataKey"] = RandomKey(),
        ["Auth:DevLoginEnabled"] = "true",
        ["WeChat:AppId"] = "wx-test-app",
    };

    public static string RandomKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string NewDatabaseName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    /// <summary>A database with the app's schema, deleted on dispose.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var options = Options(NewDatabaseName(prefix));
        var client = CosmosClientFactory.Create(options);
        var db = new CosmosDb(client, Microsoft.Extensions.Options.Options.Create(options));
        try
        {
            await db.EnsureSchemaAsync();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"No Cosmos endpoint answers at {Endpoint}. Start the local services: tools/local-services/start.sh", e);
        }
        return new TestDatabase(db, options);
    }
}

public sealed class TestDatabase(CosmosDb db, CosmosOptions options) : IAsyncDisposable
{
    public CosmosDb Db { get; } = db;

    public IOptions<CosmosOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(options);

    public Container Container(string name) => Db.Container(name);

    public async ValueTask DisposeAsync()
    {
        try { await Db.Client.GetDatabase(Db.DatabaseName).DeleteAsync(); }
        catch (CosmosException) { /* best effort: the local server is in memory anyway */ }
        Db.Client.Dispose();
    }
}
