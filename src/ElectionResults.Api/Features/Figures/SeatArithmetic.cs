using System.Globalization;
using System.Numerics;

namespace ElectionResults.Api.Features.Figures;

/// <summary>
/// Pure arithmetic for one seat's result under first past the post: shares, majority, turnout,
/// result text and Butler swing. Percentages are in 0..100, computed from exact fractions and
/// rounded once to 2 decimal places (midpoints away from zero).
/// </summary>
public static class SeatArithmetic
{
    /// <summary>Party code used for independents; they are different people, so they get no share change or swing.</summary>
    public const string Independent = "Ind";

    /// <summary>Party code of the Speaker, who stands without a party: a swing to or from the Speaker means nothing (null).</summary>
    public const string Speaker = "Spk";

    /// <summary>Party code of Sinn Féin, whose members do not take their seats in the House of Commons.</summary>
    public const string SinnFein = "SF";

    /// <summary>
    /// Computes every derived figure for one seat. The order of <paramref name="votes"/> does not matter.
    /// </summary>
    /// <param name="votes">Every candidacy in the seat.</param>
    /// <param name="electorate">Registered electorate; turnouts are null when it is null or not positive.</param>
    /// <param name="invalidVotes">Rejected ballots; the ballot turnout is null when this is null.</param>
    /// <param name="previous">The previous election's result in this constituency, if there was one.</param>
    /// <param name="uncontested">
    /// True when the sole candidate was returned unopposed: that candidate is elected and shares, majority and turnouts are null.
    /// Ignored unless there is exactly one candidate.
    /// </param>
    /// <param name="lotWinnerCandidacyId">
    /// The candidacy that won a tie for first place by lot. When it is one of the tied candidates it is elected, listed first
    /// among them, and the result reads as for any winner (majority 0, <see cref="SeatFigures.DecidedByLot"/> true).
    /// Ignored when there is no tie or it names a candidate who did not tie for first (see <see cref="TiedForFirst"/>).
    /// </param>
    public static SeatFigures Compute(
        IReadOnlyList<CandidateVotes> votes,
        long? electorate,
        long? invalidVotes,
        PreviousSeat? previous,
        bool uncontested = false,
        long? lotWinnerCandidacyId = null)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (invalidVotes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(invalidVotes), "Invalid votes cannot be negative.");
        }

        var ordered = Order(votes);
        var valid = ValidVotes(ordered);
        var previousWinner = previous?.WinnerParty;
        var isUncontested = uncontested && ordered.Count == 1;

        var tiedParties = TiedParties(ordered);
        var decidedByLot = false;
        if (tiedParties.Count > 0 && lotWinnerCandidacyId is { } lot && TiedForFirst(ordered, lot))
        {
            // The lot winner heads the tied candidates; the others keep their order.
            var drawn = ordered.First(c => c.CandidacyId == lot);
            ordered = [drawn, .. ordered.Where(c => c.CandidacyId != lot)];
            decidedByLot = true;
        }

        var winner = ordered.Count > 0 && (tiedParties.Count == 0 || decidedByLot) ? ordered[0] : null;

        var previousVotes = previous?.VotesByParty;
        var previousValid = previousVotes is null ? 0 : SumVotes(previousVotes.Values);

        var candidates = new List<CandidateFigures>(ordered.Count);
        CandidateFigures? winnerFigures = null;
        for (var i = 0; i < ordered.Count; i++)
        {
            var candidate = ordered[i];
            decimal? share = null;
            decimal? shareChange = null;
            if (!isUncontested)
            {
                share = Share(candidate.Votes, valid);
                if (previousVotes is not null && !IsIndependent(candidate.Party))
                {
                    shareChange = ShareChange(candidate.Votes, valid, PartyVotes(previousVotes, candidate.Party), previousValid);
                }
            }

            var figures = new CandidateFigures(
                candidate.CandidacyId,
                candidate.Name,
                candidate.Party,
                candidate.Votes,
                share,
                shareChange,
                Elected: i == 0 && winner is not null);
            candidates.Add(figures);
            if (figures.Elected)
            {
                winnerFigures = figures;
            }
        }

        var majority = isUncontested ? null : MajorityOf(ordered);
        var majorityPercent = majority is { } m ? Share(m, valid) : null;

        decimal? turnout = null;
        decimal? ballotTurnout = null;
        if (!isUncontested)
        {
            turnout = Turnout(valid, electorate);
            ballotTurnout = invalidVotes is { } invalid ? Turnout(checked(valid + invalid), electorate) : null;
        }

        var result = ResultText(winner?.Party, previousWinner, decidedByLot ? [] : tiedParties);
        var gain = winner is not null && IsGain(winner.Party, previousWinner);

        Swing? swing = null;
        if (previousVotes is not null && ordered.Count >= 2)
        {
            swing = ButlerSwing(ordered[0].Party, ordered[1].Party, VotesByParty(ordered), previousVotes);
        }

        return new SeatFigures(
            valid,
            candidates,
            winnerFigures,
            tiedParties,
            majority,
            majorityPercent,
            turnout,
            ballotTurnout,
            result,
            gain,
            previousWinner,
            swing,
            decidedByLot);
    }

    /// <summary>
    /// True when <paramref name="candidacyId"/> is one of two or more candidates tied for first place: the only
    /// candidates a tie can be decided for by lot. The order of <paramref name="votes"/> does not matter.
    /// </summary>
    public static bool TiedForFirst(IReadOnlyList<CandidateVotes> votes, long candidacyId)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var ordered = Order(votes);
        return TiedParties(ordered).Count > 0 && ordered.TakeWhile(c => c.Votes == ordered[0].Votes).Any(c => c.CandidacyId == candidacyId);
    }

    /// <summary>
    /// Orders candidates as they are displayed: votes descending, then name (ordinal), then candidacy id,
    /// so the order never depends on the input order.
    /// </summary>
    public static IReadOnlyList<CandidateVotes> Order(IEnumerable<CandidateVotes> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var list = votes.ToList();
        foreach (var candidate in list)
        {
            ArgumentNullException.ThrowIfNull(candidate, nameof(votes));
            if (candidate.Votes < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(votes), $"Candidacy {candidate.CandidacyId} has negative votes.");
            }
        }

        return list
            .OrderByDescending(c => c.Votes)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.CandidacyId)
            .ToList();
    }

    /// <summary>Valid votes: the sum of all candidates' votes.</summary>
    public static long ValidVotes(IEnumerable<CandidateVotes> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        return SumVotes(votes.Select(c => c.Votes));
    }

    /// <summary>Vote share in percent: <c>votes / valid × 100</c>, rounded to 2 dp; null when <paramref name="valid"/> is 0.</summary>
    public static decimal? Share(long votes, long valid) =>
        valid > 0 ? Percent.Round(votes, valid) : null;

    /// <summary>
    /// Share change in percentage points: <c>(votesNow / validNow − votesPrevious / validPrevious) × 100</c>,
    /// computed as one exact fraction <c>100 × (votesNow × validPrevious − votesPrevious × validNow) / (validNow × validPrevious)</c>
    /// and rounded to 2 dp (never a difference of rounded shares). Null when there are no valid votes now,
    /// or the party had no votes previously (a party new to the seat).
    /// </summary>
    public static decimal? ShareChange(long votesNow, long validNow, long votesPrevious, long validPrevious)
    {
        if (validNow <= 0 || votesPrevious <= 0 || validPrevious <= 0)
        {
            return null;
        }

        var numerator = ((BigInteger)votesNow * validPrevious) - ((BigInteger)votesPrevious * validNow);
        return Percent.Round(numerator, (BigInteger)validNow * validPrevious);
    }

    /// <summary>
    /// Majority: the top candidate's votes − the second candidate's votes (0 when first place is tied).
    /// Null with fewer than two candidates. The order of <paramref name="votes"/> does not matter.
    /// </summary>
    public static long? MajorityOf(IReadOnlyList<CandidateVotes> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (votes.Count < 2)
        {
            return null;
        }

        var ordered = Order(votes);
        return ordered[0].Votes - ordered[1].Votes;
    }

    /// <summary>
    /// Turnout in percent: <c>votes / electorate × 100</c>, 2 dp. Pass valid votes for the House of Commons Library
    /// turnout, or valid + invalid votes for ballot-box turnout. Null when the electorate is null or not positive.
    /// </summary>
    public static decimal? Turnout(long votes, long? electorate) =>
        electorate is > 0 ? Percent.Round(votes, electorate.Value) : null;

    /// <summary>
    /// Result text. With two or more tied parties: "Tie between Con and Lab" / "Tie between Con, Lab and LD".
    /// Otherwise, for winner W and previous winner P: "W win" when P is unknown, "W hold" when W equals P
    /// (so the Speaker's seat reads "Spk hold"), else "W gain from P". Null when there is no winner and no tie.
    /// </summary>
    public static string? ResultText(string? winner, string? previousWinner, IReadOnlyList<string> tied)
    {
        ArgumentNullException.ThrowIfNull(tied);
        if (tied.Count >= 2)
        {
            return "Tie between " + JoinParties(tied);
        }

        if (winner is null)
        {
            return null;
        }

        if (previousWinner is null)
        {
            return $"{winner} win";
        }

        return string.Equals(winner, previousWinner, StringComparison.Ordinal)
            ? $"{winner} hold"
            : $"{winner} gain from {previousWinner}";
    }

    /// <summary>A gain: winner and previous winner both known and different.</summary>
    public static bool IsGain(string? winner, string? previousWinner) =>
        winner is not null && previousWinner is not null && !string.Equals(winner, previousWinner, StringComparison.Ordinal);

    /// <summary>
    /// Butler swing between party A (the leader now) and party B (the runner-up now):
    /// <c>((A_now − A_prev) − (B_now − B_prev)) / 2</c> in share points, where each share is the party's votes over all valid votes
    /// in this constituency at that election. It is computed as one exact fraction
    /// <c>100 × ((a₁ − b₁) × v₀ − (a₀ − b₀) × v₁) / (2 × v₁ × v₀)</c> and rounded once, to 2 dp, for
    /// <see cref="Swing.Points"/>; <see cref="Swing.Text"/> prints <see cref="Swing.Points"/> to 1 dp (midpoints away from zero), so
    /// that the two always agree: points 2.45 reads "2.5% from Lab to Con", whatever the exact figure behind 2.45 was.
    /// A positive value is a swing from B to A; a negative one from A to B; zero is reported as from B to A.
    /// Null when A and B are the same party, either is "Ind" or the Speaker ("Spk", as the House of Commons Library gives it),
    /// either had no votes previously, or there are no valid votes now.
    /// </summary>
    public static Swing? ButlerSwing(
        string partyA,
        string partyB,
        IReadOnlyDictionary<string, long> votesNow,
        IReadOnlyDictionary<string, long> votesPrevious)
    {
        ArgumentNullException.ThrowIfNull(partyA);
        ArgumentNullException.ThrowIfNull(partyB);
        ArgumentNullException.ThrowIfNull(votesNow);
        ArgumentNullException.ThrowIfNull(votesPrevious);

        if (string.Equals(partyA, partyB, StringComparison.Ordinal) || IsIndependent(partyA) || IsIndependent(partyB)
            || string.Equals(partyA, Speaker, StringComparison.Ordinal) || string.Equals(partyB, Speaker, StringComparison.Ordinal))
        {
            return null;
        }

        var a0 = PartyVotes(votesPrevious, partyA);
        var b0 = PartyVotes(votesPrevious, partyB);
        var v0 = SumVotes(votesPrevious.Values);
        var v1 = SumVotes(votesNow.Values);
        if (a0 <= 0 || b0 <= 0 || v1 <= 0)
        {
            return null;
        }

        var a1 = PartyVotes(votesNow, partyA);
        var b1 = PartyVotes(votesNow, partyB);

        var numerator = ((BigInteger)(a1 - b1) * v0) - ((BigInteger)(a0 - b0) * v1);
        var denominator = 2 * (BigInteger)v1 * v0;

        var (from, to) = numerator.Sign >= 0 ? (partyB, partyA) : (partyA, partyB);
        var magnitude = BigInteger.Abs(numerator);
        var points = Percent.Round(magnitude, denominator);
        var text = string.Create(CultureInfo.InvariantCulture, $"{decimal.Round(points, 1, MidpointRounding.AwayFromZero):0.0}% from {from} to {to}");
        return new Swing(from, to, points, text);
    }

    /// <summary>Votes per party (several candidates of one party summed).</summary>
    public static IReadOnlyDictionary<string, long> VotesByParty(IEnumerable<CandidateVotes> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var candidate in votes)
        {
            totals[candidate.Party] = checked(totals.GetValueOrDefault(candidate.Party) + candidate.Votes);
        }

        return totals;
    }

    private static List<string> TiedParties(IReadOnlyList<CandidateVotes> ordered)
    {
        if (ordered.Count < 2 || ordered[0].Votes != ordered[1].Votes)
        {
            return [];
        }

        var top = ordered[0].Votes;
        return ordered.TakeWhile(c => c.Votes == top).Select(c => c.Party).ToList();
    }

    private static string JoinParties(IReadOnlyList<string> parties) =>
        parties.Count == 1
            ? parties[0]
            : string.Join(", ", parties.Take(parties.Count - 1)) + " and " + parties[^1];

    private static bool IsIndependent(string party) => string.Equals(party, Independent, StringComparison.Ordinal);

    private static long PartyVotes(IReadOnlyDictionary<string, long> votesByParty, string party) =>
        votesByParty.TryGetValue(party, out var votes) ? votes : 0;

    private static long SumVotes(IEnumerable<long> votes)
    {
        long total = 0;
        foreach (var v in votes)
        {
            total = checked(total + v);
        }

        return total;
    }
}
