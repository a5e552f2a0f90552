using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace MiniShop.Functions.Http;

/// <summary>An HTTP-triggered function as declared: name, verbs, route (without the "api/" prefix) and method.</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, MethodInfo Method, ApiOperationAttribute? Api);

/// <summary>Finds every HTTP function in the app by the same attributes the Functions SDK reads.</summary>
public static class HttpFunctionCatalog
{
    public const string RoutePrefix = "api";

    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly)
        => assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(Describe)
            .OfType<HttpFunction>()
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ToList();

    private static HttpFunction? Describe(MethodInfo method)
    {
        var function = method.GetCustomAttribute<FunctionAttribute>();
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
        if (function is null || trigger is null) return null;
        var route = trigger.Route ?? function.Name;
        var verbs = (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToList();
        return new HttpFunction(function.Name, verbs, route.Trim('/'), method, method.GetCustomAttribute<ApiOperationAttribute>());
    }
}
