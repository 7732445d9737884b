using System.Numerics;

namespace ElectionResults.Api.Features.Figures;

/// <summary>Exact percentage arithmetic: fractions are kept as whole numbers and rounded once, at the end.</summary>
internal static class Percent
{
    /// <summary>
    /// 100 × numerator / denominator rounded to <paramref name="decimals"/> places, midpoints away from zero.
    /// The division is done on whole numbers, so no intermediate rounding can occur.
    /// The result carries exactly <paramref name="decimals"/> decimal places (e.g. 100.00).
    /// </summary>
    public static decimal Round(BigInteger numerator, BigInteger denominator, int decimals = 2)
    {
        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "The denominator must be positive.");
        }

        var scale = BigInteger.Pow(10, decimals);
        var scaled = BigInteger.Abs(numerator) * 100 * scale;
        var quotient = BigInteger.DivRem(scaled, denominator, out var remainder);
        if (remainder * 2 >= denominator)
        {
            quotient += 1;
        }

        if (numerator.Sign < 0)
        {
            quotient = -quotient;
        }

        // Multiplying by 0.01m (or 0.1m) fixes the decimal's scale, so 100 comes out as 100.00.
        var unit = decimals == 0 ? 1m : 1m / (decimal)scale;
        return (decimal)quotient * unit;
    }
}
