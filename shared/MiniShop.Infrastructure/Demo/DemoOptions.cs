namespace MiniShop.Infrastructure.Demo;

/// <summary>Settings section "Demo": the seeded operators' password (generated per machine by run.sh, never committed).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public string? OperatorPassword { get; set; }
}
