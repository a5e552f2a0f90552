using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace MiniShop.LocalHost;

/// <summary>
/// The in-memory Durable backend admits only ProcessorCount work items at once and then polls every 500 ms, which
/// makes a burst of orders (every checkout starts a lifecycle) crawl at about one orchestration a second. Re-implementing
/// the two limits lets hundreds run at once (measured in ../shared/notes: ~1,800 orchestrations/s instead of ~1).
/// </summary>
public sealed class WideInMemoryOrchestrationService(ILoggerFactory logs) : InMemoryOrchestrationService(logs), IOrchestrationService
{
    public const int Concurrency = 1_000;

    int IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems => Concurrency;

    int IOrchestrationService.MaxConcurrentTaskActivityWorkItems => Concurrency;
}
