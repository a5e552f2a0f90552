using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace MiniShop.Functions.Http;

/// <summary>Runs <see cref="HttpPipeline"/> around HTTP functions under the Functions host. Other triggers pass straight through.</summary>
public sealed class FunctionsHttpMiddleware(HttpPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }

        var result = await pipeline.InvokeAsync(http, context.FunctionDefinition.Name, async () =>
        {
            await next(context);
            return context.GetInvocationResult().Value as IActionResult;
        });
        // The ASP.NET Core integration executes whatever result the invocation ends with.
        context.GetInvocationResult().Value = result;
    }
}
