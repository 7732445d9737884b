using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

/// <summary>
/// The election's status from its seats and its certification: when pollers may slow down (complete) and stop (certified).
/// The counts are the tally's: a result is a declared or uncontested seat; a called winner, a recount and a postponed poll are not.
/// </summary>
public sealed class ElectionStatusTests
{
    private static readonly DateTimeOffset At = new(2017, 6, 9, 3, 0, 0, TimeSpan.FromHours(1));

    private static readonly Candidacy[] Two = [new(1, "Al", "Con"), new(2, "Bea", "Lab")];

    [Theory]
    [InlineData(650, 0, 0, false, "notStarted")]
    [InlineData(650, 1, 0, false, "partial")]
    [InlineData(650, 0, 1, false, "partial")] // a called winner starts the night
    [InlineData(650, 649, 1, false, "partial")] // every seat won, one only called: not complete
    [InlineData(650, 649, 0, false, "partial")]
    [InlineData(650, 650, 0, false, "complete")]
    [InlineData(650, 650, 0, true, "certified")]
    [InlineData(1, 1, 0, false, "complete")] // a by-election
    [InlineData(0, 0, 0, false, "notStarted")] // no seats yet: nothing to complete
    public void The_status_follows_the_seats_with_results_and_called_winners(int seats, int declared, int winnerKnown, bool certified, string expected) =>
        Assert.Equal(expected, ElectionStatus.Of(seats, declared, winnerKnown, certified));

    [Theory]
    [InlineData(10, -1, 0)]
    [InlineData(10, 0, -1)]
    [InlineData(10, 8, 3)]
    [InlineData(0, 1, 0)]
    public void Counts_that_cannot_be_are_refused(int seats, int declared, int winnerKnown) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ElectionStatus.Of(seats, declared, winnerKnown, certified: false));

    [Fact]
    public void Only_a_complete_election_can_be_certified()
    {
        Assert.True(ElectionStatus.CanCertify(ElectionStatus.Complete));
        Assert.All(new[] { ElectionStatus.NotStarted, ElectionStatus.Partial, ElectionStatus.Certified }, s => Assert.False(ElectionStatus.CanCertify(s)));
        Assert.Equal(["notStarted", "partial", "complete", "certified"], ElectionStatus.All);
    }

    public static TheoryData<string[], string> Nights => new()
    {
        { [], "notStarted" },
        { ["notDeclared", "notDeclared"], "notStarted" },
        { ["postponed", "notDeclared"], "notStarted" }, // a postponed poll is no result
        { ["recount", "notDeclared"], "notStarted" }, // nor is a recount: the declaration is awaited again
        { ["notDeclared", "winnerKnown"], "partial" },
        { ["declared", "notDeclared"], "partial" },
        { ["declared", "winnerKnown"], "partial" },
        { ["declared", "recount"], "partial" },
        { ["uncontested", "postponed"], "partial" },
        { ["declared", "uncontested"], "complete" },
        { ["declared", "declared"], "complete" },
    };

    [Theory]
    [MemberData(nameof(Nights))]
    public void Seats_count_as_the_tally_counts_them(string[] statuses, string expected)
    {
        var seats = statuses.Select((status, i) => Seat($"E1400000{i}", status)).ToArray();
        var tally = Tally.Compute(seats.Select(s => s.ToOutcome()).ToArray());

        Assert.Equal(expected, ElectionStatus.Of(seats, certified: false));
        Assert.Equal(expected, ElectionStatus.Of(tally, certified: false));
        // Complete is exactly "the tally's declared = seats" (with seats), whatever else the tally says.
        Assert.Equal(expected == ElectionStatus.Complete, tally.Seats > 0 && tally.Declared == tally.Seats);
    }

    [Fact]
    public void A_certification_is_reported_as_certified()
    {
        SeatState[] seats = [Seat("E14000001", "declared"), Seat("E14000002", "uncontested")];

        Assert.Equal(ElectionStatus.Certified, ElectionStatus.Of(seats, certified: true));
    }

    /// <summary>A seat of Al (Con) and Bea (Lab) whose latest revision has <paramref name="status"/> (no revision for notDeclared).</summary>
    private static SeatState Seat(string code, string status)
    {
        RevisionInfo? current = status switch
        {
            SeatState.NotDeclared => null,
            SeatState.DeclaredStatus => Revision(status, new Dictionary<long, long> { [1] = 300, [2] = 200 }),
            SeatState.UncontestedStatus => Revision(status, new Dictionary<long, long>()),
            SeatState.WinnerKnownStatus => Revision(status, new Dictionary<long, long>(), winner: 1),
            _ => Revision(status, new Dictionary<long, long>()),
        };
        IReadOnlyList<Candidacy> candidates = status == SeatState.UncontestedStatus ? Two[..1] : Two;
        return new SeatState(code, code, 1000, candidates, [], current, null, SeatState.FiguresFor(current, candidates, 1000, null));
    }

    private static RevisionInfo Revision(string status, IReadOnlyDictionary<long, long> votes, long? winner = null) => new(
        1, 1, status, null, At, "RO", "desk", status == SeatState.PostponedStatus ? "poll postponed" : null, At, votes, winner,
        RecountNumber: status == SeatState.RecountStatus ? 1 : null);
}
