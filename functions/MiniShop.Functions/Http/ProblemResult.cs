using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Functions.Http;

/// <summary>An RFC 7807 problem document: type, title, status, detail, instance, plus a code, field errors and the correlation id.</summary>
public sealed class ProblemResult(int status, string code, string title, string? detail) : IActionResult
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static ProblemResult From(ProblemException p) => new(p.Status, p.Code, p.Title, p.Detail)
    {
        Errors = (p as ValidationException)?.Errors,
        Extensions = p.Extensions,
        RetryAfter = (p as TooManyRequestsException)?.RetryAfter,
    };

    public JsonObject ToJson(string? instance, string? correlationId)
    {
        var doc = new JsonObject
        {
            ["type"] = $"https://errors.minishop.dev/{Code}",
            ["title"] = title,
            ["status"] = Status,
            ["code"] = Code,
        };
        if (detail is not null) doc["detail"] = detail;
        if (instance is not null) doc["instance"] = instance;
        if (correlationId is not null) doc["correlationId"] = correlationId;
        if (Errors is { Count: > 0 }) doc["errors"] = JsonSerializer.SerializeToNode(Errors, JsonDefaults.Options);
        foreach (var (key, value) in Extensions ?? new Dictionary<string, object?>())
            doc[key] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), JsonDefaults.Options);
        return doc;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = Status;
        http.Response.ContentType = "application/problem+json; charset=utf-8";
        if (RetryAfter is { } wait) http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = ToJson(http.Request.Path.Value, http.Items[CorrelationIds.ItemKey] as string);
        await JsonSerializer.SerializeAsync(http.Response.Body, json, JsonDefaults.Options, http.RequestAborted);
    }
}
