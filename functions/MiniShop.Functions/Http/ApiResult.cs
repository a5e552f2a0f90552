using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Functions.Http;

/// <summary>
/// A JSON response written with the app's serializer options. Functions return these rather than MVC results,
/// so the output is identical under the Functions host and the in-process host.
/// </summary>
public sealed class ApiResult(object? value, int status = StatusCodes.Status200OK, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public object? Value { get; } = value;

    public int Status { get; } = status;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Value is null || Status == StatusCodes.Status204NoContent) return;
        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Value, Value.GetType(), JsonDefaults.Options, context.HttpContext.RequestAborted);
    }

    public ApiResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}

public static class Api
{
    public static ApiResult Ok(object value) => new(value);

    public static ApiResult Created(object value, string location) => new ApiResult(value, StatusCodes.Status201Created).WithHeader("Location", location);

    public static ApiResult NoContent() => new(null, StatusCodes.Status204NoContent);

    /// <summary>200 with an ETag carrying the resource's content version, for If-Match on the next update.</summary>
    public static ApiResult Versioned(object value, long version, int status = StatusCodes.Status200OK)
        => new ApiResult(value, status).WithHeader("ETag", ETags.Format(version));
}
