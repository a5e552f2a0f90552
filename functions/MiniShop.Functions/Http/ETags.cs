using System.Globalization;
using Microsoft.AspNetCore.Http;
using MiniShop.Domain.Common;

namespace MiniShop.Functions.Http;

/// <summary>Admin ETags are the resource's content version in quotes, e.g. "7"; If-Match must send one back.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version from If-Match: 428 when missing, 412 when it is not one of ours.</summary>
    public static long RequireIfMatch(HttpRequest request)
        => OptionalIfMatch(request) ?? throw new PreconditionRequiredException();

    public static long? OptionalIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0) return null;
        if (header.StartsWith("W/", StringComparison.Ordinal)) header = header[2..];
        return long.TryParse(header.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new PreconditionFailedException("The If-Match header is not an ETag this API returned.");
    }
}
