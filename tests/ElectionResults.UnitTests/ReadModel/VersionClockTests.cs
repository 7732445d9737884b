using ElectionResults.Api.ReadModel;

namespace ElectionResults.UnitTests.ReadModel;

public class VersionClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waiting_for_a_version_already_seen_or_older_returns_true_at_once()
    {
        var clock = new VersionClock(TimeProvider.System);
        clock.Observe(7);

        Assert.True(await clock.WaitForVersionAsync(7, TimeSpan.Zero, Ct));
        Assert.True(await clock.WaitForVersionAsync(3, TimeSpan.Zero, Ct));
        Assert.False(await clock.WaitForVersionAsync(8, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Waiting_for_a_version_returns_true_once_it_is_seen_past_the_ones_before_it()
    {
        var clock = new VersionClock(TimeProvider.System);
        clock.Observe(1);

        var waiting = clock.WaitForVersionAsync(3, TimeSpan.FromSeconds(30), Ct);
        clock.Observe(2);
        await Task.Delay(10, Ct);
        Assert.False(waiting.IsCompleted);   // 2 is not yet 3
        clock.Observe(3);

        Assert.True(await waiting);
    }

    [Fact]
    public async Task Waiting_for_a_version_never_seen_returns_false_after_the_timeout()
    {
        var clock = new VersionClock(TimeProvider.System);
        clock.Observe(5);

        Assert.False(await clock.WaitForVersionAsync(6, TimeSpan.FromMilliseconds(50), Ct));
    }
}
