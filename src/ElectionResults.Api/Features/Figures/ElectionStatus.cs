namespace ElectionResults.Api.Features.Figures;

/// <summary>
/// Where an election as a whole stands, so that a poller knows when to slow down and when to stop: derived from its
/// seats with the tally's own counts (<see cref="TallyFigures.Declared"/>, <see cref="TallyFigures.WinnerKnown"/>), and
/// from whether the desk has certified it.
/// </summary>
public static class ElectionStatus
{
    /// <summary>No seat has a result or a called winner yet (seats only postponed or in recount do not start it).</summary>
    public const string NotStarted = "notStarted";

    /// <summary>Some seats have a result or a called winner, not all have a result.</summary>
    public const string Partial = "partial";

    /// <summary>Every seat has its result (declared or uncontested); corrections are still possible.</summary>
    public const string Complete = "complete";

    /// <summary>The desk has certified the complete election: its results are final and nothing more will change.</summary>
    public const string Certified = "certified";

    /// <summary>Every status, in the order an election passes through them.</summary>
    public static readonly string[] All = [NotStarted, Partial, Complete, Certified];

    /// <summary>
    /// The status of an election of <paramref name="seats"/> seats of which <paramref name="declared"/> have a result
    /// (declared or uncontested) and <paramref name="winnerKnown"/> more a called winner. Complete means every seat has
    /// its result: a seat with only a called winner, in recount or postponed keeps the election partial. An election with
    /// no seats has not started. A certified election is reported as such (the database certifies only complete ones).
    /// </summary>
    public static string Of(int seats, int declared, int winnerKnown, bool certified)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(declared);
        ArgumentOutOfRangeException.ThrowIfNegative(winnerKnown);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(declared + winnerKnown, seats);
        if (certified)
        {
            return Certified;
        }

        if (seats > 0 && declared == seats)
        {
            return Complete;
        }

        return declared + winnerKnown == 0 ? NotStarted : Partial;
    }

    /// <summary>The status from the tally of the whole election (every seat of it).</summary>
    public static string Of(TallyFigures wholeElection, bool certified)
    {
        ArgumentNullException.ThrowIfNull(wholeElection);
        return Of(wholeElection.Seats, wholeElection.Declared, wholeElection.WinnerKnown, certified);
    }

    /// <summary>The status from the seats themselves, counted as <see cref="Tally.Compute"/> counts them.</summary>
    public static string Of(IReadOnlyCollection<SeatState> seats, bool certified)
    {
        ArgumentNullException.ThrowIfNull(seats);
        int declared = 0, winnerKnown = 0;
        foreach (var seat in seats)
        {
            if (seat.HasResult)
            {
                declared++;
            }
            else if (seat.Status == SeatState.WinnerKnownStatus)
            {
                winnerKnown++;
            }
        }

        return Of(seats.Count, declared, winnerKnown, certified);
    }

    /// <summary>True when an election in <paramref name="status"/> may be certified: it is complete.</summary>
    public static bool CanCertify(string status) => status == Complete;
}
