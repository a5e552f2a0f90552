using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;

namespace MiniShop.Functions.Features.OpenApi;

public sealed class OpenApiFunctions
{
    private static readonly Lazy<JsonObject> Document = new(() => OpenApiDocument.Build(HttpFunctionCatalog.Discover(typeof(OpenApiFunctions).Assembly)));

    [Function(nameof(GetOpenApiDocument))]
    [ApiOperation("Meta", "This OpenAPI 3.1 document")]
    public IActionResult GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req)
        => Api.Ok(Document.Value);
}
