namespace MiniShop.Tests.Unit.Infra;

/// <summary>The checkout the tests run from: files the code must agree with (Bicep, settings, README).</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}");
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root(), relativePath));
}
