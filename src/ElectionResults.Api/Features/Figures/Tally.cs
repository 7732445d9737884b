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
    IReadOnlyDictionary<string, long>? PreviousVotesByParty)
{
    /// <summary>The winner is called (<see cref="WinnerParty"/>) but the figures are to follow: counts for the party's seats, gains and losses, not for votes.</summary>
    public bool WinnerKnown { get; init; }

    /// <summary>The poll is postponed or countermanded: neither declared nor remaining tonight.</summary>
    public bool Postponed { get; init; }

    /// <summary>A recount is under way (the seat is not declared and counts as remaining).</summary>
    public bool InRecount { get; init; }

    /// <summary>Returned unopposed now: nobody polled, so the seat is left out of share changes.</summary>
    public bool Uncontested { get; init; }

    /// <summary>Uncontested at the previous election: left out of share changes.</summary>
    public bool PreviousUncontested { get; init; }

    /// <summary>When the declaration is expected; null when unknown.</summary>
    public DateTimeOffset? ExpectedDeclarationAt { get; init; }

    /// <summary>Registered electors; null when unknown.</summary>
    public long? Electorate { get; init; }

    /// <summary>Polled at both elections: the seats over which share changes compare like with like.</summary>
    public bool PolledAtBoth => Declared && !Uncontested && PreviousVotesByParty is not null && !PreviousUncontested;
}

/// <summary>One party's line in the state of the parties.</summary>
/// <param name="Party">House of Commons Library party code.</param>
/// <param name="Seats">Declared seats won.</param>
/// <param name="Gains">Declared seats won that another (known) party won previously.</param>
/// <param name="Losses">Declared seats won previously and now gained by another party.</param>
/// <param name="Net">Gains − Losses.</param>
/// <param name="Votes">Votes in declared seats.</param>
/// <param name="Share">Votes / all valid votes in declared seats × 100, 2 dp; null when there are none.</param>
/// <param name="ShareChange">
/// Over the declared seats that polled at both elections (a seat uncontested at either election, or without a previous
/// result, is left out of both sides): the party's votes / all valid votes in those seats now − the same at the previous
/// election, computed exactly and rounded to 2 dp, in points. Null when the party had no previous votes in those seats
/// or no declared seat polled at both elections.
/// </param>
public sealed record PartyStanding(string Party, int Seats, int Gains, int Losses, int Net, long Votes, decimal? Share, decimal? ShareChange)
{
    /// <summary>For the <see cref="Tally.Others"/> line: the parties folded into it, ordered as they would have been; null for a party's own line.</summary>
    public IReadOnlyList<string>? Folded { get; init; }
}

/// <summary>State of the parties for an area or a whole election.</summary>
/// <param name="Seats">Number of seats in the area.</param>
/// <param name="Declared">Number of those seats declared (a result with figures, or uncontested).</param>
/// <param name="MajorityLine">Seats needed for an overall majority: floor(Seats / 2) + 1.</param>
/// <param name="Parties">Parties with seats, votes or losses, ordered by seats desc, votes desc, then party code (ordinal).</param>
public sealed record TallyFigures(int Seats, int Declared, int MajorityLine, IReadOnlyList<PartyStanding> Parties)
{
    /// <summary>Seats whose winner is called, figures to follow.</summary>
    public int WinnerKnown { get; init; }

    /// <summary>Seats whose poll is postponed or countermanded.</summary>
    public int Postponed { get; init; }

    /// <summary>Seats in recount (all of them also in <see cref="Remaining"/>).</summary>
    public int InRecount { get; init; }

    /// <summary>Declared seats tied for first place with no winner drawn by lot: party seats + Undecided = Declared + WinnerKnown.</summary>
    public int Undecided { get; init; }

    /// <summary>Seats neither declared, called nor postponed: Seats − Declared − WinnerKnown − Postponed.</summary>
    public int Remaining { get; init; }

    /// <summary>Seats no party has won yet (remaining, postponed and undecided): Seats − the parties' seats.</summary>
    public int Open { get; init; }

    /// <summary>Seats a government needs when the Speaker and Sinn Féin's members do not vote (<see cref="Tally.WorkingMajorityLine"/>).</summary>
    public int WorkingMajorityLine { get; init; }

    /// <summary>Remaining seats whose expected declaration time is at or before now + 1 hour (overdue ones included).</summary>
    public int RemainingExpectedByNextHour { get; init; }

    /// <summary>The next instant at which <see cref="RemainingExpectedByNextHour"/> grows with time alone; null when it cannot.</summary>
    public DateTimeOffset? RemainingExpectedChangesAt { get; init; }

    /// <summary>Valid votes in the declared seats (the denominator of <see cref="PartyStanding.Share"/>).</summary>
    public long ValidVotes { get; init; }

