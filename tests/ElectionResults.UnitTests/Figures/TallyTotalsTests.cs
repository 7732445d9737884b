using System.Text.Json;
using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

/// <summary>
/// A tally patched seat by seat (<see cref="TallyTotals.Replace"/>) must be exactly the tally summed afresh over the same
/// seats: every figure, in every state a seat can pass through on the night (undeclared with an expected time, called,
/// declared, tied, in a recount, postponed, corrected).
/// </summary>
public class TallyTotalsTests
{
    private static readonly string[] Parties = ["Con", "Lab", "LD", "SNP", "Green", "Ind", "Spk", "SF"];
    private static readonly DateTimeOffset PollsClose = new(2017, 6, 8, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Patching_one_seat_at_a_time_gives_the_figures_of_summing_every_seat(int seed)
    {
        var random = new Random(seed);
        var seats = Enumerable.Range(0, 60).Select(i => RandomSeat(random, $"S{i:00}")).ToArray();
        var totals = TallyTotals.Of(seats);
        var now = PollsClose.AddHours(3);

        for (var step = 0; step < 300; step++)
        {
            var index = random.Next(seats.Length);
            var changed = RandomSeat(random, seats[index].ConstituencyCode);
            totals = totals.Replace(seats[index], changed);
            seats[index] = changed;

            foreach (var others in new[] { 0, 3 })
            {
                Assert.Equal(Json(Tally.Compute(seats, now, others)), Json(totals.Figures(now, others)));
            }
        }

        Assert.Equal(Json(Tally.Compute(seats)), Json(totals.Figures()));
    }

    [Fact]
    public void Taking_every_seat_out_again_leaves_the_totals_of_no_seats()
    {
        var random = new Random(7);
        var seats = Enumerable.Range(0, 20).Select(i => RandomSeat(random, $"S{i:00}")).ToArray();
        var totals = TallyTotals.Of(seats);
        var empty = new SeatOutcome("none", false, null, null, new Dictionary<string, long>(), null);
        foreach (var seat in seats)
        {
            // Replacing a seat with one that counts only as a seat leaves its party lines empty, and they disappear.
            totals = totals.Replace(seat, empty);
        }

        var figures = totals.Figures(PollsClose);
        Assert.Empty(figures.Parties);
        Assert.Equal(20, figures.Seats);
        Assert.Equal(20, figures.Remaining);
        Assert.Equal(0, figures.ValidVotes);
        Assert.Null(figures.Swing);
        Assert.Null(figures.Turnout);
    }

    [Fact]
    public void Seats_expected_within_the_hour_follow_the_clock_and_the_declarations()
    {
        SeatOutcome Undeclared(string code, int minutes) =>
            new(code, false, null, null, new Dictionary<string, long>(), null) { ExpectedDeclarationAt = PollsClose.AddMinutes(minutes) };

        var a = Undeclared("A", 60);
        var b = Undeclared("B", 60);
        var c = Undeclared("C", 150);
        var totals = TallyTotals.Of([a, b, c]);

        var figures = totals.Figures(PollsClose);
        Assert.Equal(2, figures.RemainingExpectedByNextHour);
        // C comes within the hour at 01:30 after the close, so the count changes then.
        Assert.Equal(PollsClose.AddMinutes(90), figures.RemainingExpectedChangesAt);

        var declared = new SeatOutcome("A", true, "Con", null, new Dictionary<string, long> { ["Con"] = 10 }, null);
        figures = totals.Replace(a, declared).Figures(PollsClose);
        Assert.Equal(1, figures.RemainingExpectedByNextHour);
        Assert.Equal(2, figures.Remaining);
    }

    private static SeatOutcome RandomSeat(Random random, string code)
    {
        Dictionary<string, long> Votes() => Parties.Where(_ => random.Next(3) > 0).ToDictionary(p => p, _ => (long)random.Next(0, 30_000));

        var votes = Votes();
        var previous = random.Next(4) == 0 ? null : Votes();
        var winner = votes.Count == 0 || random.Next(10) == 0 ? null : votes.MaxBy(kv => kv.Value).Key; // sometimes a tie
        var previousWinner = previous is null || previous.Count == 0 ? null : previous.MaxBy(kv => kv.Value).Key;
        var expected = random.Next(5) == 0 ? (DateTimeOffset?)null : PollsClose.AddMinutes(random.Next(60, 600));
        return random.Next(7) switch
        {
            0 => new SeatOutcome(code, false, null, previousWinner, new Dictionary<string, long>(), previous) { ExpectedDeclarationAt = expected },
            1 => new SeatOutcome(code, false, null, previousWinner, new Dictionary<string, long>(), previous) { InRecount = true, ExpectedDeclarationAt = expected },
            2 => new SeatOutcome(code, false, winner ?? "Con", previousWinner, new Dictionary<string, long>(), previous) { WinnerKnown = true },
            3 => new SeatOutcome(code, false, null, previousWinner, new Dictionary<string, long>(), previous) { Postponed = true },
            4 => new SeatOutcome(code, true, winner, previousWinner, votes, previous) { Uncontested = true },
            _ => new SeatOutcome(code, true, winner, previousWinner, votes, previous)
            {
                Electorate = random.Next(4) == 0 ? null : random.Next(50_000, 90_000),
                PreviousUncontested = random.Next(10) == 0,
            },
        };
    }

    private static string Json(TallyFigures figures) => JsonSerializer.Serialize(figures);
}
