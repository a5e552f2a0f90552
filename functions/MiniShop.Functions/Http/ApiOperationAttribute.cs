namespace MiniShop.Functions.Http;

public enum ApiAuth { Anonymous, OptionalMember, Member, Admin, WeChatPaySignature, PartnerSignature }

/// <summary>
/// Describes an HTTP function for the OpenAPI document: tag, summary, who may call it, and its request and response
/// shapes. A test fails when an HTTP function lacks it, so the document always lists every endpoint.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string tag, string summary) : Attribute
{
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public ApiAuth Auth { get; init; } = ApiAuth.Anonymous;

    public Type? Request { get; init; }

    public Type? Response { get; init; }

    public int SuccessStatus { get; init; } = 200;

    /// <summary>Query parameters as "name" or "name:description".</summary>
    public string[] Query { get; init; } = [];

    /// <summary>Request headers that matter, e.g. "If-Match", "Idempotency-Key"; required unless the name ends with "?" ("If-Match?").</summary>
    public string[] Headers { get; init; } = [];
}
