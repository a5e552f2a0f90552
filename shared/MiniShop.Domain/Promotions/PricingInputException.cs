namespace MiniShop.Domain.Promotions;

/// <summary>Invalid pricing input; <see cref="Field"/> names the offending field, e.g. <c>Lines[2].Quantity</c>.</summary>
public sealed class PricingInputException(string field, string problem)
    : ArgumentException($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
