using ElectionResults.Api.Features.Imports;

namespace ElectionResults.UnitTests.Imports;

public class UkTimeTests
{
    [Theory]
    [InlineData("2017-06-09 02:41:00", "2017-06-09T02:41:00+01:00")] // election night 2017: BST
    [InlineData("2015-05-08 01:30:00", "2015-05-08T01:30:00+01:00")]
    [InlineData("2019-12-13 03:00:00", "2019-12-13T03:00:00+00:00")] // December: GMT
    [InlineData("2017-03-26 00:59:00", "2017-03-26T00:59:00+00:00")] // clocks go forward at 01:00 GMT on 26 March 2017
    [InlineData("2017-03-26 02:00:00", "2017-03-26T02:00:00+01:00")]
    [InlineData("2017-10-29 00:30:00", "2017-10-29T00:30:00+01:00")] // and back at 02:00 BST on 29 October
    [InlineData("2017-10-29 02:00:00", "2017-10-29T02:00:00+00:00")]
    public void Wall_clock_times_get_the_uk_offset_of_their_date(string local, string expected)
    {
        var time = UkTime.FromLocal(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, time.Offset);
    }

    [Theory]
    [InlineData("2017-06-09T01:41:00Z", "2017-06-09 02:41:00")] // BST
    [InlineData("2019-12-13T03:00:00Z", "2019-12-13 03:00:00")] // GMT
    [InlineData("2017-03-26T00:59:59Z", "2017-03-26 00:59:59")] // the last second of GMT in spring
    [InlineData("2017-03-26T01:00:00Z", "2017-03-26 02:00:00")] // clocks go forward
    [InlineData("2017-10-29T00:59:59Z", "2017-10-29 01:59:59")] // the last second of BST in autumn
    [InlineData("2017-10-29T01:00:00Z", "2017-10-29 01:00:00")] // clocks go back
    [InlineData("2017-06-09T02:41:00+01:00", "2017-06-09 02:41:00")] // any offset: the instant counts
    public void An_instant_reads_as_the_uk_wall_clock_time(string instant, string local)
    {
        var time = UkTime.ToLocal(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), time);
    }
}
