using ElectionResults.Api.Features.Figures;
using static ElectionResults.UnitTests.Figures.SeatArithmeticBuildingBlockTests;

namespace ElectionResults.UnitTests.Figures;

public class TallyTests
{
    [Theory]
    [InlineData(650, 326)] // 650 / 2 + 1
    [InlineData(32, 17)]   // 32 / 2 + 1
    [InlineData(533, 267)] // floor(266.5) + 1
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(0, 1)]
    public void MajorityLine_is_half_the_seats_plus_one(int seats, int expected) =>
        Assert.Equal(expected, Tally.MajorityLine(seats));

    [Fact]
    public void Gains_and_losses_add_up()
    {
        SeatOutcome[] seats =
        [
            Seat("S1", "Con", "Lab", ("Con", 500), ("Lab", 400)),  // Con gain from Lab
            Seat("S2", "Lab", "Lab", ("Lab", 500), ("Con", 400)),  // Lab hold
            Seat("S3", "LD", "Con", ("LD", 500), ("Con", 450)),    // LD gain from Con
            Seat("S4", null, "Con", ("Con", 450), ("Lab", 450)),   // declared tie: counts for nobody, no loss for Con
            Seat("S5", "Con", null, ("Con", 300), ("Lab", 200)),   // Con win, no previous winner: not a gain
            Seat("S6", "Lab", "UKIP", ("Lab", 300), ("Con", 100)), // Lab gain from UKIP, which did not stand
            Seat("S7", null, "Lab", ("Con", 999)) with { Declared = false }, // undeclared: ignored
        ];

        var tally = Tally.Compute(seats);

        Assert.Equal(7, tally.Seats);
        Assert.Equal(6, tally.Declared);
        Assert.Equal(4, tally.MajorityLine); // 7 / 2 + 1

        // Votes (no previous vote data, so no share changes):
        //   Con: 500 + 400 + 450 + 450 + 300 + 100 = 2,200 (undeclared 999 ignored)
        //   Lab: 400 + 500 + 450 + 200 + 300 = 1,850;  LD: 500;  total 4,550.
        // Seats: Con 2 (S1, S5), Lab 2 (S2, S6), LD 1 (S3). Con ahead of Lab on votes.
        // Gains: Con 1, Lab 1, LD 1. Losses: Lab 1 (S1), Con 1 (S3), UKIP 1 (S6).
        Assert.Equal(
            [
                new PartyStanding("Con", 2, 1, 1, 0, 2200, 48.35m, null),  // 220,000 / 4,550 = 48.3516...
                new PartyStanding("Lab", 2, 1, 1, 0, 1850, 40.66m, null),  // 185,000 / 4,550 = 40.6593...
                new PartyStanding("LD", 1, 1, 0, 1, 500, 10.99m, null),    //  50,000 / 4,550 = 10.9890...
                new PartyStanding("UKIP", 0, 0, 1, -1, 0, 0m, null),       // listed for its loss
            ],
            tally.Parties);
        Assert.Equal(tally.Parties.Sum(p => p.Gains), tally.Parties.Sum(p => p.Losses));
        Assert.Equal(0, tally.Parties.Sum(p => p.Net));
    }

    [Fact]
    public void Ties_in_seats_are_broken_by_votes_then_party_code_ordinally()
    {
        SeatOutcome[] seats =
        [
            Seat("S1", "Lab", null, ("Lab", 100), ("Green", 50)),
            Seat("S2", "LD", null, ("LD", 100), ("SNP", 60)),
            Seat("S3", "Con", null, ("Con", 200)),
        ];

        var tally = Tally.Compute(seats);

        // Con, LD, Lab: 1 seat each; Con has the most votes; LD and Lab tie on votes, and ordinally "LD" < "Lab" ('D' < 'a').
        // Then parties without seats by votes: SNP 60, Green 50.
        Assert.Equal(["Con", "LD", "Lab", "SNP", "Green"], tally.Parties.Select(p => p.Party));
    }

    [Fact]
    public void Declared_of_total_counts_and_undeclared_seats_count_for_nothing()
    {
        var seats = Enumerable.Range(0, 650)
            .Select(i => Seat($"E{i:D8}", "Con", "Lab", ("Con", 2), ("Lab", 1)) with
            {
                Declared = i < 10,
                PreviousVotesByParty = Votes(("Con", 1), ("Lab", 2)),
            })
            .ToList();

        var tally = Tally.Compute(seats);

        Assert.Equal(650, tally.Seats);
        Assert.Equal(10, tally.Declared);
        Assert.Equal(326, tally.MajorityLine);

        // Only the 10 declared seats count. Now: Con 10 × 2 = 20, Lab 10 × 1 = 10, total 30 -> 66.666... / 33.333...
        // Previous: Con 10, Lab 20 of 30. Changes: 200/3 − 100/3 = 100/3 = 33.333... -> +33.33 / −33.33.
        // Each declared seat is a Con gain from Lab: gains 10, losses 10.
        Assert.Equal(
            [
                new PartyStanding("Con", 10, 10, 0, 10, 20, 66.67m, 33.33m),
                new PartyStanding("Lab", 0, 0, 10, -10, 10, 33.33m, -33.33m),
            ],
            tally.Parties);
    }

    [Fact]
    public void Share_change_uses_only_declared_seats_with_previous_data()
    {
        var seats = new[]
        {
            // Declared, previous Con 500, Lab 500.
            new SeatOutcome("A", true, "Con", "Con", Votes(("Con", 600), ("Lab", 400)), Votes(("Con", 500), ("Lab", 500))),
            // Declared, a new seat with no previous data: in votes and share, not in share change (on either side).
            new SeatOutcome("B", true, "Lab", null, Votes(("Con", 300), ("Lab", 700)), null),
            // Not declared: its previous data must not count (it would make Con's previous share 1,400 / 2,000 = 70%).
            new SeatOutcome("C", false, null, "Con", Votes(("Con", 999), ("Lab", 1)), Votes(("Con", 900), ("Lab", 100))),
            // Declared with a new party.
            new SeatOutcome("D", true, "Con", "Con", Votes(("Con", 500), ("Reform", 500)), Votes(("Con", 600), ("Lab", 400))),
        };

        var tally = Tally.Compute(seats);

        // Votes and shares (A, B, D): Con 600 + 300 + 500 = 1,400; Lab 400 + 700 = 1,100; Reform 500; total 3,000.
        //   Con 46.666... -> 46.67; Lab 36.666... -> 36.67; Reform 16.666... -> 16.67.
        // Share change over the seats polled at both elections (A and D only):
        //   now Con 600 + 500 = 1,100, Lab 400, Reform 500 of 2,000; before Con 500 + 600 = 1,100, Lab 500 + 400 = 900 of 2,000.
        //   Con 55 − 55 = 0; Lab 20 − 45 = −25; Reform had no previous votes -> null.
        Assert.Equal(
            [
                new PartyStanding("Con", 2, 0, 0, 0, 1400, 46.67m, 0.00m),
                new PartyStanding("Lab", 1, 0, 0, 0, 1100, 36.67m, -25.00m),
                new PartyStanding("Reform", 0, 0, 0, 0, 500, 16.67m, null),
            ],
            tally.Parties);
    }

    [Fact]
    public void Share_change_is_null_when_no_declared_seat_has_previous_data()
    {
        var seats = new[]
        {
            new SeatOutcome("A", true, "Con", null, Votes(("Con", 600), ("Lab", 400)), null),
            new SeatOutcome("B", false, null, null, Votes(("Con", 1)), Votes(("Con", 1))),
        };

        var tally = Tally.Compute(seats);

        Assert.All(tally.Parties, p => Assert.Null(p.ShareChange));
        Assert.Equal([60m, 40m], tally.Parties.Select(p => p.Share));
    }

    [Fact]
    public void Nothing_declared_yet()
    {
        var tally = Tally.Compute([Seat("A", null, "Con", ("Con", 5)) with { Declared = false }]);

        Assert.Equal(1, tally.Seats);
        Assert.Equal(0, tally.Declared);
        Assert.Empty(tally.Parties);
    }

    [Fact]
    public void Handles_650_seats_and_votes_beyond_int_range()
    {
        // Seats 0..399: Con 5,000,000 v Lab 3,000,000 (Con win).  Seats 400..649: Lab 4,000,000 v Con 2,000,000 (Lab win).
        // Con: 400 × 5,000,000 + 250 × 2,000,000 = 2,500,000,000 (> int.MaxValue).
        // Lab: 400 × 3,000,000 + 250 × 4,000,000 = 2,200,000,000 (> int.MaxValue).  Total 4,700,000,000.
        // Shares: 2.5 / 4.7 = 53.1914... -> 53.19;  2.2 / 4.7 = 46.8085... -> 46.81.
        // Previous (every seat Con 1, Lab 1 -> 50% each): changes +3.1914... -> 3.19 and −3.1914... -> −3.19.
        var seats = Enumerable.Range(0, 650)
            .Select(i => i < 400
                ? new SeatOutcome($"S{i}", true, "Con", "Con", Votes(("Con", 5_000_000), ("Lab", 3_000_000)), Votes(("Con", 1), ("Lab", 1)))
                : new SeatOutcome($"S{i}", true, "Lab", "Con", Votes(("Lab", 4_000_000), ("Con", 2_000_000)), Votes(("Con", 1), ("Lab", 1))))
            .ToList();

        var tally = Tally.Compute(seats);

        Assert.Equal(650, tally.Declared);
        Assert.Equal(326, tally.MajorityLine);
        Assert.Equal(
            [
                new PartyStanding("Con", 400, 0, 250, -250, 2_500_000_000, 53.19m, 3.19m),
                new PartyStanding("Lab", 250, 250, 0, 250, 2_200_000_000, 46.81m, -3.19m),
            ],
            tally.Parties);
    }

    private static SeatOutcome Seat(string code, string? winner, string? previousWinner, params (string Party, long Votes)[] votes) =>
        new(code, true, winner, previousWinner, Votes(votes), null);
}
