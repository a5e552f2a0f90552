namespace MiniShop.Domain.Promotions;

/// <summary>
/// How points convert to money. <see cref="PointsPerYuan"/> 100 means 100 points = ¥1.
/// <see cref="MaxShareBasisPoints"/> caps the deduction as a share of the goods payable after discounts (5000 = 50%).
/// </summary>
public sealed record PointsPolicy(long PointsPerYuan, int MaxShareBasisPoints, bool WholeYuanOnly);

/// <summary>The shopper asks to use points, at most <see cref="MaxPoints"/> (null = as many as allowed).</summary>
public sealed record PointsRequest(long? MaxPoints);
