using System.Text;
using System.Text.RegularExpressions;
using MiniShop.Infrastructure.Cosmos;

namespace MiniShop.Tests.Unit.Infra;

/// <summary>
/// Code and infrastructure must not drift: every container in <see cref="CosmosSchema.Containers"/> is declared in
/// infra/bicep/cosmos-containers.bicep with the same partition key, default TTL, composite indexes and unique keys.
/// Bicep may declare more (containers for features still to come).
/// </summary>
public class BicepContainersTests
{
    private static readonly Lazy<IReadOnlyList<BicepContainer>> Declared = new(() => BicepContainerList.Parse(
        File.ReadAllText(Path.Combine(Repository.Root(), "infra", "bicep", "cosmos-containers.bicep"))));

    [Fact]
    public void Bicep_declares_exactly_the_containers_of_the_code_with_the_same_partition_keys()
    {
        var byName = Declared.Value.ToDictionary(c => c.Name);
        var problems = new List<string>();
        foreach (var spec in CosmosSchema.Containers)
        {
            if (!byName.TryGetValue(spec.Name, out var declared))
                problems.Add($"{spec.Name}: not declared in infra/bicep/cosmos-containers.bicep");
            else if (declared.PartitionKey != spec.PartitionKeyPath)
                problems.Add($"{spec.Name}: partition key {spec.PartitionKeyPath} in code, {declared.PartitionKey} in Bicep");
        }
        foreach (var extra in byName.Keys.Except(CosmosSchema.Containers.Select(c => c.Name)))
            problems.Add($"{extra}: declared in Bicep but unused by the code");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Default_ttl_composite_indexes_and_unique_keys_match()
    {
        var byName = Declared.Value.ToDictionary(c => c.Name);
        var problems = new List<string>();
        foreach (var spec in CosmosSchema.Containers.Where(s => byName.ContainsKey(s.Name)))
        {
            var declared = byName[spec.Name];
            if (declared.DefaultTtl != spec.DefaultTimeToLiveSeconds)
                problems.Add($"{spec.Name}: default TTL {Show(spec.DefaultTimeToLiveSeconds)} in code, {Show(declared.DefaultTtl)} in Bicep");
            if (Key(spec.CompositeIndexes) != Key(declared.CompositeIndexes))
                problems.Add($"{spec.Name}: composite indexes {Key(spec.CompositeIndexes)} in code, {Key(declared.CompositeIndexes)} in Bicep");
            if (Key(spec.UniqueKeys) != Key(declared.UniqueKeys))
                problems.Add($"{spec.Name}: unique keys {Key(spec.UniqueKeys)} in code, {Key(declared.UniqueKeys)} in Bicep");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        static string Show(int? ttl) => ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off";
        static string Key(IReadOnlyList<string[]>? groups)
            => groups is null || groups.Count == 0 ? "none" : string.Join(" ", groups.Select(g => "(" + string.Join(", ", g) + ")"));
    }

    [Fact]
    public void The_bicep_list_is_well_formed()
    {
        var declared = Declared.Value;

        Assert.True(declared.Count >= CosmosSchema.Containers.Count, $"only {declared.Count} containers parsed");
        Assert.Equal(declared.Count, declared.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(declared, c => Assert.Matches("^/[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*$", c.PartitionKey));
        Assert.All(declared, c => Assert.Matches("^[a-z0-9][a-z0-9-]{0,254}$", c.Name));
    }

    [Fact]
    public void The_cosmos_module_deploys_the_list()
    {
        var module = File.ReadAllText(Path.Combine(Repository.Root(), "infra", "bicep", "modules", "cosmos.bicep"));

        Assert.Contains("import { cosmosContainers } from '../cosmos-containers.bicep'", module);
        Assert.Matches(@"for\s+c\s+in\s+cosmosContainers\s*:", module);
    }

    [Fact]
    public void The_parser_reads_every_field()
    {
        const string bicep = """
            // a comment with { braces ] and 'quotes'
            @export()
            var cosmosContainers containerSpec[] = [
              { name: 'a', partitionKey: '/id' } // trailing [ comment
              {
                name: 'b'
                partitionKey: '/p/q'
                defaultTtl: -1
                compositeIndexes: [
                  ['/x', '/id']
                  ['/y', '/id']
                ]
                uniqueKeys: [['/u']]
              }
            ]
            var other = [{ name: 'c', partitionKey: '/c' }]
            """;

        var parsed = BicepContainerList.Parse(bicep);

        Assert.Equal(["a", "b"], parsed.Select(c => c.Name));
        Assert.Equal(("/id", (int?)null), (parsed[0].PartitionKey, parsed[0].DefaultTtl));
        Assert.Empty(parsed[0].CompositeIndexes);
        Assert.Equal(("/p/q", (int?)-1), (parsed[1].PartitionKey, parsed[1].DefaultTtl));
        Assert.Equal([["/x", "/id"], ["/y", "/id"]], parsed[1].CompositeIndexes);
        Assert.Equal([["/u"]], parsed[1].UniqueKeys);
    }

}

internal sealed record BicepContainer(
    string Name, string PartitionKey, int? DefaultTtl, IReadOnlyList<string[]> CompositeIndexes, IReadOnlyList<string[]> UniqueKeys);

/// <summary>
/// Reads the <c>var cosmosContainers ... = [ { name: '...', partitionKey: '...' ... } ... ]</c> array of
/// cosmos-containers.bicep as text: comments are dropped, brackets matched, and each top-level object's fields
/// picked out with regular expressions. It understands only the literal form that file keeps to.
/// </summary>
internal static partial class BicepContainerList
{
    public static IReadOnlyList<BicepContainer> Parse(string bicep)
    {
        var text = StripComments(bicep);
        var declaration = DeclarationRegex().Match(text);
        if (!declaration.Success)
            throw new FormatException("No 'var cosmosContainers ... = [' declaration");

        var open = declaration.Index + declaration.Length - 1;
        var array = text.Substring(open + 1, MatchingClose(text, open) - open - 1);

        var containers = new List<BicepContainer>();
        for (var i = 0; i < array.Length; i++)
        {
            if (array[i] == '\'')
            {
                i = EndOfString(array, i);
            }
            else if (array[i] == '{')
            {
                var close = MatchingClose(array, i);
                containers.Add(ParseObject(array[(i + 1)..close]));
                i = close;
            }
        }

        return containers;
    }

    private static BicepContainer ParseObject(string body)
    {
        string Required(string field)
        {
            var m = Regex.Match(body, $@"(?<![\w.]){field}\s*:\s*'([^']*)'");
            return m.Success ? m.Groups[1].Value : throw new FormatException($"A container without '{field}': {{{body}}}");
        }

        var ttl = Regex.Match(body, @"(?<![\w.])defaultTtl\s*:\s*(-?\d+)");
        return new BicepContainer(
            Required("name"),
            Required("partitionKey"),
            ttl.Success ? int.Parse(ttl.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            PathGroups(body, "compositeIndexes"),
            PathGroups(body, "uniqueKeys"));
    }

    /// <summary><c>field: [ ['/a', '/b'] ['/c'] ]</c> as [[/a, /b], [/c]]; absent is empty.</summary>
    private static IReadOnlyList<string[]> PathGroups(string body, string field)
    {
        var m = Regex.Match(body, $@"(?<![\w.]){field}\s*:\s*\[");
        if (!m.Success)
            return [];

        var open = m.Index + m.Length - 1;
        var outer = body[(open + 1)..MatchingClose(body, open)];
        return InnerArrayRegex().Matches(outer)
            .Select(g => QuotedRegex().Matches(g.Groups[1].Value).Select(q => q.Groups[1].Value).ToArray())
            .ToList();
    }

    private static int MatchingClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    i = EndOfString(text, i);
                    break;
                case '[' or '{' or '(':
                    depth++;
                    break;
                case ']' or '}' or ')':
                    if (--depth == 0)
                        return i;
                    break;
            }
        }

        throw new FormatException($"Unbalanced bracket at {open}");
    }

    /// <summary>Index of the quote closing the single-quoted string that starts at <paramref name="start"/>.</summary>
    private static int EndOfString(string text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '\'')
                return i;
        }

        throw new FormatException($"Unterminated string at {start}");
    }

    private static string StripComments(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                var end = EndOfString(text, i);
                sb.Append(text, i, end - i + 1);
                i = end;
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                    i++;
                sb.Append('\n');
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 1;
                sb.Append(' ');
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\bvar\s+cosmosContainers\b[^=]*=\s*\[")]
    private static partial Regex DeclarationRegex();

    [GeneratedRegex(@"\[([^\[\]]*)\]")]
    private static partial Regex InnerArrayRegex();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex QuotedRegex();
}
