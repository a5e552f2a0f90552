using System.Text;

namespace MiniShop.Bench;

/// <summary>
/// docs/benchmarks.md holds one section per part (catalog, engine, checkout, flash-sale) between marker comments; a run rewrites
/// only the sections of the parts it ran, so the parts can be measured at different times.
/// </summary>
public static class BenchDoc
{
    public static readonly string[] Parts = ["catalog", "engine", "checkout", "flash-sale"];

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["catalog"] = "Catalog reads through the API vs. straight on Cosmos DB",
        ["engine"] = "Promotion engine: a large cart, and the exact search vs. brute force",
        ["checkout"] = "Checkout through the API: Cosmos DB operations and latency",
        ["flash-sale"] = "Flash sale: sharded stock vs. one stock document",
    };

    public static string Title(string part) => Titles[part];

    public static string Begin(string part) => $"<!-- bench:{part} begin -->";

    public static string End(string part) => $"<!-- bench:{part} end -->";

    public static string DefaultPath() =>
        Path.Combine(MiniShop.LocalHost.LocalSettings.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? ".", "docs", "benchmarks.md");

    /// <summary>Replaces the part's section (markers included) with <paramref name="body"/>; a missing file or section is created.</summary>
    public static async Task WriteSectionAsync(string path, string part, string body)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : Skeleton();
        if (!text.Contains(Begin(part), StringComparison.Ordinal)) text = text.TrimEnd() + "\n\n" + Placeholder(part);
        var start = text.IndexOf(Begin(part), StringComparison.Ordinal);
        var end = text.IndexOf(End(part), start, StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException($"{path}: '{Begin(part)}' has no '{End(part)}'.");
        var section = $"{Begin(part)}\n{body.TrimEnd()}\n{End(part)}";
        text = text[..start] + section + text[(end + End(part).Length)..];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, text);
    }

    private static string Placeholder(string part) => $"{Begin(part)}\n## {Titles[part]}\n\nNot measured yet: `bash bench/run.sh {part}`.\n{End(part)}\n";

    private static string Skeleton()
    {
        var sb = new StringBuilder();
        sb.Append(Header);
        foreach (var part in Parts) sb.Append('\n').Append(Placeholder(part));
        return sb.ToString();
    }

    public const string Header = """
        # Benchmarks

        Written by `bench/run.sh` (project `bench/MiniShop.Bench`); re-run it rather than editing this file. Each part
        rewrites only its own section, so the sections may come from different runs: each gives its date and the
        machine's load while it ran.

        ```bash
        bash bench/run.sh all         # every part (the default)
        bash bench/run.sh catalog     # catalog reads, API vs. direct Cosmos DB (starts and stops the local services)
        bash bench/run.sh engine      # the promotion engine alone (no services needed)
        bash bench/run.sh checkout    # preview + place through the API, with the Cosmos DB operations they cost
        bash bench/run.sh flash-sale  # flash-sale purchases: sharded stock vs. one stock document
        bash bench/lifecycle.sh       # order lifecycles per second in the in-process Durable host (its own section)
        ```

        - [Catalog reads through the API vs. straight on Cosmos DB](#catalog-reads-through-the-api-vs-straight-on-cosmos-db)
        - [Promotion engine: a large cart, and the exact search vs. brute force](#promotion-engine-a-large-cart-and-the-exact-search-vs-brute-force)
        - [Checkout through the API: Cosmos DB operations and latency](#checkout-through-the-api-cosmos-db-operations-and-latency)
        - [Flash sale: sharded stock vs. one stock document](#flash-sale-sharded-stock-vs-one-stock-document)
        - [Order lifecycles in the in-process Durable host](#order-lifecycles-in-the-in-process-durable-host)

        """;
}
