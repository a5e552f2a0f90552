using System.Net;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Infrastructure.Cosmos;

public static class CosmosClientFactory
{
    /// <param name="customHandlers">Extra request handlers for the client's pipeline, in order (the bench counts requests with one); none in the app.</param>
    public static CosmosClient Create(CosmosOptions o, IEnumerable<RequestHandler>? customHandlers = null)
    {
        if (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var endpoint))
            throw new InvalidOperationException("Cosmos:Endpoint is not set to an absolute URL.");

        var isLocal = endpoint.IsLoopback;
        // Off Azure the SDK's instance-metadata probe (169.254.169.254) only costs a timeout at start-up.
        if (isLocal) Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        var options = new CosmosClientOptions
        {
            ApplicationName = "minishop",
            Serializer = new StjCosmosSerializer(),
            ConnectionMode = isLocal || o.ConnectionMode.Equals("Gateway", StringComparison.OrdinalIgnoreCase) ? ConnectionMode.Gateway : ConnectionMode.Direct,
            // Local servers expose one endpoint; never follow them to the regional names they advertise.
            LimitToEndpoint = isLocal,
            EnableContentResponseOnWrite = true,
            MaxRetryAttemptsOnRateLimitedRequests = 9,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        foreach (var handler in customHandlers ?? []) options.CustomHandlers.Add(handler);
        if (isLocal && o.AllowInsecureLocalCertificate)
        {
            // The local server uses a self-signed certificate; accepted for loopback only, never for a real account.
            options.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 64,
                AutomaticDecompression = DecompressionMethods.None,
            });
        }

        return string.IsNullOrEmpty(o.Key)
            ? new CosmosClient(endpoint.ToString(), new DefaultAzureCredential(), options)
            : new CosmosClient(endpoint.ToString(), o.Key, options);
    }
}
