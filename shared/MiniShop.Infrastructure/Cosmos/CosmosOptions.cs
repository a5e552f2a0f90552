namespace MiniShop.Infrastructure.Cosmos;

/// <summary>Settings section "Cosmos". With no Key the app signs in with its managed identity.</summary>
public sealed class CosmosOptions
{
    public const string Section = "Cosmos";

    public string Endpoint { get; set; } = "";

    /// <summary>Account key: local servers and the emulator only. Empty in Azure (managed identity).</summary>
    public string? Key { get; set; }

    public string DatabaseName { get; set; } = "minishop";

    /// <summary>Accept the self-signed certificate of a local server. Honoured only for loopback endpoints.</summary>
    public bool AllowInsecureLocalCertificate { get; set; }

    /// <summary>Gateway (HTTPS only, what local servers speak) or Direct (TCP, lower latency in Azure).</summary>
    public string ConnectionMode { get; set; } = "Direct";

    /// <summary>Create the database and containers at start-up (local runs); in Azure Bicep owns them.</summary>
    public bool EnsureSchema { get; set; }
}
