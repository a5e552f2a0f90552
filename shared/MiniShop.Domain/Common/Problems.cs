namespace MiniShop.Domain.Common;

/// <summary>
/// An expected failure that maps to an RFC 7807 problem response. Handlers throw these;
/// the HTTP pipeline turns them into problem details, so no handler builds a response by hand.
/// </summary>
public abstract class ProblemException(int status, string code, string title, string? detail = null)
    : Exception(detail ?? title)
{
    public int Status { get; } = status;

    /// <summary>Stable machine-readable code, e.g. "validation_failed", "insufficient_stock".</summary>
    public string Code { get; } = code;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>Extra members for the problem document (e.g. the new preview on a price change).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();
}

/// <summary>400 with field-level errors keyed by JSON path (e.g. "skus[2].listPriceFen").</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
    : ProblemException(400, "validation_failed", "One or more fields are invalid.", detail ?? Describe(errors))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationException For(string field, string message)
        => new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Describe(IReadOnlyDictionary<string, string[]> errors)
        => string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}

public sealed class UnauthorizedException(string detail = "A valid access token is required.")
    : ProblemException(401, "unauthorized", "Unauthorized", detail);

public sealed class ForbiddenException(string detail = "You are not allowed to do this.")
    : ProblemException(403, "forbidden", "Forbidden", detail);

/// <summary>404. Also used for another member's resource, so its existence is not revealed.</summary>
public sealed class NotFoundException(string what, string id)
    : ProblemException(404, "not_found", "Not found", $"{what} '{id}' was not found.");

public class ConflictException(string code, string detail)
    : ProblemException(409, code, "Conflict", detail);

/// <summary>412 when an If-Match ETag no longer matches (someone else changed the resource).</summary>
public sealed class PreconditionFailedException(string detail = "The resource was changed by someone else; reload it and retry.")
    : ProblemException(412, "precondition_failed", "Precondition failed", detail);

/// <summary>428 when an admin update arrives without If-Match.</summary>
public sealed class PreconditionRequiredException()
    : ProblemException(428, "precondition_required", "Precondition required", "Send the resource's ETag in an If-Match header.");

/// <summary>422 when the request is well-formed but a business rule refuses it.</summary>
public sealed class BusinessRuleException(string code, string detail)
    : ProblemException(422, code, "Request refused by a business rule", detail);

public sealed class TooManyRequestsException(string detail, TimeSpan retryAfter)
    : ProblemException(429, "too_many_requests", "Too many requests", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>502/503 when a dependency (WeChat, ERP) fails in a way the caller may retry.</summary>
public sealed class UpstreamException(string code, string detail, int status = 502)
    : ProblemException(status, code, "Upstream service failed", detail);
