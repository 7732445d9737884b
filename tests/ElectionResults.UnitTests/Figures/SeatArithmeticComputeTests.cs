using ElectionResults.Api.Features.Figures;
using static ElectionResults.UnitTests.Figures.SeatArithmeticBuildingBlockTests;

namespace ElectionResults.UnitTests.Figures;

public class SeatArithmeticComputeTests
{
    [Fact]
    public void Clear_winner_without_a_previous_result()
    {
        // Valid 500 + 300 + 200 = 1,000. Shares 50, 30, 20. Majority 500 - 300 = 200 = 20% of 1,000.
        // Turnout 1,000 / 2,000 = 50%; ballot turnout (1,000 + 10) / 2,000 = 50.5%.
        var seat = SeatArithmetic.Compute(
            [C(3, "Cy", "LD", 200), C(1, "Al", "Con", 500), C(2, "Bea", "Lab", 300)],
            electorate: 2000,
            invalidVotes: 10,
            previous: null);

        Assert.Equal(1000, seat.ValidVotes);
        Assert.Equal(
            [
                new CandidateFigures(1, "Al", "Con", 500, 50m, null, true),
                new CandidateFigures(2, "Bea", "Lab", 300, 30m, null, false),
                new CandidateFigures(3, "Cy", "LD", 200, 20m, null, false),
            ],
            seat.Candidates);
        Assert.Equal(seat.Candidates[0], seat.Winner);
        Assert.Empty(seat.TiedParties);
        Assert.Equal(200, seat.Majority);
        Assert.Equal(20m, seat.MajorityPercent);
        Assert.Equal(50m, seat.Turnout);
        Assert.Equal(50.5m, seat.BallotTurnout);
        Assert.Equal("Con win", seat.Result);
        Assert.False(seat.Gain);
        Assert.Null(seat.PreviousWinnerParty);
        Assert.Null(seat.Swing);
    }

    [Fact]
    public void Mansfield_2017_Con_gain_from_Lab()
    {
        // House of Commons Library data.
        // 2017: Con 23,392 + Lab 22,335 + UKIP 2,654 + LD 697 = 49,078 valid; electorate 77,811.
        // 2015: Lab 18,603 + Con 13,288 + UKIP 11,850 + LD 1,642 + Green 1,486 = 46,869 valid; Lab won.
        var previous = new PreviousSeat(
            Votes(("Lab", 18603), ("Con", 13288), ("UKIP", 11850), ("LD", 1642), ("Green", 1486)),
            "Lab");

        var seat = SeatArithmetic.Compute(
            [
                C(11, "Alan Meale", "Lab", 22335),
                C(12, "Anthony Harper", "LD", 697),
                C(10, "Ben Bradley", "Con", 23392),
                C(13, "Sid Pepper", "UKIP", 2654),
            ],
            electorate: 77811,
            invalidVotes: null,
            previous);

        Assert.Equal(49078, seat.ValidVotes);

        // Majority 23,392 - 22,335 = 1,057; 105,700 / 49,078 = 2.1537... -> 2.15.
        Assert.Equal(1057, seat.Majority);
        Assert.Equal(2.15m, seat.MajorityPercent);

        // Turnout 4,907,800 / 77,811 = 63.0733... -> 63.07. No invalid-vote count given.
        Assert.Equal(63.07m, seat.Turnout);
        Assert.Null(seat.BallotTurnout);

        Assert.Equal("Con gain from Lab", seat.Result);
        Assert.True(seat.Gain);
        Assert.Equal("Lab", seat.PreviousWinnerParty);
        Assert.Equal("Ben Bradley", seat.Winner?.Name);

        // Con share change, exact: 100 × (23,392 × 46,869 − 13,288 × 49,078) / (49,078 × 46,869)
        //   = 100 × (1,096,359,648 − 652,148,464) / 2,300,236,782 = 100 × 444,211,184 / 2,300,236,782 = 19.3115... -> 19.31
        //   (47.6629... − 28.3513...).
        // Lab: 100 × (22,335 × 46,869 − 18,603 × 49,078) / 2,300,236,782 = 100 × (1,046,819,115 − 912,998,034) / 2,300,236,782
        //   = 100 × 133,821,081 / 2,300,236,782 = 5.8177... -> 5.82 (45.5091... − 39.6914...).
        // UKIP: 5.4077... − 25.2832... = −19.8755... -> −19.88.   LD: 1.4201... − 3.5033... = −2.0831... -> −2.08.
        Assert.Equal(
            [
                new CandidateFigures(10, "Ben Bradley", "Con", 23392, 47.66m, 19.31m, true),
                new CandidateFigures(11, "Alan Meale", "Lab", 22335, 45.51m, 5.82m, false),
                new CandidateFigures(13, "Sid Pepper", "UKIP", 2654, 5.41m, -19.88m, false),
                new CandidateFigures(12, "Anthony Harper", "LD", 697, 1.42m, -2.08m, false),
            ],
            seat.Candidates);

        // Butler swing Lab -> Con = (Con change − Lab change) / 2, exact:
        //   100 × (444,211,184 − 133,821,081) / (2 × 2,300,236,782) = 100 × 310,390,103 / 4,600,473,564 = 6.7469...
        //   Points 6.75; the text reads the points to 1 dp, 6.8, so that it agrees with them (the exact 6.7469... would read 6.7).
        Assert.Equal(new Swing("Lab", "Con", 6.75m, "6.8% from Lab to Con"), seat.Swing);
    }

