using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

/// <summary>The area figures a tally carries beyond seats and shares: votes, electorate, turnout, swing and the Others line.</summary>
public class TallyPayloadTests
{
    private static Dictionary<string, long> Votes(params (string Party, long Votes)[] votes) =>
        votes.ToDictionary(v => v.Party, v => v.Votes, StringComparer.Ordinal);

    private static SeatOutcome Seat(string code, string? winner, string? previousWinner, (string, long)[] now, (string, long)[]? before = null, long? electorate = null) =>
        new(code, true, winner, previousWinner, Votes(now), before is null ? null : Votes(before)) { Electorate = electorate };

    [Fact]
    public void Area_swing_votes_electorate_and_turnout()
    {
        SeatOutcome[] seats =
        [
            // Polled at both elections.
            Seat("A", "Con", "Con", [("Con", 600), ("Lab", 400)], [("Con", 500), ("Lab", 500)], electorate: 2000),
            Seat("B", "Lab", "Lab", [("Con", 300), ("Lab", 500), ("LD", 200)], [("Con", 300), ("Lab", 600), ("LD", 100)], electorate: 2500),
            // Declared without a previous result: in the votes, out of the swing; electorate unknown: out of the turnout.
            Seat("C", "Lab", null, [("Lab", 10_000), ("Con", 1)]),
            // Not declared: in nothing.
            Seat("D", null, "Con", [("Con", 99_999)], [("Con", 1), ("Lab", 1)], electorate: 100_000) with { Declared = false },
        ];

        var tally = Tally.Compute(seats);

        Assert.Equal(12_001, tally.ValidVotes);             // 1,000 + 1,000 + 10,001
        Assert.Equal(4_500, tally.Electorate);              // A and B
        Assert.Equal(44.44m, tally.Turnout);                // 2,000 / 4,500 = 44.444…
        // Over A and B: now Con 900, Lab 900, LD 200 of 2,000 (45%, 45%, 10%); before Con 800, Lab 1,100, LD 200 of 2,000
        // (40%, 55%, 10%). Leaders now: Con and Lab (tied on votes, by code). ((45 − 40) − (45 − 55)) / 2 = 7.5 from Lab to Con.
        // (With C, Lab would lead by far: it is left out because it has no previous result.)
        Assert.Equal(new Swing("Lab", "Con", 7.50m, "7.5% from Lab to Con"), tally.Swing);
    }

    [Fact]
    public void Area_swing_with_unequal_totals_rounds_once()
    {
        // Now Lab 5,100, Con 3,000, Ind 4,000 of 12,100; before Lab 4,000, Con 3,500 of 8,000.
        // Independents are no party for a swing: the leaders are Lab and Con.
        // Lab: 42.1488% − 50% = −7.8512; Con: 24.7934% − 43.75% = −18.9566; (−7.8512 + 18.9566) / 2 = 5.5527 from Con to Lab.
        // Exactly: 100 × ((5,100 − 3,000) × 8,000 − (4,000 − 3,500) × 12,100) / (2 × 12,100 × 8,000) = 5.55268… → 5.55, read as 5.6.
        var swing = Tally.AreaSwing(Votes(("Lab", 5_100), ("Con", 3_000), ("Ind", 4_000)), Votes(("Lab", 4_000), ("Con", 3_500), ("LD", 500)));

        Assert.Equal(new Swing("Con", "Lab", 5.55m, "5.6% from Con to Lab"), swing);
    }

    [Fact]
    public void No_area_swing_without_two_parties_or_previous_votes()
    {
        Assert.Null(Tally.AreaSwing(Votes(("Con", 10), ("Ind", 20)), Votes(("Con", 10), ("Ind", 5))));
        Assert.Null(Tally.AreaSwing(Votes(("Con", 10), ("Green", 5)), Votes(("Con", 10), ("Lab", 5)))); // Green had no votes before
        Assert.Null(Tally.Compute([Seat("A", "Con", null, [("Con", 10), ("Lab", 5)])]).Swing);
        Assert.Null(Tally.Compute([Seat("A", "Con", null, [("Con", 10), ("Lab", 5)])]).Turnout);
    }

    [Fact]
    public void Others_folds_parties_below_the_threshold()
    {
        SeatOutcome[] seats =
        [
            Seat("S1", "Con", "Con", [("Con", 500), ("Lab", 300)]),
            Seat("S2", "Con", "Lab", [("Con", 400), ("Lab", 350)]),   // Con gain from Lab
            Seat("S3", "Con", "Con", [("Con", 450), ("LD", 100)]),
            Seat("S4", "Lab", "Lab", [("Lab", 600), ("Con", 200)]),
            Seat("S5", "Lab", "Lab", [("Lab", 500), ("Ind", 450)]),
            Seat("S6", "LD", "LD", [("LD", 300), ("Con", 250)]),
            Seat("S7", "Green", "LD", [("Green", 320), ("LD", 310)]), // Green gain from LD: a gain and a loss of Others
        ];

        var tally = Tally.Compute(seats, othersBelow: 2);

        // Votes: Con 1,800, Lab 1,750, LD 710, Green 320, Ind 450; 5,030 in all.
        Assert.Equal(
            [
                new PartyStanding("Con", 3, 1, 0, 1, 1800, 35.79m, null),   // 180,000 / 5,030 = 35.785…
                new PartyStanding("Lab", 2, 0, 1, -1, 1750, 34.79m, null),  // 175,000 / 5,030 = 34.791…
                new PartyStanding("Others", 2, 1, 1, 0, 1480, 29.42m, null) // LD 1 + Green 1 seats; 710 + 320 + 450 votes = 29.423…
                {
                    Folded = tally.Parties[^1].Folded,
                },
            ],
            tally.Parties);
        Assert.Equal(["LD", "Green", "Ind"], tally.Parties[^1].Folded);
        Assert.Equal(seats.Length, tally.Parties.Sum(p => p.Seats));
        Assert.Equal(tally.Parties.Sum(p => p.Gains), tally.Parties.Sum(p => p.Losses));

        // Without a threshold (or 0) nothing is folded; a threshold nobody reaches folds everyone.
        Assert.Equal(5, Tally.Compute(seats).Parties.Count);
        Assert.DoesNotContain(Tally.Compute(seats, othersBelow: 1).Parties, p => p.Folded is not null && p.Folded.Contains("LD"));
        Assert.Equal(["Con", "Lab", "LD", "Green", "Ind"], Assert.Single(Tally.Compute(seats, othersBelow: 10).Parties).Folded);
    }
}
