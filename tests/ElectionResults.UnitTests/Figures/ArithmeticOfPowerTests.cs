using ElectionResults.Api.Features.Figures;

namespace ElectionResults.UnitTests.Figures;

public sealed class ArithmeticOfPowerTests
{
    [Theory]
    [InlineData(650, 1, 7, 322)]   // GE2017, GE2019 and GE2024: the Speaker and 7 Sinn Féin members: (650 − 8) / 2 + 1
    [InlineData(650, 0, 0, 326)]   // before either has won a seat: the overall majority line
    [InlineData(650, 1, 0, 325)]   // floor(649 / 2) + 1
    [InlineData(18, 0, 7, 6)]      // Northern Ireland's 18 seats with 7 Sinn Féin: (18 − 7) / 2 + 1
    [InlineData(1, 1, 0, 1)]       // the Speaker's own seat: no one left to vote, one seat still makes a majority of none
    public void The_working_majority_line_leaves_out_the_Speaker_and_Sinn_Fein(int seats, int speaker, int sinnFein, int expected) =>
        Assert.Equal(expected, Tally.WorkingMajorityLine(seats, speaker, sinnFein));

    [Fact]
    public void The_working_majority_line_refuses_more_abstainers_than_seats()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tally.WorkingMajorityLine(5, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tally.WorkingMajorityLine(5, -1, 0));
    }

    [Theory]
    [InlineData(326, 0, 326, "majority")]      // exactly at the line
    [InlineData(325, 0, 326, "cannotReach")]   // one short with nothing left: a hung parliament for this party
    [InlineData(325, 1, 326, "canReach")]      // one short with one seat open: a tie at the line still counts as reachable
    [InlineData(0, 650, 326, "canReach")]      // nothing declared
    [InlineData(317, 0, 326, "cannotReach")]   // GE2017's Conservatives once all 650 were declared
    [InlineData(365, 0, 326, "majority")]      // GE2019's Conservatives
    [InlineData(411, 239, 326, "majority")]    // a majority is a majority however many seats are open
    public void A_partys_standing_against_the_line(int seats, int open, int line, string expected) =>
        Assert.Equal(expected, Tally.MajorityStatus(seats, open, line));
}