    [Fact]
    public void Two_way_tie_at_the_top_is_never_broken()
    {
        // Con 400, Lab 400, LD 200: valid 1,000. Tied candidates ordered by name: Al (Con), Bea (Lab).
        // Previous: Con 300, Lab 500, LD 200 (LD won). Swing between the first two in order, Con (A) and Lab (B):
        //   Con 40 − 30 = +10, Lab 40 − 50 = −10; (10 − (−10)) / 2 = 10 from Lab to Con.
        var seat = SeatArithmetic.Compute(
            [C(2, "Bea", "Lab", 400), C(3, "Cy", "LD", 200), C(1, "Al", "Con", 400)],
            electorate: 4000,
            invalidVotes: 0,
            new PreviousSeat(Votes(("Con", 300), ("Lab", 500), ("LD", 200)), "LD"));

        Assert.Null(seat.Winner);
        Assert.DoesNotContain(seat.Candidates, c => c.Elected);
        Assert.Equal(["Con", "Lab"], seat.TiedParties);
        Assert.Equal(0, seat.Majority);
        Assert.Equal(0m, seat.MajorityPercent);
        Assert.Equal("Tie between Con and Lab", seat.Result);
        Assert.False(seat.Gain);
        Assert.Equal("LD", seat.PreviousWinnerParty);
        Assert.Equal(25m, seat.Turnout); // 1,000 / 4,000
        Assert.Equal(25m, seat.BallotTurnout);
        Assert.Equal(new Swing("Lab", "Con", 10m, "10.0% from Lab to Con"), seat.Swing);
    }

    [Fact]
    public void Three_way_tie_at_the_top()
    {
        // Con, Lab, LD 100 each, Green 50: valid 350; each tied share 100/350 = 28.5714... -> 28.57.
        var seat = SeatArithmetic.Compute(
            [C(4, "Dee", "Green", 50), C(3, "Cy", "LD", 100), C(2, "Bea", "Lab", 100), C(1, "Al", "Con", 100)],
            electorate: null,
            invalidVotes: null,
            new PreviousSeat(Votes(("Con", 10)), "Con"));

        Assert.Null(seat.Winner);
        Assert.DoesNotContain(seat.Candidates, c => c.Elected);
        Assert.Equal(["Con", "Lab", "LD"], seat.TiedParties);
        Assert.Equal(0, seat.Majority);
        Assert.Equal("Tie between Con, Lab and LD", seat.Result);
        Assert.False(seat.Gain);
        Assert.Equal(28.57m, seat.Candidates[0].Share);
        Assert.Null(seat.Turnout);
        Assert.Null(seat.BallotTurnout);
        Assert.Null(seat.Swing); // Lab had no votes previously
    }

