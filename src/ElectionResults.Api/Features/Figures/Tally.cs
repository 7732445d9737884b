namespace ElectionResults.Api.Features.Figures;

/// <summary>One seat's outcome as input to a tally ("state of the parties").</summary>
/// <param name="ConstituencyCode">ONS/GSS constituency code.</param>
/// <param name="Declared">True once the result has been declared; undeclared seats only count towards <see cref="TallyFigures.Seats"/>.</param>
/// <param name="WinnerParty">Winning party; null for a tie or an undeclared seat.</param>
/// <param name="PreviousWinnerParty">Winner at the previous election, when known.</param>
/// <param name="VotesByParty">Votes per party now.</param>
/// <param name="PreviousVotesByParty">Votes per party at the previous election in this constituency; null when there is none.</param>
public sealed record SeatOutcome(
    string ConstituencyCode,
    bool Declared,
    string? WinnerParty,
    string? PreviousWinnerParty,
    IReadOnlyDictionary<string, long> VotesByParty,
    IReadOnlyDictionary<string, long>? PreviousVotesByParty);

/// <summary>One party's line in the state of the parties.</summary>
/// <param name="Party">House of Commons Library party code.</param>
/// <param name="Seats">Declared seats won.</param>
/// <param name="Gains">Declared seats won that another (known) party won previously.</param>
/// <param name="Losses">Declared seats won previously and now gained by another party.</param>
/// <param name="Net">Gains − Losses.</param>
/// <param name="Votes">Votes in declared seats.</param>
/// <param name="Share">Votes / all valid votes in declared seats × 100, 2 dp; null when there are none.</param>
/// <param name="ShareChange">
/// Share (exact) − previous share (exact), rounded to 2 dp, in points. The previous share is the party's previous votes /
/// all previous valid votes, over the declared seats that have previous data. Null when the party had no previous votes
/// in those seats or no declared seat has previous data.
/// </param>
public sealed record PartyStanding(string Party, int Seats, int Gains, int Losses, int Net, long Votes, decimal? Share, decimal? ShareChange);

/// <summary>State of the parties for an area or a whole election.</summary>
/// <param name="Seats">Number of seats in the area.</param>
/// <param name="Declared">Number of those seats declared.</param>
/// <param name="MajorityLine">Seats needed for an overall majority: floor(Seats / 2) + 1.</param>
/// <param name="Parties">Parties with seats, votes or losses, ordered by seats desc, votes desc, then party code (ordinal).</param>
public sealed record TallyFigures(int Seats, int Declared, int MajorityLine, IReadOnlyList<PartyStanding> Parties);

/// <summary>Pure arithmetic for the state of the parties over a set of seats.</summary>
public static class Tally
{
    /// <summary>
    /// Totals seats, gains, losses, votes and shares over the declared seats in <paramref name="seats"/>.
    /// A gain for the winner W (previous winner P known and different) is a loss for P in the same seat,
    /// so the sum of gains always equals the sum of losses. A tied seat has no winner and counts for nobody.
    /// </summary>
    public static TallyFigures Compute(IReadOnlyList<SeatOutcome> seats)
    {
        ArgumentNullException.ThrowIfNull(seats);

        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        Line LineFor(string party)
        {
            if (!lines.TryGetValue(party, out var line))
            {
                line = new Line();
                lines[party] = line;
            }

            return line;
        }

        var declared = 0;
        long totalVotes = 0;
        long totalPreviousVotes = 0;
        var anyPrevious = false;

        foreach (var seat in seats)
        {
            ArgumentNullException.ThrowIfNull(seat, nameof(seats));
            if (!seat.Declared)
            {
                continue;
            }

            declared++;

            if (seat.WinnerParty is { } winner)
            {
                LineFor(winner).Seats++;
                if (SeatArithmetic.IsGain(winner, seat.PreviousWinnerParty))
                {
                    LineFor(winner).Gains++;
                    LineFor(seat.PreviousWinnerParty!).Losses++;
                }
            }

            foreach (var (party, votes) in seat.VotesByParty)
            {
                LineFor(party).Votes = checked(LineFor(party).Votes + votes);
                totalVotes = checked(totalVotes + votes);
            }

            if (seat.PreviousVotesByParty is { } previous)
            {
                anyPrevious = true;
                foreach (var (party, votes) in previous)
                {
                    LineFor(party).PreviousVotes = checked(LineFor(party).PreviousVotes + votes);
                    totalPreviousVotes = checked(totalPreviousVotes + votes);
                }
            }
        }

        var parties = lines
            .Where(kv => kv.Value.Seats > 0 || kv.Value.Votes > 0 || kv.Value.Losses > 0)
            .Select(kv => new PartyStanding(
                kv.Key,
                kv.Value.Seats,
                kv.Value.Gains,
                kv.Value.Losses,
                kv.Value.Gains - kv.Value.Losses,
                kv.Value.Votes,
                SeatArithmetic.Share(kv.Value.Votes, totalVotes),
                anyPrevious ? SeatArithmetic.ShareChange(kv.Value.Votes, totalVotes, kv.Value.PreviousVotes, totalPreviousVotes) : null))
            .OrderByDescending(p => p.Seats)
            .ThenByDescending(p => p.Votes)
            .ThenBy(p => p.Party, StringComparer.Ordinal)
            .ToList();

        return new TallyFigures(seats.Count, declared, MajorityLine(seats.Count), parties);
    }

    /// <summary>Seats needed for an overall majority: floor(seats / 2) + 1 (326 of 650; 17 of 32).</summary>
    public static int MajorityLine(int seats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        return (seats / 2) + 1;
    }

    private sealed class Line
    {
        public int Seats { get; set; }
        public int Gains { get; set; }
        public int Losses { get; set; }
        public long Votes { get; set; }
        public long PreviousVotes { get; set; }
    }
}
