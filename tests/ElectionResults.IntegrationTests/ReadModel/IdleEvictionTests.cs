using System.Net;
using System.Net.Http.Headers;
using ElectionResults.Api.ReadModel;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElectionResults.IntegrationTests.ReadModel;

/// <summary>
/// Load on demand and eviction: an instance loads no election before it is read, drops an election's snapshot (and its
/// documents in the front door) once nobody has read it for ReadModel:EvictIdleAfterSeconds, keeps one that is polled
/// (through the front door too), and loads a dropped one again with the same bytes and ETags.
/// </summary>
public sealed class IdleEvictionTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string Tally = "/v1/elections/ge2017/tally";
    private const string Mansfield = "/v1/elections/ge2017/constituencies/E14000810";

    /// <summary>Short, but long enough that a busy machine's pauses between two reads do not count as idleness.</summary>
    private const int IdleSeconds = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFactory? _instance;

    public async ValueTask InitializeAsync()
    {
        await api.LoadDemoDataAsync();
        _instance = api.CreateInstance(new Dictionary<string, string> { ["ReadModel:EvictIdleAfterSeconds"] = IdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }

    private SnapshotStore Snapshots => _instance!.Services.GetRequiredService<SnapshotStore>();

    private static async Task<(string ETag, string Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.ETag!.ToString(), await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        return condition();
    }

    [Fact]
    public async Task A_snapshot_nobody_reads_is_dropped_and_loaded_again_with_the_same_documents()
    {
        using var client = _instance!.CreateClient();
        await EventuallyAsync(() => _instance.Services.GetRequiredService<VersionClock>().IsListening, TimeSpan.FromSeconds(10));

        // Started, and nothing loaded: elections are read on demand.
        Assert.False(Snapshots.IsLoaded("ge2017"));
        Assert.False(Snapshots.IsLoaded("ge2015"));

        var tally = await GetAsync(client, Tally);
        var seat = await GetAsync(client, Mansfield);
        Assert.True(Snapshots.IsLoaded("ge2017"));
        // The baseline's results are read with ge2017, but its own snapshot is not loaded.
        Assert.False(Snapshots.IsLoaded("ge2015"));

        Assert.True(await EventuallyAsync(() => !Snapshots.IsLoaded("ge2017"), TimeSpan.FromSeconds(IdleSeconds * 5)), "ge2017 was never dropped");

        // The front door forgot the documents too: the next read reaches the endpoint, which loads the election again.
        var tallyAgain = await GetAsync(client, Tally);
        Assert.True(Snapshots.IsLoaded("ge2017"));
        Assert.Equal(tally, tallyAgain);
        Assert.Equal(seat, await GetAsync(client, Mansfield));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Tally);
        conditional.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(tally.ETag));
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_snapshot_polled_through_the_front_door_is_kept()
    {
        using var client = _instance!.CreateClient();
        await EventuallyAsync(() => _instance.Services.GetRequiredService<VersionClock>().IsListening, TimeSpan.FromSeconds(10));
        var (etag, _) = await GetAsync(client, Tally);
        var loaded = await Snapshots.GetAsync("ge2017", Ct);

        // Two and a half idle periods of polls that the front door answers without asking for the snapshot.
        var until = DateTime.UtcNow.AddSeconds(IdleSeconds * 2.5);
        while (DateTime.UtcNow < until)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, Tally);
            poll.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(poll, Ct)).StatusCode);
            await Task.Delay(100, Ct);
        }

        // The very same snapshot: never dropped and loaded again.
        Assert.Same(loaded, await Snapshots.GetAsync("ge2017", Ct));
    }
}