    [Fact]
    public void All_zero_votes_is_a_tie_with_no_shares()
    {
        var seat = SeatArithmetic.Compute(
            [C(2, "Bea", "Lab", 0), C(1, "Al", "Con", 0)],
            electorate: 1000,
            invalidVotes: 5,
            previous: null);

        Assert.Equal(0, seat.ValidVotes);
        Assert.Null(seat.Winner);
        Assert.Equal(["Con", "Lab"], seat.TiedParties);
        Assert.All(seat.Candidates, c => Assert.Null(c.Share));
        Assert.All(seat.Candidates, c => Assert.False(c.Elected));
        Assert.Equal(0, seat.Majority);
        Assert.Null(seat.MajorityPercent); // 0 / 0
        Assert.Equal(0m, seat.Turnout);
        Assert.Equal(0.5m, seat.BallotTurnout); // 5 / 1,000
        Assert.Equal("Tie between Con and Lab", seat.Result);
    }

    [Fact]
    public void No_candidates()
    {
        var seat = SeatArithmetic.Compute([], electorate: 1000, invalidVotes: null, previous: null);

        Assert.Equal(0, seat.ValidVotes);
        Assert.Empty(seat.Candidates);
        Assert.Null(seat.Winner);
        Assert.Empty(seat.TiedParties);
        Assert.Null(seat.Majority);
        Assert.Null(seat.Result);
        Assert.False(seat.Gain);
    }

    [Fact]
    public void One_candidate_who_went_to_a_poll()
    {
        // 1,234 of 1,234 = 100%; turnout 1,234 / 5,000 = 24.68%; no majority without a runner-up.
        var seat = SeatArithmetic.Compute([C(1, "Al", "Con", 1234)], electorate: 5000, invalidVotes: 16, previous: null);

        Assert.Equal(new CandidateFigures(1, "Al", "Con", 1234, 100m, null, true), seat.Winner);
        Assert.Null(seat.Majority);
        Assert.Null(seat.MajorityPercent);
        Assert.Equal(24.68m, seat.Turnout);
        Assert.Equal(25m, seat.BallotTurnout); // 1,250 / 5,000
        Assert.Equal("Con win", seat.Result);
        Assert.Null(seat.Swing);
    }

    [Fact]
    public void Uncontested_Speaker_is_elected_with_no_percentages()
    {
        var seat = SeatArithmetic.Compute(
            [C(1, "John Bercow", "Spk", 0)],
            electorate: 70000,
            invalidVotes: 0,
            new PreviousSeat(Votes(("Spk", 30000), ("Green", 10000)), "Spk"),
            uncontested: true);

        Assert.Equal(new CandidateFigures(1, "John Bercow", "Spk", 0, null, null, true), seat.Winner);
        Assert.Null(seat.Majority);
        Assert.Null(seat.MajorityPercent);
        Assert.Null(seat.Turnout);
        Assert.Null(seat.BallotTurnout);
        Assert.Equal("Spk hold", seat.Result);
        Assert.False(seat.Gain);
        Assert.Null(seat.Swing);
    }

    [Fact]
    public void Uncontested_flag_with_several_candidates_is_treated_as_a_normal_contest()
    {
        var seat = SeatArithmetic.Compute(
            [C(1, "Al", "Con", 3), C(2, "Bea", "Lab", 1)], electorate: 8, invalidVotes: null, previous: null, uncontested: true);

        Assert.Equal(75m, seat.Winner?.Share); // 3 / 4
        Assert.Equal(2, seat.Majority);
        Assert.Equal(50m, seat.MajorityPercent); // 2 / 4
        Assert.Equal(50m, seat.Turnout); // 4 / 8
    }

    [Fact]
    public void Speakers_seat_contested_is_a_Spk_hold_with_no_swing()
    {
        // Now: Spk 30,000, Green 6,000, UKIP 4,000 = 40,000 -> 75%, 15%, 10%.
        // Before: Spk 20,000, UKIP 10,000, Green 5,000, Ind 5,000 = 40,000 -> 50%, 25%, 12.5%, 12.5%.
        // Changes: Spk +25, Green +2.5, UKIP −15. Majority 24,000 = 60%.
        // The Speaker stands without a party, so there is no swing (the Library gives none; Buckingham 2017).
        var seat = SeatArithmetic.Compute(
            [C(3, "Ukip", "UKIP", 4000), C(1, "Speaker", "Spk", 30000), C(2, "Green", "Green", 6000)],
            electorate: null,
            invalidVotes: null,
            new PreviousSeat(Votes(("Spk", 20000), ("UKIP", 10000), ("Green", 5000), ("Ind", 5000)), "Spk"));

        Assert.Equal("Spk hold", seat.Result);
        Assert.False(seat.Gain);
        Assert.Equal(24000, seat.Majority);
        Assert.Equal(60m, seat.MajorityPercent);
        Assert.Equal([25m, 2.5m, -15m], seat.Candidates.Select(c => c.ShareChange));
        Assert.Null(seat.Swing);
    }

