using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Functions.Http;

/// <summary>
/// What every HTTP function gets, under the Functions host (through <see cref="FunctionsHttpMiddleware"/>) and the
/// in-process host alike: a correlation id, a size limit, the caller from the bearer token, and problem responses
/// for every failure. A member or admin endpoint (by its <see cref="ApiOperationAttribute.Auth"/>) answers 401 to a
/// caller without such a token before its handler reads anything, so nobody learns more than "sign in". Nothing here
/// knows about a particular feature.
/// </summary>
public sealed class HttpPipeline(AccessTokenService tokens, IOptions<HttpOptions> options, ILogger<HttpPipeline> log)
{
    public const string CallerItemKey = "minishop.caller";

    private static readonly Dictionary<string, ApiAuth> RequiredAuth = HttpFunctionCatalog.Discover(typeof(HttpPipeline).Assembly)
        .Where(f => f.Api is not null).ToDictionary(f => f.Name, f => f.Api!.Auth, StringComparer.Ordinal);

    public async Task<IActionResult> InvokeAsync(HttpContext http, string functionName, Func<Task<IActionResult?>> function)
    {
        var correlationId = CorrelationIds.FromRequest(http.Request);
        http.Items[CorrelationIds.ItemKey] = correlationId;
        http.Response.Headers[CorrelationIds.Header] = correlationId;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId, ["Function"] = functionName });
        try
        {
            if (http.Request.ContentLength > options.Value.MaxRequestBodyBytes)
                return TooLarge();
            var caller = await AuthenticateAsync(http.Request);
            http.Items[CallerItemKey] = caller;
            switch (RequiredAuth.GetValueOrDefault(functionName))
            {
                case ApiAuth.Member: caller.RequireMember(); break;
                case ApiAuth.Admin: caller.RequireOperator(); break;
            }
            return await function() ?? new ApiResult(null, StatusCodes.Status204NoContent);
        }
        catch (Exception e) when (Unwrap(e) is ProblemException problem)
        {
            if (problem.Status >= 500) log.LogWarning("{Function} failed upstream: {Code} {Detail}", functionName, problem.Code, problem.Detail);
            return ProblemResult.From(problem);
        }
        catch (Exception e) when (Unwrap(e) is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
            return ProblemResult.From(ValidationException.For(field, "is not valid JSON for this field."));
        }
        catch (Exception e) when (Unwrap(e) is RequestTooLargeException)
        {
            return TooLarge();
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return new ProblemResult(499, "client_closed_request", "Client closed the request", null);
        }
        catch (Exception e)
        {
            // Never a stack trace to the caller: the correlation id finds it in the logs.
            log.LogError(Unwrap(e), "{Function} failed unexpectedly", functionName);
            return new ProblemResult(StatusCodes.Status500InternalServerError, "internal_error", "Internal error",
                $"Something went wrong on our side. Quote correlation id {correlationId} when reporting it.");
        }
    }

    private async Task<Caller> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0) return Caller.Anonymous;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 4096)
            return Caller.AnonymousBecause("the Authorization header is not a Bearer token");
        return await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
    }

    private ProblemResult TooLarge()
        => new(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"Request bodies are limited to {options.Value.MaxRequestBodyBytes} bytes.");

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerException!),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };
}

public sealed class RequestTooLargeException() : Exception("The request body is too large.");
