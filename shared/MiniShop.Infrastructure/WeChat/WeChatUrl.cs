namespace MiniShop.Infrastructure.WeChat;

/// <summary>Builds absolute API URLs from a configurable base (which may carry a path, e.g. a local sandbox).</summary>
internal static class WeChatUrl
{
    public static Uri Build(string baseUrl, string path, params (string Name, string? Value)[] query)
    {
        var url = baseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
        var pairs = query
            .Where(p => p.Value is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}")
            .ToArray();
        return new Uri(pairs.Length == 0 ? url : url + "?" + string.Join('&', pairs), UriKind.Absolute);
    }

    /// <summary>One path segment, escaped so caller-supplied order numbers cannot change the route.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
