using System.Net;
using System.Net.Http.Json;
using ElectionResults.Api.ReadModel;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ElectionResults.IntegrationTests.ReadModel;

/// <summary>
/// A snapshot is patched, not read again whole, when the database is a commit ahead of the notifications: the refresh
/// waits a moment for the missing one. At 6,500 seats a whole read costs a second, with every reader queued behind it.
/// </summary>
public sealed class SnapshotPatchTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Mansfield = "E14000810";
    private const string AmberValley = "E14000533";
    private const string Ashfield = "E14000535";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Candidate(long Id, long? Votes);

    private sealed record Seat(int? Revision, List<Candidate> Candidates);

    [Fact]
    public async Task A_refresh_that_finds_an_unheard_commit_waits_for_its_notification_and_patches_the_seats()
    {
        var night = await TwoCorrectionsAsync();

        // The first correction is heard of; the second one's notification arrives while the refresh has already found the
        // database at its version.
        night.Hear(night.First, Mansfield);
        var late = Task.Run(async () =>
        {
            await Task.Delay(50, Ct);
            night.Hear(night.Second, AmberValley);
        }, Ct);

        var after = (await night.Store.GetAsync("ge2017", Ct))!;
        await late;

        var before = night.Before;
        Assert.Equal(night.Second, after.Version);
        Assert.Equal(before.SeatsByCode[Mansfield].Current!.Number + 1, after.SeatsByCode[Mansfield].Current!.Number);
        Assert.Equal(before.SeatsByCode[AmberValley].Current!.Number + 1, after.SeatsByCode[AmberValley].Current!.Number);
        // Patched: the seats nobody wrote are the very objects of the snapshot before (a whole read makes new ones).
        Assert.Same(before.SeatsByCode[Ashfield], after.SeatsByCode[Ashfield]);
        Assert.Equal(before.Seats.Count, after.Seats.Count);
    }

    [Fact]
    public async Task A_commit_never_heard_of_is_read_whole_after_the_grace()
    {
        var night = await TwoCorrectionsAsync();
        night.Hear(night.First, Mansfield);

        var after = (await night.Store.GetAsync("ge2017", Ct))!;

        // Nothing more arrives: after the grace the election is read whole, at the database's version, both corrections in.
        var before = night.Before;
        Assert.Equal(night.Second, after.Version);
        Assert.Equal(before.SeatsByCode[AmberValley].Current!.Number + 1, after.SeatsByCode[AmberValley].Current!.Number);
        Assert.NotSame(before.SeatsByCode[Ashfield], after.SeatsByCode[Ashfield]);
        Assert.Equal(before.SeatsByCode[Ashfield].Current!.DeclarationId, after.SeatsByCode[Ashfield].Current!.DeclarationId);
    }

    /// <summary>
    /// A store of ge2017 that has read the election (<see cref="Before"/>) and is told of changes by the test instead of a
    /// listener, and the versions of two corrections made since, of Mansfield (<see cref="First"/>) then of Amber Valley.
    /// </summary>
    private sealed record Night(SnapshotStore Store, VersionClock Clock, SeatChangeLog Changes, ElectionSnapshot Before, long First, long Second)
    {
        /// <summary>What the listener would do on the notification of <paramref name="version"/>.</summary>
        public void Hear(long version, string code)
        {
            Changes.Record(version, ChangeScope.Seat("ge2017", code));
            Clock.Observe(version);
        }
    }

    private async Task<Night> TwoCorrectionsAsync()
    {
        await api.LoadDemoDataAsync();
        var dataSource = api.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        var clock = new VersionClock(TimeProvider.System);
        var changes = new SeatChangeLog();
        var store = new SnapshotStore(dataSource, clock, changes, TimeProvider.System, NullLogger<SnapshotStore>.Instance);
        clock.SetListening(true);
        var before = (await store.GetAsync("ge2017", Ct))!;

        await CorrectAsync(Mansfield);
        var first = await VersionAsync(dataSource);
        await CorrectAsync(AmberValley);
        var second = await VersionAsync(dataSource);
        Assert.True(second > first && first > before.Version, $"versions {before.Version}, {first}, {second}");
        return new Night(store, clock, changes, before, first, second);
    }

    private static async Task<long> VersionAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM data_version");
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>A correction of the seat through the API: one more invalid vote, the votes as they are.</summary>
    private async Task CorrectAsync(string code)
    {
        var path = $"/v1/elections/ge2017/constituencies/{code}";
        using var current = await api.Client.GetAsync(path, Ct);
        var seat = (await current.Content.ReadFromJsonAsync<Seat>(Ct))!;
        using var correction = new HttpRequestMessage(HttpMethod.Post, $"{path}/declarations")
        {
            Content = JsonContent.Create(new
            {
                votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value }).ToArray(),
                invalidVotes = 100 + seat.Revision,
                declaredAt = "2017-06-09T04:17:00+01:00",
                source = "Returning officer",
                reason = "snapshot patch check",
            }),
        };
        correction.Headers.IfMatch.Add(current.Headers.ETag!);
        using var written = await api.Admin.SendAsync(correction, Ct);
        Assert.True(written.StatusCode == HttpStatusCode.Created, $"{code}: {(int)written.StatusCode} {await written.Content.ReadAsStringAsync(Ct)}");
    }
}