    [Fact]
    public void New_party_and_independents_have_no_share_change()
    {
        // Now: Con 400, Lab 300, Reform 200, Ind 100 = 1,000.  Before: Con 500, Lab 400, Ind 100 = 1,000.
        // Con 40 − 50 = −10; Lab 30 − 40 = −10; Reform new -> null; Ind -> null even though "Ind" had votes before.
        var seat = SeatArithmetic.Compute(
            [C(1, "A", "Con", 400), C(2, "B", "Lab", 300), C(3, "C", "Reform", 200), C(4, "D", "Ind", 100)],
            electorate: null,
            invalidVotes: null,
            new PreviousSeat(Votes(("Con", 500), ("Lab", 400), ("Ind", 100)), "Con"));

        Assert.Equal([-10m, -10m, null, null], seat.Candidates.Select(c => c.ShareChange));
        Assert.Equal("Con hold", seat.Result);
        Assert.Equal(new Swing("Lab", "Con", 0m, "0.0% from Lab to Con"), seat.Swing);
    }

    [Fact]
    public void Swing_is_null_when_the_runner_up_is_new_or_independent()
    {
        var previous = new PreviousSeat(Votes(("Con", 500), ("Lab", 500)), "Con");

        var newParty = SeatArithmetic.Compute(
            [C(1, "A", "Con", 500), C(2, "B", "Reform", 400), C(3, "C", "Lab", 100)], null, null, previous);
        var independent = SeatArithmetic.Compute(
            [C(1, "A", "Ind", 500), C(2, "B", "Con", 400), C(3, "C", "Lab", 100)], null, null, previous);

        Assert.Null(newParty.Swing);
        Assert.Null(independent.Swing);
        Assert.Equal("Ind gain from Con", independent.Result);
    }

    [Fact]
    public void Several_candidates_of_one_party_compare_with_that_partys_previous_total()
    {
        // Now: Con 500, Lab (Ann) 300, Lab (Bob) 200 = 1,000.  Before: Con 400, Lab 600 = 1,000.
        // Ann 30 − 60 = −30; Bob 20 − 60 = −40; Con 50 − 40 = +10.
        // Swing uses party totals: Lab 50 − 60 = −10; (10 − (−10)) / 2 = 10 from Lab to Con.
        var seat = SeatArithmetic.Compute(
            [C(2, "Ann", "Lab", 300), C(3, "Bob", "Lab", 200), C(1, "Cat", "Con", 500)],
            null,
            null,
            new PreviousSeat(Votes(("Con", 400), ("Lab", 600)), "Lab"));

        Assert.Equal([10m, -30m, -40m], seat.Candidates.Select(c => c.ShareChange));
        Assert.Equal(new Swing("Lab", "Con", 10m, "10.0% from Lab to Con"), seat.Swing);
        Assert.Equal("Con gain from Lab", seat.Result);
    }

    [Fact]
    public void Swing_is_null_when_the_top_two_share_a_party()
    {
        var seat = SeatArithmetic.Compute(
            [C(1, "Ann", "Lab", 400), C(2, "Bob", "Lab", 350), C(3, "Cat", "Con", 250)],
            null,
            null,
            new PreviousSeat(Votes(("Con", 400), ("Lab", 600)), "Lab"));

        Assert.Null(seat.Swing);
        Assert.Equal("Lab hold", seat.Result);
    }

    [Theory]
    [InlineData("Con", "Con hold", false)]
    [InlineData("Lab", "Con gain from Lab", true)]
    [InlineData(null, "Con win", false)]
    public void Gain_versus_hold(string? previousWinner, string expectedResult, bool expectedGain)
    {
        var seat = SeatArithmetic.Compute(
            [C(1, "Al", "Con", 600), C(2, "Bea", "Lab", 400)],
            null,
            null,
            new PreviousSeat(Votes(("Con", 500), ("Lab", 500)), previousWinner));

        Assert.Equal(expectedResult, seat.Result);
        Assert.Equal(expectedGain, seat.Gain);
        Assert.Equal(previousWinner, seat.PreviousWinnerParty);
    }

