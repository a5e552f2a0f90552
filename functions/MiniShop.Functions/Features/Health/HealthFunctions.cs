using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Http;

namespace MiniShop.Functions.Features.Health;

public sealed record HealthView(string Status);

public sealed class HealthFunctions
{
    [Function(nameof(GetHealth))]
    [ApiOperation("Meta", "Liveness: answers while the app can serve requests", Response = typeof(HealthView))]
    public IActionResult GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
        => Api.Ok(new HealthView("ok"));
}