    /// <summary>Registered electors of the declared, contested seats whose electorate is known; null when there are none.</summary>
    public long? Electorate { get; init; }

    /// <summary>Valid votes in the seats counted in <see cref="Electorate"/> / <see cref="Electorate"/> × 100, 2 dp; null without an electorate.</summary>
    public decimal? Turnout { get; init; }

    /// <summary>Butler swing between the two leading parties over the declared seats that polled at both elections (<see cref="Tally.AreaSwing"/>).</summary>
    public Swing? Swing { get; init; }
}

/// <summary>Pure arithmetic for the state of the parties over a set of seats.</summary>
public static class Tally
{
    /// <summary>The window of <see cref="TallyFigures.RemainingExpectedByNextHour"/>.</summary>
    public static readonly TimeSpan NextHour = TimeSpan.FromHours(1);

    /// <summary>The code of the line that <c>othersBelow</c> folds small parties into.</summary>
    public const string Others = "Others";

    /// <summary>
    /// Totals seats, gains, losses, votes and shares over the declared seats in <paramref name="seats"/>.
    /// A gain for the winner W (previous winner P known and different) is a loss for P in the same seat,
    /// so the sum of gains always equals the sum of losses. A tied seat has no winner and counts for nobody
    /// (it is <see cref="TallyFigures.Undecided"/>). A called seat counts for its winner's seats, gains and
    /// losses but not for votes or shares.
    /// </summary>
    /// <param name="seats">Every seat of the area.</param>
    /// <param name="now">The time <see cref="TallyFigures.RemainingExpectedByNextHour"/> is relative to; without it that count is 0.</param>
    /// <param name="othersBelow">
    /// When above 0, every party with fewer seats than this is folded into one line <see cref="Others"/> (placed last): its
    /// seats, gains, losses and votes are the sums of theirs, its share and share change are worked out from those sums as
    /// for a party. A gain by one folded party from another counts as a gain and a loss of Others, so net stays gains − losses.
    /// </param>
    public static TallyFigures Compute(IReadOnlyList<SeatOutcome> seats, DateTimeOffset? now = null, int othersBelow = 0) =>
        TallyTotals.Of(seats).Figures(now, othersBelow);

    /// <summary>
    /// Butler swing over a set of seats: between the two parties with the most votes now in those seats (Independents and the
    /// Speaker left out, as they are no party with a national share), from their shares of all valid votes in the same seats now
    /// and at the previous election (<see cref="SeatArithmetic.ButlerSwing"/> on the summed votes). Pass only seats that polled at
    /// both elections. Null when fewer than two such parties had votes now, or either had none before.
    /// </summary>
    /// <param name="votesNow">Votes per party now, summed over the seats.</param>
    /// <param name="votesBefore">Votes per party at the previous election, summed over the same seats.</param>
    public static Swing? AreaSwing(IReadOnlyDictionary<string, long> votesNow, IReadOnlyDictionary<string, long> votesBefore)
    {
        ArgumentNullException.ThrowIfNull(votesNow);
        ArgumentNullException.ThrowIfNull(votesBefore);
        var leaders = votesNow
            .Where(kv => kv.Value > 0 && kv.Key is not (SeatArithmetic.Independent or SeatArithmetic.Speaker))
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(2)
            .Select(kv => kv.Key)
            .ToArray();
        return leaders.Length < 2 ? null : SeatArithmetic.ButlerSwing(leaders[0], leaders[1], votesNow, votesBefore);
    }

    /// <summary>
    /// The working-majority line: the seats a government needs when the Speaker (who votes only to break a tie) and the
    /// abstaining Sinn Féin members do not vote: floor((seats − speaker − sinnFein) / 2) + 1 (322 of 650 with the Speaker
    /// and 7 Sinn Féin members; the overall majority line when neither has won a seat).
    /// </summary>
    public static int WorkingMajorityLine(int seats, int speaker, int sinnFein)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(speaker);
        ArgumentOutOfRangeException.ThrowIfNegative(sinnFein);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(speaker + sinnFein, seats);
        return MajorityLine(seats - speaker - sinnFein);
    }

    /// <summary>
    /// Where a party stands against the majority line: <c>majority</c> when its seats reach it, <c>canReach</c> when its
    /// seats and every seat no party has won yet (<paramref name="open"/>) would, else <c>cannotReach</c>.
    /// </summary>
    public static string MajorityStatus(int seats, int open, int majorityLine)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        ArgumentOutOfRangeException.ThrowIfNegative(open);
        return seats >= majorityLine ? "majority" : seats + open >= majorityLine ? "canReach" : "cannotReach";
    }

    /// <summary>Seats needed for an overall majority: floor(seats / 2) + 1 (326 of 650; 17 of 32).</summary>
    public static int MajorityLine(int seats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        return (seats / 2) + 1;
    }
}
