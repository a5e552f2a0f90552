using Microsoft.AspNetCore.Http;

namespace MiniShop.Functions.Http;

/// <summary>The X-Correlation-Id a caller sends is kept (when well-formed), echoed and put on every log line.</summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    public const string ItemKey = "minishop.correlationId";

    public static string FromRequest(HttpRequest request)
    {
        var sent = request.Headers[Header].ToString();
        return IsWellFormed(sent) ? sent : Guid.NewGuid().ToString("N");
    }

    public static bool IsWellFormed(string value)
        => value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string? Get(HttpContext http) => http.Items[ItemKey] as string;
}
