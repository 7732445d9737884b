using System.Globalization;
using ElectionResults.Api.Features.Replays;

namespace ElectionResults.UnitTests.Replays;

public class NightClockTests
{
    private static readonly DateOnly PollingDay2017 = new(2017, 6, 8);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    // The night of 8 June 2017 (BST) rehearsed on 4 December 2026 (GMT): the same wall-clock times, so the instants move by
    // a whole number of days and one hour.
    [InlineData("2017-06-08T22:00:00+01:00", "2026-12-04T22:00:00+00:00")] // the polls close
    [InlineData("2017-06-08T23:48:00+01:00", "2026-12-04T23:48:00+00:00")] // the first declaration, on polling day
    [InlineData("2017-06-09T00:05:00+01:00", "2026-12-05T00:05:00+00:00")] // after midnight: the morning after the start date
    [InlineData("2017-06-09T02:30:00+01:00", "2026-12-05T02:30:00+00:00")]
    [InlineData("2017-06-09T04:17:30.250+01:00", "2026-12-05T04:17:30.250+00:00")] // seconds and milliseconds kept
    [InlineData("2017-06-08T23:30:00+00:00", "2026-12-05T00:30:00+00:00")] // given in UTC: 00:30 BST on 9 June
    [InlineData("2017-06-12T14:00:00+01:00", "2026-12-08T14:00:00+00:00")] // a correction four days later is four days later
    [InlineData("2017-06-07T18:00:00+01:00", "2026-12-03T18:00:00+00:00")] // the day before polling day stays the day before
    public void A_time_of_the_night_keeps_its_uk_time_of_day_and_its_day_offset(string original, string expected)
    {
        var clock = new NightClock(PollingDay2017, new DateOnly(2026, 12, 4));

        var night = clock.ToNight(At(original));

        Assert.Equal(At(expected), night);
        Assert.Equal(At(expected).Offset, night.Offset);
    }

    [Fact]
    public void A_winter_night_rehearsed_in_summer_reads_in_bst()
    {
        // 2019's election was held on 12 December (GMT); a rehearsal in June is on BST.
        var clock = new NightClock(new DateOnly(2019, 12, 12), new DateOnly(2027, 6, 10));

        Assert.Equal(At("2027-06-11T03:00:00+01:00"), clock.ToNight(At("2019-12-13T03:00:00+00:00")));
        Assert.Equal(TimeSpan.FromHours(1), clock.ToNight(At("2019-12-13T03:00:00+00:00")).Offset);
        Assert.Equal(At("2027-06-11T02:00:00Z"), clock.ToNight(At("2019-12-13T03:00:00Z")));
    }

    [Theory]
    [InlineData("2026-12-04T20:00:00Z", "2026-12-04")]
    [InlineData("2026-12-04T23:59:59Z", "2026-12-04")] // GMT: the UK date is the UTC date
    [InlineData("2027-06-10T22:59:59Z", "2027-06-10")] // 23:59:59 BST
    [InlineData("2027-06-10T23:30:00Z", "2027-06-11")] // 00:30 BST: already the next UK day
    [InlineData("2027-06-11T00:30:00+01:00", "2027-06-11")]
    public void The_rehearsals_night_is_the_uk_date_on_which_the_replay_started(string startAt, string nightOf)
    {
        var clock = NightClock.Starting(PollingDay2017, At(startAt));

        Assert.Equal(DateOnly.Parse(nightOf, CultureInfo.InvariantCulture), clock.NightOf);
        Assert.Equal(PollingDay2017, clock.SourcePollingDay);
    }

    [Fact]
    public void A_replay_started_after_midnight_uk_time_rehearses_the_night_of_that_new_day()
    {
        // 00:30 BST on 11 June 2027 is 23:30 UTC on the 10th: the night is the 11th's, so 02:30 the morning after is on the 12th.
        var clock = NightClock.Starting(PollingDay2017, At("2027-06-10T23:30:00Z"));

        Assert.Equal(At("2027-06-12T02:30:00+01:00"), clock.ToNight(At("2017-06-09T02:30:00+01:00")));
    }

    [Fact]
    public void On_a_night_the_clocks_go_forward_the_skipped_hour_lands_at_02_00_bst_and_the_order_is_kept()
    {
        // The clocks go forward at 01:00 GMT on Sunday 28 March 2027: 01:00–01:59 does not exist that morning.
        var clock = new NightClock(PollingDay2017, new DateOnly(2027, 3, 27));

        var times = new[] { "2017-06-09T00:59:00+01:00", "2017-06-09T01:00:00+01:00", "2017-06-09T01:30:00+01:00", "2017-06-09T02:00:00+01:00", "2017-06-09T02:10:00+01:00" }
            .Select(t => clock.ToNight(At(t))).ToArray();

        Assert.Equal(
            [At("2027-03-28T00:59:00+00:00"), At("2027-03-28T02:00:00+01:00"), At("2027-03-28T02:00:00+01:00"), At("2027-03-28T02:00:00+01:00"), At("2027-03-28T02:10:00+01:00")],
            times);
        Assert.Equal(times.Order(), times);
        Assert.Equal(TimeSpan.FromHours(1), times[2].Offset);
    }

    [Fact]
    public void On_a_night_the_clocks_go_back_the_repeated_hour_is_the_first_and_the_order_is_kept()
    {
        // The clocks go back at 02:00 BST on Sunday 31 October 2027: 01:00–01:59 happens twice that morning.
        var clock = new NightClock(PollingDay2017, new DateOnly(2027, 10, 30));

        var times = new[] { "2017-06-09T00:30:00+01:00", "2017-06-09T01:30:00+01:00", "2017-06-09T02:30:00+01:00" }
            .Select(t => clock.ToNight(At(t))).ToArray();

        Assert.Equal([At("2027-10-31T00:30:00+01:00"), At("2027-10-31T01:30:00+01:00"), At("2027-10-31T02:30:00+00:00")], times);
        Assert.Equal(times.Order(), times);
        // An hour and a half of the night become two and a half hours of the rehearsal's clock: the repeated hour is in between.
        Assert.Equal(TimeSpan.FromHours(2), times[2] - times[1]);
    }

    [Fact]
    public void A_source_night_in_the_repeated_hour_reads_by_its_wall_clock()
    {
        // 01:30 GMT on 29 October 2017 is the second 01:30 of that morning; elsewhere it is just 01:30.
        var clock = new NightClock(new DateOnly(2017, 10, 28), new DateOnly(2026, 12, 4));

        Assert.Equal(At("2026-12-05T01:30:00+00:00"), clock.ToNight(At("2017-10-29T01:30:00+00:00")));
        Assert.Equal(At("2026-12-05T01:30:00+00:00"), clock.ToNight(At("2017-10-29T01:30:00+01:00")));
    }

    [Fact]
    public void No_time_stays_no_time()
    {
        var clock = new NightClock(PollingDay2017, new DateOnly(2026, 12, 4));

        Assert.Null(clock.ToNight((DateTimeOffset?)null));
        Assert.Equal(At("2026-12-05T02:30:00Z"), clock.ToNight((DateTimeOffset?)At("2017-06-09T01:30:00Z")));
    }

    [Fact]
    public void A_rehearsal_on_the_source_polling_day_reads_exactly_as_the_night()
    {
        var clock = new NightClock(PollingDay2017, PollingDay2017);

        Assert.Equal(At("2017-06-09T04:17:00+01:00"), clock.ToNight(At("2017-06-09T04:17:00+01:00")));
    }
}
