using Microsoft.DurableTask;

namespace MiniShop.Functions.Durable;

/// <summary>
/// Every orchestrator and activity the app declares, in one registry shared by the Functions worker and the in-process
/// host, so tests run exactly what production runs (a test checks nothing is missing).
/// </summary>
public static class DurableTasks
{
    public static void Register(DurableTaskRegistry registry)
    {
        // Orchestrations arrive with the order lifecycle (payments issue).
    }
}
