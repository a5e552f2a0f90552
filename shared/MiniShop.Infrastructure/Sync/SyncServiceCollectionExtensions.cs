using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace MiniShop.Infrastructure.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// ERP/WMS sync: outbox relay (hosted service), publisher (Service Bus when <c>ServiceBus__fullyQualifiedNamespace</c>
    /// or a <c>ServiceBus</c> connection string is set, otherwise in-process delivery), delivery to the partner HTTP
    /// clients, dead-letter administration, partner webhook authentication and ERP stock updates.
    /// </summary>
    public static IServiceCollection AddMiniShopSync(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SyncOptions>().Bind(config.GetSection(SyncOptions.Section));
        services.AddOptions<ErpOptions>().Bind(config.GetSection(ErpOptions.Section));
        services.AddOptions<WmsOptions>().Bind(config.GetSection(WmsOptions.Section));
        AddPartnerClient<ErpClient, ErpOptions>(services);
        AddPartnerClient<WmsClient, WmsOptions>(services);

        services.AddSingleton<PartnerMapper>();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<IntegrationDelivery>();
        services.AddSingleton<CosmosDeadLetterStore>();
        services.AddSingleton<PartnerRequestVerifier>();
        services.AddSingleton<ErpStockSync>();

        var serviceBus = ServiceBusSettings.From(config);
        if (serviceBus.IsConfigured)
        {
            services.TryAddSingleton(_ => string.IsNullOrWhiteSpace(serviceBus.ConnectionString)
                ? new ServiceBusClient(serviceBus.FullyQualifiedNamespace, new DefaultAzureCredential())
                : new ServiceBusClient(serviceBus.ConnectionString));
            services.TryAddSingleton<IIntegrationEventPublisher, ServiceBusEventPublisher>();
            services.TryAddSingleton<ServiceBusDeadLetterQueues>();
        }
        else
        {
            services.TryAddSingleton<IIntegrationEventPublisher, InProcessEventPublisher>();
        }
        services.AddSingleton<DeadLetterAdmin>();

        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        return services;
    }

    /// <summary>
    /// A typed client with the standard resilience pipeline: per-attempt and total timeouts, exponential retries with
    /// jitter for 408/429/5xx and network errors (safe for POST: every request carries an Idempotency-Key), and a
    /// circuit breaker. The consumers are singletons, so the primary handler recycles connections itself
    /// (PooledConnectionLifetime) instead of relying on handler rotation.
    /// </summary>
    private static void AddPartnerClient<TClient, TOptions>(IServiceCollection services)
        where TClient : PartnerClient where TOptions : PartnerEndpointOptions
    {
        services.AddHttpClient<TClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false,
                UseCookies = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions o, IServiceProvider sp) =>
            {
                var p = sp.GetRequiredService<IOptions<TOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(Math.Max(1, p.AttemptTimeoutSeconds));
                o.AttemptTimeout.Timeout = attempt;
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(Math.Max(p.TotalTimeoutSeconds, p.AttemptTimeoutSeconds + 1));
                o.Retry.MaxRetryAttempts = Math.Max(1, p.MaxRetryAttempts);
                o.Retry.Delay = TimeSpan.FromMilliseconds(Math.Max(1, p.RetryBaseDelayMilliseconds));
                o.Retry.BackoffType = DelayBackoffType.Exponential;
                o.Retry.UseJitter = true;
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, attempt.TotalSeconds * 2));
                // Open only for a partner that fails (nearly) every call. With the standard 10%, a partner failing half of
                // its calls (each event still gets through on a retry) opened the circuit once 100 calls were sampled, and
                // every delivery during the break failed at once, using up its redeliveries (Service Bus redelivers an
                // abandoned message immediately): healthy events became MaxDeliveryCountExceeded dead letters.
                o.CircuitBreaker.FailureRatio = 0.9;
            });
    }
}
