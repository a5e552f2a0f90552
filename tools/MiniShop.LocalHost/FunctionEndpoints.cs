using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MiniShop.Functions.Http;

namespace MiniShop.LocalHost;

/// <summary>
/// Maps each HTTP function to a Kestrel endpoint with the same verbs and route, creates the function class from the app's
/// container, binds its parameters like the Functions host does, and runs it inside the app's <see cref="HttpPipeline"/>.
/// </summary>
public static class FunctionEndpoints
{
    public static IReadOnlyList<HttpFunction> MapFunctions(this IEndpointRouteBuilder app, Assembly functionsAssembly)
    {
        var functions = HttpFunctionCatalog.Discover(functionsAssembly);
        foreach (var f in functions)
        {
            var binders = f.Method.GetParameters().Select(Binder).ToArray();
            app.MapMethods($"/{HttpFunctionCatalog.RoutePrefix}/{f.Route}", f.Methods, http => RunAsync(http, f, binders)).WithName(f.Name);
        }
        return functions;
    }

    private static async Task RunAsync(HttpContext http, HttpFunction f, Func<HttpContext, object?>[] binders)
    {
        var pipeline = http.RequestServices.GetRequiredService<HttpPipeline>();
        var result = await pipeline.InvokeAsync(http, f.Name, async () =>
        {
            var target = f.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(http.RequestServices, f.Method.DeclaringType!);
            var returned = f.Method.Invoke(target, binders.Select(b => b(http)).ToArray());
            if (returned is Task task)
            {
                await task;
                returned = task.GetType().GetProperty("Result")?.GetValue(task);
            }
            return returned as IActionResult;
        });
        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
    }

    /// <summary>How one parameter is bound: the trigger's HttpRequest, the Durable client, the abort token or a route value.</summary>
    private static Func<HttpContext, object?> Binder(ParameterInfo p)
    {
        if (p.GetCustomAttribute<HttpTriggerAttribute>() is not null) return http => http.Request;
        if (p.ParameterType == typeof(DurableTaskClient)) return http => http.RequestServices.GetRequiredService<DurableTaskClient>();
        if (p.ParameterType == typeof(CancellationToken)) return http => http.RequestAborted;
        if (p.ParameterType == typeof(FunctionContext))
            throw new NotSupportedException($"{p.Member.Name}: HTTP functions take their services by constructor, not from FunctionContext.");
        var name = p.Name!;
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        return http =>
        {
            var raw = http.GetRouteValue(name)?.ToString();
            return raw is null ? null : type == typeof(string) ? raw : Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);
        };
    }
}
