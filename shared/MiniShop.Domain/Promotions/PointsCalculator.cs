namespace MiniShop.Domain.Promotions;

/// <summary>
/// Points deduction, applied after all coupons, on goods only (never shipping). Points convert in exact steps:
/// PointsPerYuan points = 100 fen, reduced by their gcd (e.g. 30 points/yuan -> 3 points per 10 fen), or one whole
/// yuan per step when <see cref="PointsPolicy.WholeYuanOnly"/>. The deduction is the largest number of steps within the
/// balance, the requested maximum, the share cap (rounded down) and the goods payable.
/// </summary>
internal static class PointsCalculator
{
    public static PointsDeduction Compute(long goodsPayableFen, MemberProfile? member, PointsRequest? request, PointsPolicy? policy)
    {
        if (request is null || policy is null || member is null || goodsPayableFen <= 0)
        {
            return new PointsDeduction(0, 0);
        }

        var gcd = Gcd(policy.PointsPerYuan, 100);
        var pointsPerStep = policy.PointsPerYuan / gcd;
        var fenPerStep = 100 / gcd;
        if (policy.WholeYuanOnly)
        {
            pointsPerStep = policy.PointsPerYuan;
            fenPerStep = 100;
        }

        var availablePoints = Math.Min(member.PointsBalance, request.MaxPoints ?? long.MaxValue);
        var capFen = Math.Min(Fen.MulDivFloor(goodsPayableFen, policy.MaxShareBasisPoints, 10_000), goodsPayableFen);
        var steps = Math.Min(availablePoints / pointsPerStep, capFen / fenPerStep);
        return new PointsDeduction(steps * pointsPerStep, steps * fenPerStep);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
