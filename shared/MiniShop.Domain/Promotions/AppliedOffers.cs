namespace MiniShop.Domain.Promotions;

/// <summary>
/// The chosen offers replayed in application order, keeping each offer's per-line shares and the line amounts
/// before each stage (to explain unused coupons in the context they would have applied in).
/// </summary>
internal sealed class AppliedOffers
{
    private AppliedOffers(List<(Offer Offer, long Amount, long[] Shares)> applied, long[][] beforeStage, long[] finalAmounts)
    {
        Applied = applied;
        BeforeStage = beforeStage;
        FinalAmounts = finalAmounts;
    }

    public List<(Offer Offer, long Amount, long[] Shares)> Applied { get; }

    /// <summary>Line amounts before each <see cref="OfferStage"/> (indexed by the stage's value).</summary>
    public long[][] BeforeStage { get; }

    public long[] FinalAmounts { get; }

    public static AppliedOffers Replay(IEnumerable<Offer> chosenInOrder, long[] baseAmounts)
    {
        var amounts = (long[])baseAmounts.Clone();
        var remainders = new long[amounts.Length];
        var chosen = chosenInOrder.ToList();
        var applied = new List<(Offer, long, long[])>();
        var stages = Enum.GetValues<OfferStage>();
        var beforeStage = new long[stages.Length][];
        foreach (var stage in stages)
        {
            beforeStage[(int)stage] = (long[])amounts.Clone();
            foreach (var offer in chosen.Where(o => o.Stage == stage))
            {
                var value = offer.DiscountAt(amounts);
                var shares = new long[amounts.Length];
                DiscountAllocator.AllocateInto(value, amounts, offer.Lines, shares, remainders);
                foreach (var i in offer.Lines)
                {
                    amounts[i] -= shares[i];
                }

                applied.Add((offer, value, shares));
            }
        }

        return new AppliedOffers(applied, beforeStage, amounts);
    }
}
