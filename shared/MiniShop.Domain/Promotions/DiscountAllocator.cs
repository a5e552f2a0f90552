namespace MiniShop.Domain.Promotions;

/// <summary>
/// Splits an order-level discount over lines in exact fen: each line gets floor(discount * amount / total),
/// then the leftover fen go one each to the lines with the largest remainders (ties: earlier line first).
/// Shares add up to the discount and never exceed a line's amount (the discount never exceeds the total).
/// </summary>
public static class DiscountAllocator
{
    /// <summary>Allocates <paramref name="discountFen"/> over <paramref name="amountsFen"/> (all >= 0, discount <= their sum).</summary>
    public static long[] Allocate(long discountFen, IReadOnlyList<long> amountsFen)
    {
        ArgumentNullException.ThrowIfNull(amountsFen);
        var amounts = amountsFen.ToArray();
        var lines = Enumerable.Range(0, amounts.Length).ToArray();
        var shares = new long[amounts.Length];
        AllocateInto(discountFen, amounts, lines, shares, new long[amounts.Length]);
        return shares;
    }

    /// <summary>
    /// Writes the share of each line in <paramref name="lines"/> (ascending indices) into <paramref name="shares"/>
    /// at the same index. <paramref name="remainders"/> is scratch space of the same length as <paramref name="shares"/>.
    /// </summary>
    internal static void AllocateInto(long discountFen, long[] amounts, int[] lines, long[] shares, long[] remainders)
    {
        long total = 0;
        foreach (var i in lines)
        {
            if (amounts[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(amounts), "Line amounts must be >= 0.");
            }

            total += amounts[i];
        }

        if (discountFen < 0 || discountFen > total)
        {
            throw new ArgumentOutOfRangeException(nameof(discountFen), "Discount must be between 0 and the eligible total.");
        }

        if (discountFen == 0 || discountFen == total)
        {
            foreach (var i in lines)
            {
                shares[i] = discountFen == 0 ? 0 : amounts[i];
            }

            return;
        }

        var leftover = discountFen;
        foreach (var i in lines)
        {
            var product = (Int128)discountFen * amounts[i];
            shares[i] = (long)(product / total);
            remainders[i] = (long)(product % total);
            leftover -= shares[i];
        }

        // leftover < number of lines with a non-zero remainder, so a zero-amount line never gets a fen.
        for (; leftover > 0; leftover--)
        {
            var pick = -1;
            foreach (var i in lines)
            {
                if (remainders[i] > 0 && (pick < 0 || remainders[i] > remainders[pick]))
                {
                    pick = i;
                }
            }

            shares[pick]++;
            remainders[pick] = 0;
        }
    }
}
