using System.Text.Json;

namespace MiniShop.LocalHost;

/// <summary>Reads local.settings.json the way the Functions host does: "Values" become settings, "__" becomes ":".</summary>
public static class LocalSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!doc.RootElement.TryGetProperty("Values", out var values)) yield break;
        foreach (var p in values.EnumerateObject())
            yield return new(p.Name.Replace("__", ":", StringComparison.Ordinal), p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }

    /// <summary>The repository root: the nearest folder upwards that holds Functions.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        return null;
    }
}
