using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Functions.Http;

/// <summary>Builds the OpenAPI 3.1 document from the functions themselves, so it cannot drift from the code.</summary>
public static partial class OpenApiDocument
{
    [GeneratedRegex(@"\{(\*?)([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    public static JsonObject Build(IEnumerable<HttpFunction> functions)
    {
        var paths = new JsonObject();
        foreach (var f in functions)
        {
            var path = "/" + HttpFunctionCatalog.RoutePrefix + "/" + RouteParameter().Replace(f.Route, m => "{" + m.Groups[2].Value + "}");
            if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
            foreach (var verb in f.Methods)
                item[verb.ToLowerInvariant()] = Operation(f);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "MiniShop API",
                ["version"] = "1.0.0",
                ["description"] = "Backend of WeChat mini-program shops. Money is integer fen; times are UTC ISO 8601; errors are RFC 7807 problem documents.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
                ["schemas"] = new JsonObject { ["Problem"] = ProblemSchema() },
            },
        };
    }

    private static JsonObject Operation(HttpFunction f)
    {
        var api = f.Api;
        var op = new JsonObject
        {
            ["operationId"] = f.Name,
            ["tags"] = new JsonArray(api?.Tag ?? "Other"),
            ["summary"] = api?.Summary ?? f.Name,
        };
        var parameters = new JsonArray();
        foreach (Match m in RouteParameter().Matches(f.Route))
            parameters.Add(Parameter(m.Groups[2].Value, "path", required: true, null));
        foreach (var q in api?.Query ?? [])
        {
            var parts = q.Split(':', 2);
            parameters.Add(Parameter(parts[0], "query", required: false, parts.Length > 1 ? parts[1] : null));
        }
        foreach (var h in api?.Headers ?? [])
            parameters.Add(Parameter(h.TrimEnd('?'), "header", required: !h.EndsWith('?'), null));
        parameters.Add(Parameter(CorrelationIds.Header, "header", required: false, "Echoed in the response and in problem documents."));
        op["parameters"] = parameters;

        if (api?.Request is { } request)
            op["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(request) } },
            };

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = api?.SuccessStatus == 204 ? "No content" : "Success" };
        if (api?.Response is { } response)
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(response) } };
        responses[(api?.SuccessStatus ?? 200).ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        foreach (var (status, text) in ErrorResponses(api))
            responses[status] = new JsonObject
            {
                ["description"] = text,
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
            };
        op["responses"] = responses;
        if (api?.Auth is ApiAuth.Member or ApiAuth.Admin or ApiAuth.OptionalMember)
            op["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
        return op;
    }

    private static IEnumerable<(string, string)> ErrorResponses(ApiOperationAttribute? api)
    {
        yield return ("400", "Invalid input; `errors` names each wrong field");
        if (api?.Auth is ApiAuth.Member or ApiAuth.Admin) yield return ("401", "Missing, expired or forged token");
        if (api?.Auth is ApiAuth.Admin) yield return ("403", "Role or shop scope does not allow this");
        if (api?.Auth is ApiAuth.PartnerSignature)
        {
            yield return ("401", "Unknown partner, or a missing, stale or forged signature");
            yield return ("409", "Replayed request: the X-Nonce was used before");
        }
        yield return ("404", "Not found (also another member's resource)");
        if (api?.Headers.Any(h => h.TrimEnd('?') == "If-Match") == true) yield return ("412", "The If-Match ETag is stale");
        if (api?.Headers.Contains("If-Match") == true) yield return ("428", "If-Match is required");
        yield return ("500", "Unexpected error; quote the correlation id");
    }

    private static JsonObject Parameter(string name, string location, bool required, string? description)
    {
        var p = new JsonObject { ["name"] = name, ["in"] = location, ["required"] = required, ["schema"] = new JsonObject { ["type"] = "string" } };
        if (description is not null) p["description"] = description;
        return p;
    }

    private static JsonNode Schema(Type type)
        => JsonDefaults.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("type", "title", "status", "code"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["code"] = new JsonObject { ["type"] = "string" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["correlationId"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            },
        },
    };
}
