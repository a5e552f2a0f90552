using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Domain.Identity;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Functions.Http;

public static class RequestExtensions
{
    /// <summary>The authenticated caller (anonymous when no valid token came).</summary>
    public static Caller Caller(this HttpRequest request)
        => request.HttpContext.Items[HttpPipeline.CallerItemKey] as Caller ?? Domain.Identity.Caller.Anonymous;

    /// <summary>Reads a JSON body within the size limit; an empty or malformed body is a 400 naming the field.</summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpRequest request) where T : class
    {
        var limit = request.HttpContext.RequestServices.GetService<IOptions<HttpOptions>>()?.Value.MaxRequestBodyBytes ?? 1_048_576;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) throw new RequestTooLargeException();
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw ValidationException.For("body", "a JSON body is required.");
        buffer.Position = 0;
        return JsonSerializer.Deserialize<T>(buffer, JsonDefaults.Options) ?? throw ValidationException.For("body", "a JSON object is required.");
    }

    /// <summary>Like <see cref="ReadJsonAsync{T}"/>, but an empty body gives <paramref name="fallback"/> (optional bodies).</summary>
    public static async Task<T> ReadJsonOrDefaultAsync<T>(this HttpRequest request, T fallback) where T : class
    {
        try { return await request.ReadJsonAsync<T>(); }
        catch (ValidationException e) when (e.Errors.ContainsKey("body") && e.Errors["body"][0].StartsWith("a JSON body is required", StringComparison.Ordinal))
        {
            return fallback;
        }
    }

    public static string? QueryValue(this HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static int QueryInt(this HttpRequest request, string name, int fallback)
    {
        var value = request.QueryValue(name);
        if (value is null) return fallback;
        return int.TryParse(value, out var n) ? n : throw ValidationException.For(name, "must be a whole number.");
    }

    public static TEnum QueryEnum<TEnum>(this HttpRequest request, string name, TEnum fallback) where TEnum : struct, Enum
    {
        var value = request.QueryValue(name);
        if (value is null) return fallback;
        return Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw ValidationException.For(name, $"must be one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
    }
}
