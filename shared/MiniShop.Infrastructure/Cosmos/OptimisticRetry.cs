using System.Net;
using Microsoft.Azure.Cosmos;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>
/// Read-modify-write loops over one document (or one partition's batch) guarded by an ETag: on a lost race (412, or
/// 409 when two writers create the same id) they read again and retry after a short, jittered pause.
/// </summary>
public static class OptimisticRetry
{
    /// <summary>Enough for dozens of writers racing on one document.</summary>
    public const int MaxAttempts = 40;

    public static bool IsLostRace(HttpStatusCode status) => status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict;

    public static bool IsLostRace(CosmosException e) => IsLostRace(e.StatusCode);

    /// <summary>The status of the operation that failed an atomic batch (the others report 424).</summary>
    public static HttpStatusCode FailedStatus(TransactionalBatchResponse response)
        => response.FirstOrDefault(r => r.StatusCode is not HttpStatusCode.FailedDependency && !r.IsSuccessStatusCode)?.StatusCode ?? response.StatusCode;

    /// <summary>Waits a random 1..(5 x attempt) ms, at most 100 ms, so racing writers spread out.</summary>
    public static Task PauseAsync(int attempt, CancellationToken ct)
        => Task.Delay(Random.Shared.Next(1, Math.Min(100, 5 * (attempt + 1)) + 1), ct);
}
