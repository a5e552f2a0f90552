namespace MiniShop.Functions.Http;

/// <summary>Settings section "Http".</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Larger bodies get 413 before anything reads them.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;
}
