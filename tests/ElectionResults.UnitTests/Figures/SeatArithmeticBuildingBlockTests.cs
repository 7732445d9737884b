using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

public class SeatArithmeticBuildingBlockTests
{
    [Theory]
    [InlineData(1, 3, "33.33")]     // 100/3 = 33.333... -> 33.33
    [InlineData(2, 3, "66.67")]     // 200/3 = 66.666... -> 66.67
    [InlineData(1, 8, "12.50")]     // 100/8 = 12.5 exactly
    [InlineData(1, 800, "0.13")]    // 100/800 = 0.125, a midpoint: away from zero -> 0.13 (banker's would give 0.12)
    [InlineData(3, 3, "100.00")]    // sole candidate
    [InlineData(0, 7, "0.00")]      // no votes
    [InlineData(23392, 49078, "47.66")] // Mansfield 2017 Con: 2,339,200/49,078 = 47.6629...
    public void Share_is_votes_over_valid_rounded_to_two_places(long votes, long valid, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SeatArithmetic.Share(votes, valid));

    [Fact]
    public void Share_carries_two_decimal_places_for_display()
    {
        // 100.00 rather than 100, so JSON shows a consistent scale.
        Assert.Equal("100.00", SeatArithmetic.Share(5, 5)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("12.50", SeatArithmetic.Share(1, 8)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    public void Share_is_null_without_valid_votes(long votes, long valid) =>
        Assert.Null(SeatArithmetic.Share(votes, valid));

    [Theory]
    [InlineData(1, 2, 1, 4, "25.00")]     // 50% now, 25% before: +25
    [InlineData(1, 4, 1, 2, "-25.00")]    // 25% now, 50% before: -25
    [InlineData(1, 800, 1, 1600, "0.06")] // exact 0.125 - 0.0625 = 0.0625 -> 0.06; rounding first would give 0.13 - 0.06 = 0.07
    [InlineData(0, 10, 1, 800, "-0.13")]  // 0 - 0.125 = -0.125, midpoint away from zero -> -0.13
    [InlineData(1, 3, 1, 3, "0.00")]      // unchanged
    public void ShareChange_rounds_the_exact_difference_once(long votesNow, long validNow, long votesPrev, long validPrev, string expected) =>
        Assert.Equal(
            decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            SeatArithmetic.ShareChange(votesNow, validNow, votesPrev, validPrev));

    [Theory]
    [InlineData(10, 100, 0, 100)] // party had no votes previously (new to the seat)
    [InlineData(10, 100, 5, 0)]   // no previous votes at all
    [InlineData(0, 0, 5, 100)]    // no valid votes now
    public void ShareChange_is_null_when_either_share_is_missing(long votesNow, long validNow, long votesPrev, long validPrev) =>
        Assert.Null(SeatArithmetic.ShareChange(votesNow, validNow, votesPrev, validPrev));

    [Fact]
    public void MajorityOf_is_top_minus_second_whatever_the_input_order()
    {
        // 10 - 7 = 3
        var votes = new[] { C(1, "A", "LD", 3), C(2, "B", "Con", 10), C(3, "C", "Lab", 7) };
        Assert.Equal(3, SeatArithmetic.MajorityOf(votes));
    }

    [Fact]
    public void MajorityOf_is_zero_for_a_tie_and_null_with_fewer_than_two_candidates()
    {
        Assert.Equal(0, SeatArithmetic.MajorityOf([C(1, "A", "Con", 5), C(2, "B", "Lab", 5)]));
        Assert.Null(SeatArithmetic.MajorityOf([C(1, "A", "Con", 5)]));
        Assert.Null(SeatArithmetic.MajorityOf([]));
    }

    [Theory]
    [InlineData(49078, 77811L, "63.07")] // Mansfield 2017: 4,907,800/77,811 = 63.0733...
    [InlineData(1234, 5000L, "24.68")]   // 123,400/5,000 = 24.68 exactly
    [InlineData(0, 1000L, "0.00")]
    [InlineData(1010, 2000L, "50.50")]   // ballot turnout with 1,000 valid + 10 invalid
    public void Turnout_is_votes_over_electorate(long votes, long? electorate, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SeatArithmetic.Turnout(votes, electorate));

    [Theory]
    [InlineData(100, null)]
    [InlineData(100, 0L)]
    public void Turnout_is_null_without_an_electorate(long votes, long? electorate) =>
        Assert.Null(SeatArithmetic.Turnout(votes, electorate));

    [Theory]
    [InlineData("Con", null, "", "Con win")]
    [InlineData("Con", "Con", "", "Con hold")]
    [InlineData("Spk", "Spk", "", "Spk hold")]
    [InlineData("Con", "Lab", "", "Con gain from Lab")]
    [InlineData("Spk", "Con", "", "Spk gain from Con")]
    [InlineData(null, "LD", "Con|Lab", "Tie between Con and Lab")]
    [InlineData(null, null, "Con|Lab|LD", "Tie between Con, Lab and LD")]
    [InlineData(null, null, "Con|Green|Lab|LD", "Tie between Con, Green, Lab and LD")]
    public void ResultText_reads_win_hold_gain_or_tie(string? winner, string? previousWinner, string tied, string expected) =>
        Assert.Equal(expected, SeatArithmetic.ResultText(winner, previousWinner, Split(tied)));

    [Fact]
    public void ResultText_is_null_without_winner_or_tie() =>
        Assert.Null(SeatArithmetic.ResultText(null, "Lab", []));

    [Theory]
    [InlineData("Con", "Lab", true)]
    [InlineData("Con", "Con", false)]
    [InlineData("Con", null, false)]
    [InlineData(null, "Con", false)]
    public void IsGain_needs_both_parties_known_and_different(string? winner, string? previousWinner, bool expected) =>
        Assert.Equal(expected, SeatArithmetic.IsGain(winner, previousWinner));

    [Fact]
    public void ButlerSwing_towards_the_leader()
    {
        // Before: Con 40/100 = 40%, Lab 40%, LD 20%.  Now: Con 45/100 = 45%, Lab 40%, LD 15%.
        // ((45 - 40) - (40 - 40)) / 2 = 2.5, positive: from Lab to Con.
        var swing = SeatArithmetic.ButlerSwing(
            "Con",
            "Lab",
            Votes(("Con", 45), ("Lab", 40), ("LD", 15)),
            Votes(("Con", 40), ("Lab", 40), ("LD", 20)));

        Assert.Equal(new Swing("Lab", "Con", 2.50m, "2.5% from Lab to Con"), swing);
    }

    [Fact]
    public void ButlerSwing_away_from_the_leader()
    {
        // Before: Con 60%, Lab 20%, LD 20%.  Now: Con 50%, Lab 30%, LD 20% (Con still wins).
        // ((50 - 60) - (30 - 20)) / 2 = (-10 - 10) / 2 = -10: 10 points from Con to Lab.
        var swing = SeatArithmetic.ButlerSwing(
            "Con",
            "Lab",
            Votes(("Con", 500), ("Lab", 300), ("LD", 200)),
            Votes(("Con", 600), ("Lab", 200), ("LD", 200)));

        Assert.Equal(new Swing("Con", "Lab", 10.00m, "10.0% from Con to Lab"), swing);
    }

    [Fact]
    public void ButlerSwing_of_zero_is_reported_from_runner_up_to_leader()
    {
        // Before: Con 40%, Lab 30%, LD 30%.  Now: Con 30%, Lab 20%, LD 50%.  ((-10) - (-10)) / 2 = 0.
        var swing = SeatArithmetic.ButlerSwing(
            "Con",
            "Lab",
            Votes(("Con", 30), ("Lab", 20), ("LD", 50)),
            Votes(("Con", 40), ("Lab", 30), ("LD", 30)));

        Assert.Equal(new Swing("Lab", "Con", 0.00m, "0.0% from Lab to Con"), swing);
    }

    [Fact]
    public void ButlerSwing_text_rounds_midpoints_away_from_zero()
    {
        // Before: Con 50%, Green 12.5% (of 40,000).  Now: Con 75%, Green 15% (of 40,000).
        // ((75 - 50) - (15 - 12.5)) / 2 = (25 - 2.5) / 2 = 11.25 -> Points 11.25, text 11.3.
        var swing = SeatArithmetic.ButlerSwing(
            "Con",
            "Green",
            Votes(("Con", 30000), ("Green", 6000), ("UKIP", 4000)),
            Votes(("Con", 20000), ("UKIP", 10000), ("Green", 5000), ("Ind", 5000)));

        Assert.Equal(new Swing("Green", "Con", 11.25m, "11.3% from Green to Con"), swing);
    }

    [Theory]
    [InlineData("Spk", "Green")]
    [InlineData("Green", "Spk")]
    public void ButlerSwing_is_null_when_the_Speaker_is_either_side(string a, string b)
    {
        // Buckingham 2017: the real figures would give "0.9% from Spk to Green"; the Library gives no swing for the Speaker.
        var swing = SeatArithmetic.ButlerSwing(
            a,
            b,
            Votes(("Spk", 34299), ("Green", 8574), ("Ind", 5638), ("UKIP", 4168)),
            Votes(("Spk", 34617), ("UKIP", 11675), ("Green", 7400)));

        Assert.Null(swing);
    }

    [Theory]
    [InlineData("Con", "Con")]    // top two share a party
    [InlineData("Con", "Ind")]    // independents are different people
    [InlineData("Ind", "Con")]
    [InlineData("Con", "Reform")] // Reform had no votes here previously
    [InlineData("Reform", "Con")]
    public void ButlerSwing_is_null_when_it_means_nothing(string partyA, string partyB)
    {
        var now = Votes(("Con", 40), ("Ind", 30), ("Reform", 30));
        var previous = Votes(("Con", 60), ("Ind", 40));
        Assert.Null(SeatArithmetic.ButlerSwing(partyA, partyB, now, previous));
    }

    internal static CandidateVotes C(long id, string name, string party, long votes) => new(id, name, party, votes);

    internal static Dictionary<string, long> Votes(params (string Party, long Votes)[] votes) =>
        votes.ToDictionary(v => v.Party, v => v.Votes, StringComparer.Ordinal);

    private static string[] Split(string parties) =>
        parties.Length == 0 ? [] : parties.Split('|');
}
