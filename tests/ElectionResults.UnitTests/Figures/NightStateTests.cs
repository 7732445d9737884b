using ElectionResults.Api.Features.Figures;
using static ElectionResults.UnitTests.Figures.SeatArithmeticBuildingBlockTests;

namespace ElectionResults.UnitTests.Figures;

/// <summary>The figures of the states a night passes through: ties by lot, calls, postponements, recounts, expected times.</summary>
public class NightStateTests
{
    private static readonly DateTimeOffset Now = new(2017, 6, 9, 2, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void A_tie_decided_by_lot_elects_the_lot_winner_with_majority_zero()
    {
        // Con 20,000, Lab 20,000, LD 3,000 = 43,000. Previous: Lab won.
        // Lot for Con (id 1): Con elected, majority 20,000 − 20,000 = 0 (0%), "Con gain from Lab".
        var seat = SeatArithmetic.Compute(
            [C(2, "Bea", "Lab", 20000), C(1, "Al", "Con", 20000), C(3, "Cy", "LD", 3000)],
            electorate: 86000,
            invalidVotes: null,
            new PreviousSeat(Votes(("Lab", 23622), ("Con", 21607), ("LD", 2262), ("UKIP", 1181)), "Lab"),
            lotWinnerCandidacyId: 1);

        Assert.True(seat.DecidedByLot);
        Assert.Equal(1, seat.Winner?.CandidacyId);
        Assert.Equal([1L, 2L, 3L], seat.Candidates.Select(c => c.CandidacyId));
        Assert.Equal([true, false, false], seat.Candidates.Select(c => c.Elected));
        Assert.Equal(0, seat.Majority);
        Assert.Equal(0m, seat.MajorityPercent);
        Assert.Equal("Con gain from Lab", seat.Result);
        Assert.True(seat.Gain);
        Assert.Equal(["Con", "Lab"], seat.TiedParties);
        // Swing between the lot winner and the other tied party: Con 46.5116 − 44.3931 = +2.1185; Lab 46.5116 − 48.5330 = −2.0214;
        // (2.1185 + 2.0214) / 2 = 2.0700 -> "2.1% from Lab to Con".
        Assert.Equal("2.1% from Lab to Con", seat.Swing?.Text);
    }

    [Fact]
    public void The_lot_winner_can_be_the_candidate_listed_second_by_name()
    {
        var seat = SeatArithmetic.Compute([C(1, "Al", "Con", 500), C(2, "Bea", "Lab", 500)], null, null, null, lotWinnerCandidacyId: 2);

        Assert.Equal("Bea", seat.Winner?.Name);
        Assert.Equal("Lab win", seat.Result);
        Assert.Equal(0, seat.Majority);
    }

    [Fact]
    public void A_tie_without_a_lot_winner_is_undecided()
    {
        var seat = SeatArithmetic.Compute([C(1, "Al", "Con", 500), C(2, "Bea", "Lab", 500), C(3, "Cy", "LD", 10)], null, null, null);

        Assert.False(seat.DecidedByLot);
        Assert.Null(seat.Winner);
        Assert.Equal("Tie between Con and Lab", seat.Result);
    }

    [Fact]
    public void A_lot_winner_who_did_not_tie_for_first_decides_nothing()
    {
        var votes = new[] { C(1, "Al", "Con", 500), C(2, "Bea", "Lab", 500), C(3, "Cy", "LD", 10) };

        Assert.True(SeatArithmetic.TiedForFirst(votes, 1));
        Assert.True(SeatArithmetic.TiedForFirst(votes, 2));
        Assert.False(SeatArithmetic.TiedForFirst(votes, 3));  // third
        Assert.False(SeatArithmetic.TiedForFirst(votes, 99)); // not standing
        Assert.False(SeatArithmetic.TiedForFirst([C(1, "Al", "Con", 501), C(2, "Bea", "Lab", 500)], 1)); // no tie at all

        var seat = SeatArithmetic.Compute(votes, null, null, null, lotWinnerCandidacyId: 3);
        Assert.Null(seat.Winner);
        Assert.False(seat.DecidedByLot);
    }

    [Fact]
    public void Share_change_leaves_out_seats_that_did_not_poll_at_both_elections()
    {
        // A test election whose baseline is ge2017 (real 2017 figures):
        //   Derby North 2017: Lab 23,622, Con 21,607, LD 2,262, UKIP 1,181 = 48,672.
        //   Mansfield 2017:   Con 23,392, Lab 22,335, UKIP 2,654, Ind 1,079, LD 697 = 50,157.
        // Now Mansfield is uncontested (Con) and Derby North declares Con 20,000, Lab 20,000, LD 3,000 = 43,000 (a tie).
        // Over the seats polled at both (Derby North only):
        //   Con 20,000 / 43,000 = 46.5116 − 21,607 / 48,672 = 44.3931 -> +2.1185 -> +2.12
        //     (with Mansfield's 2017 votes wrongly on the previous side: 44,999 / 98,829 = 45.5322 -> +0.98)
        //   Lab 46.5116 − 23,622 / 48,672 = 48.5330 -> −2.0214 -> −2.02
        //   LD  3,000 / 43,000 = 6.9767 − 2,262 / 48,672 = 4.6474 -> +2.3293 -> +2.33
        SeatOutcome[] seats =
        [
            new("E14000662", true, null, "Lab", Votes(("Con", 20000), ("Lab", 20000), ("LD", 3000)),
                Votes(("Lab", 23622), ("Con", 21607), ("LD", 2262), ("UKIP", 1181))),
            new("E14000810", true, "Con", "Con", Votes(("Con", 0)),
                Votes(("Con", 23392), ("Lab", 22335), ("UKIP", 2654), ("Ind", 1079), ("LD", 697))) { Uncontested = true },
        ];

        var tally = Tally.Compute(seats);

        Assert.Equal(
            [
                new PartyStanding("Con", 1, 0, 0, 0, 20000, 46.51m, 2.12m),
                new PartyStanding("Lab", 0, 0, 0, 0, 20000, 46.51m, -2.02m),
                new PartyStanding("LD", 0, 0, 0, 0, 3000, 6.98m, 2.33m),
            ],
            tally.Parties);
        Assert.Equal(2, tally.Declared);
        Assert.Equal(1, tally.Undecided); // Derby North's tie
        Assert.Equal(tally.Declared + tally.WinnerKnown, tally.Parties.Sum(p => p.Seats) + tally.Undecided);
    }

    [Fact]
    public void A_seat_uncontested_at_the_previous_election_is_left_out_of_share_change()
    {
        // A: polled at both: now Con 600, Lab 400; before Con 500, Lab 500 -> Con 60 − 50 = +10, Lab 40 − 50 = −10.
        // B: uncontested before, polled now (Con 100, Lab 900): counts for votes and share, not for share change.
        SeatOutcome[] seats =
        [
            new("A", true, "Con", "Con", Votes(("Con", 600), ("Lab", 400)), Votes(("Con", 500), ("Lab", 500))),
            new("B", true, "Lab", "Con", Votes(("Con", 100), ("Lab", 900)), Votes(("Con", 0))) { PreviousUncontested = true },
        ];

        var tally = Tally.Compute(seats);

        // Shares over A and B: Con 700 / 2,000 = 35%, Lab 1,300 / 2,000 = 65%.
        Assert.Equal(
            [
                new PartyStanding("Lab", 1, 1, 0, 1, 1300, 65m, -10m),
                new PartyStanding("Con", 1, 0, 1, -1, 700, 35m, 10m),
            ],
            tally.Parties);
    }

    [Fact]
    public void A_called_seat_counts_for_seats_gains_and_losses_but_not_votes()
    {
        SeatOutcome[] seats =
        [
            new("A", true, "Lab", "Lab", Votes(("Lab", 600), ("Con", 400)), null),
            // Called for Con, which gains it from Lab; no figures yet.
            new("B", false, "Con", "Lab", Votes(), null) { WinnerKnown = true },
        ];

        var tally = Tally.Compute(seats);

        Assert.Equal(1, tally.Declared);
        Assert.Equal(1, tally.WinnerKnown);
        Assert.Equal(0, tally.Remaining);
        Assert.Equal(
            [
                // One seat each; Lab first on votes (Con's called seat adds none).
                new PartyStanding("Lab", 1, 0, 1, -1, 600, 60m, null),
                new PartyStanding("Con", 1, 1, 0, 1, 400, 40m, null),
            ],
            tally.Parties);
        Assert.Equal(tally.Declared + tally.WinnerKnown, tally.Parties.Sum(p => p.Seats) + tally.Undecided);
    }

    [Fact]
    public void Postponed_recount_and_remaining_seats_are_counted_apart()
    {
        SeatOutcome[] seats =
        [
            new("A", true, "Lab", null, Votes(("Lab", 600), ("Con", 400)), null),
            new("B", false, null, null, Votes(), null) { Postponed = true },
            new("C", false, null, null, Votes(), null) { InRecount = true },
            new("D", false, null, null, Votes(), null),
            new("E", false, "Con", null, Votes(), null) { WinnerKnown = true },
        ];

        var tally = Tally.Compute(seats, Now);

        Assert.Equal(5, tally.Seats);
        Assert.Equal(1, tally.Declared);
        Assert.Equal(1, tally.WinnerKnown);
        Assert.Equal(1, tally.Postponed);
        Assert.Equal(1, tally.InRecount);
        Assert.Equal(2, tally.Remaining); // C (in recount) and D
        Assert.Equal(tally.Seats, tally.Declared + tally.WinnerKnown + tally.Postponed + tally.Remaining);
        Assert.Equal(0, tally.RemainingExpectedByNextHour); // no expected times
        Assert.Null(tally.RemainingExpectedChangesAt);
    }

    [Fact]
    public void Remaining_expected_by_next_hour_is_relative_to_now()
    {
        // Now 02:00. Window: up to and including 03:00.
        SeatOutcome[] seats =
        [
            Remaining("overdue", Now.AddMinutes(-30)),       // 01:30: counted
            Remaining("soon", Now.AddMinutes(45)),           // 02:45: counted
            Remaining("edge", Now.AddHours(1)),              // 03:00: counted (at or before)
            Remaining("later", Now.AddMinutes(75)),          // 03:15: not yet; enters the window at 02:15
            Remaining("much later", Now.AddHours(3)),        // 05:00: enters at 04:00
            Remaining("unknown", null),                      // no expected time: never counted
            new("declared", true, "Con", null, Votes(("Con", 1)), null) { ExpectedDeclarationAt = Now },          // declared: not remaining
            new("postponed", false, null, null, Votes(), null) { Postponed = true, ExpectedDeclarationAt = Now }, // postponed: not remaining
        ];

        var tally = Tally.Compute(seats, Now);

        Assert.Equal(6, tally.Remaining);
        Assert.Equal(3, tally.RemainingExpectedByNextHour);
        Assert.Equal(Now.AddMinutes(15), tally.RemainingExpectedChangesAt);

        // A quarter of an hour later "later" is due too.
        Assert.Equal(4, Tally.Compute(seats, Now.AddMinutes(15)).RemainingExpectedByNextHour);
        Assert.Equal(3, Tally.Compute(seats, Now.AddMinutes(15).AddTicks(-1)).RemainingExpectedByNextHour);
        // Without a clock the count is 0.
        Assert.Equal(0, Tally.Compute(seats).RemainingExpectedByNextHour);

        static SeatOutcome Remaining(string code, DateTimeOffset? expected) =>
            new(code, false, null, null, Votes(), null) { ExpectedDeclarationAt = expected };
    }

    [Theory]
    [InlineData("declared", null, null, "declared")]               // first declaration
    [InlineData("declared", "declared", null, "corrected")]        // Mansfield
    [InlineData("uncontested", "declared", null, "corrected")]
    [InlineData("declared", "recount", null, "declared")]          // the result after a recount
    [InlineData("declared", "notDeclared", null, "declared")]      // declared again after a retraction
    [InlineData("declared", "postponed", null, "declared")]        // the postponed poll's result
    [InlineData("declared", "winnerKnown", 1L, "declared")]        // the figures follow the call
    [InlineData("declared", "winnerKnown", 2L, "corrected")]       // the figures elect someone else
    [InlineData("winnerKnown", null, null, "winnerKnown")]
    [InlineData("recount", "declared", null, "recount")]
    [InlineData("postponed", null, null, "postponed")]
    [InlineData("notDeclared", "declared", null, "retracted")]
    public void Change_kinds(string status, string? replacedStatus, long? calledId, string expected)
    {
        var elected = new CandidateFigures(1, "Al", "Con", 500, 50m, null, true);
        var current = new RevisionOutcome(status, status == "declared" || status == "uncontested" ? elected : null, null, false);
        var replaced = replacedStatus is null
            ? null
            : new RevisionOutcome(replacedStatus, calledId is { } id ? elected with { CandidacyId = id } : elected, null, false);

        Assert.Equal(expected, ChangeKinds.Of(current, replaced));
    }

    [Fact]
    public void A_declared_tie_after_a_call_is_a_correction()
    {
        var called = new RevisionOutcome("winnerKnown", new CandidateFigures(1, "Al", "Con", 0, null, null, true), "Con hold", false);
        var tie = new RevisionOutcome("declared", null, "Tie between Con and Lab", false);

        Assert.Equal("corrected", ChangeKinds.Of(tie, called));
    }
}
