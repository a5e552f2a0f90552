using System.Text.RegularExpressions;
using MiniShop.Infrastructure.Sync;

namespace MiniShop.Tests.Unit.Sync;

/// <summary>The subscriptions Bicep creates are exactly the routes the code delivers (one function each).</summary>
public partial class ServiceBusRoutesTests
{
    [Fact]
    public void Bicep_creates_exactly_the_subscriptions_of_the_sync_routes()
    {
        var bicep = File.ReadAllText(Path.Combine(RepoRoot(), "infra", "bicep", "modules", "service-bus.bicep"));

        var declared = PairRegex().Matches(bicep).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Order().ToList();
        var topics = TopicsRegex().Match(bicep).Groups[1].Value;

        Assert.Equal(SyncRoutes.All.Order().ToList(), declared);
        Assert.All(SyncRoutes.Subscriptions.Keys, t => Assert.Contains($"'{t}'", topics));
        Assert.Contains("requiresSession: true", bicep);
        Assert.Contains("requiresDuplicateDetection: true", bicep);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Functions.sln above the test output.");
    }

    [GeneratedRegex(@"\{\s*topic:\s*'([a-z0-9-]+)',\s*subscription:\s*'([a-z0-9-]+)'\s*\}")]
    private static partial Regex PairRegex();

    [GeneratedRegex(@"param topics string\[\] = \[(.*?)\]", RegexOptions.Singleline)]
    private static partial Regex TopicsRegex();
}