    [Fact]
    public void Equal_votes_below_the_top_are_ordered_by_name_then_id()
    {
        var seat = SeatArithmetic.Compute(
            [C(9, "Zed", "Grn", 10), C(8, "Amy", "LD", 10), C(7, "Amy", "SNP", 10), C(1, "Top", "Con", 50)],
            null,
            null,
            null);

        Assert.Equal([1L, 7L, 8L, 9L], seat.Candidates.Select(c => c.CandidacyId));
        Assert.Empty(seat.TiedParties);
    }

    [Fact]
    public void Input_order_does_not_matter()
    {
        CandidateVotes[] candidates =
        [
            C(10, "Ben Bradley", "Con", 23392),
            C(11, "Alan Meale", "Lab", 22335),
            C(13, "Sid Pepper", "UKIP", 2654),
            C(12, "Anthony Harper", "LD", 697),
            C(14, "Tie Tester", "Grn", 697),
        ];
        var previous = new PreviousSeat(
            Votes(("Lab", 18603), ("Con", 13288), ("UKIP", 11850), ("LD", 1642), ("Green", 1486)), "Lab");
        var expected = SeatArithmetic.Compute(candidates, 77811, 300, previous);

        foreach (var permutation in Permutations(candidates))
        {
            var actual = SeatArithmetic.Compute(permutation, 77811, 300, previous);
            Assert.Equal(expected.Candidates, actual.Candidates);
            Assert.Equal(expected.TiedParties, actual.TiedParties);
            Assert.Equal(
                expected with { Candidates = [], TiedParties = [] },
                actual with { Candidates = [], TiedParties = [] });
        }
    }

    [Fact]
    public void Tie_order_does_not_depend_on_input_order()
    {
        CandidateVotes[] candidates = [C(3, "Cy", "LD", 7), C(1, "Al", "Con", 7), C(2, "Bea", "Lab", 7)];
        foreach (var permutation in Permutations(candidates))
        {
            var seat = SeatArithmetic.Compute(permutation, null, null, null);
            Assert.Equal(["Con", "Lab", "LD"], seat.TiedParties);
            Assert.Equal("Tie between Con, Lab and LD", seat.Result);
        }
    }

    [Fact]
    public void Totals_beyond_int_range()
    {
        // 3,000,000,000 + 2,000,000,000 = 5,000,000,000 > int.MaxValue (2,147,483,647).
        // Shares 60 / 40; majority 1,000,000,000 = 20%; turnout 5e9 / 10e9 = 50%; ballot (5e9 + 3e9) / 10e9 = 80%.
        var seat = SeatArithmetic.Compute(
            [C(1, "Al", "Con", 3_000_000_000), C(2, "Bea", "Lab", 2_000_000_000)],
            electorate: 10_000_000_000,
            invalidVotes: 3_000_000_000,
            new PreviousSeat(Votes(("Con", 2_500_000_000), ("Lab", 2_500_000_000)), "Lab"));

        Assert.Equal(5_000_000_000, seat.ValidVotes);
        Assert.Equal([60m, 40m], seat.Candidates.Select(c => c.Share));
        Assert.Equal([10m, -10m], seat.Candidates.Select(c => c.ShareChange)); // 60 − 50, 40 − 50
        Assert.Equal(1_000_000_000, seat.Majority);
        Assert.Equal(20m, seat.MajorityPercent);
        Assert.Equal(50m, seat.Turnout);
        Assert.Equal(80m, seat.BallotTurnout);
        Assert.Equal(new Swing("Lab", "Con", 10m, "10.0% from Lab to Con"), seat.Swing);
    }

    [Fact]
    public void Negative_votes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SeatArithmetic.Compute([C(1, "Al", "Con", -1)], null, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SeatArithmetic.Compute([C(1, "Al", "Con", 1)], null, -1, null));
    }

    private static IEnumerable<CandidateVotes[]> Permutations(CandidateVotes[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
