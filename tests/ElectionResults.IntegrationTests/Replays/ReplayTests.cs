using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ElectionResults.IntegrationTests.Replays;

/// <summary>
/// Replays of the 2017 night (the demo data) into test elections: the end state, the timing at high speeds, pause and resume,
/// a restart of the instance playing it, and two instances of which exactly one plays. This class's own host never plays
/// (Replays:Play=false); each test starts the players it needs as further instances on the same database.
/// </summary>
public sealed class ReplayTests(ReplayTests.ReplayFixture fixture) : IClassFixture<ReplayTests.ReplayFixture>
{
    public sealed class ReplayFixture(PostgresServer server) : IAsyncLifetime
    {
        public ApiFixture Api { get; } = new(server);

        public async ValueTask InitializeAsync()
        {
            Api.Settings["Replays:Play"] = "false";
            await Api.InitializeAsync();
            await Api.LoadDemoDataAsync();
        }

        public ValueTask DisposeAsync() => Api.DisposeAsync();
    }

    private const long IdBlock = 1_000_000_000_000;

    private ApiFixture Api => fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ReplayDto(
        string ElectionId, string SourceElectionId, string State, double Speed, DateTimeOffset StartAt, int Total, int Published, int Remaining,
        DateTimeOffset? NextAt, DateTimeOffset? Position, DateOnly NightOf, DateTimeOffset? NightTime);

    private WebApplicationFactory<Program> Player(double leaseSeconds = 10) =>
        Api.CreateInstance(new Dictionary<string, string> { ["Replays:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private async Task<ReplayDto> StartAsync(string target, double speed, DateTimeOffset? startAt = null)
    {
        var response = await Api.Admin.PostAsJsonAsync($"/v1/elections/{target}/replays", new { sourceElectionId = "ge2017", speed, startAt }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<ReplayDto>();
    }

    private async Task<ReplayDto> CurrentAsync(string target) =>
        await (await Api.Client.GetAsync($"/v1/elections/{target}/replays/current", Ct)).ReadAsync<ReplayDto>();

    private async Task<ReplayDto> WaitAsync(string target, Func<ReplayDto, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var replay = await CurrentAsync(target);
            if (until(replay))
            {
                return replay;
            }

            Assert.True(DateTime.UtcNow < deadline, $"replay into {target} still at {replay.Published}/{replay.Total} ({replay.State})");
            await Task.Delay(200, Ct);
        }
    }

    private async Task<List<(string Code, long? Majority, string? Result, string? Winner)>> SeatsAsync(string election)
    {
        var list = await (await Api.Client.GetAsync($"/v1/elections/{election}/constituencies", Ct)).ReadAsync<ConstituencyListDto>();
        return list.Constituencies.Select(s => (s.Code, s.Majority, s.Result, s.Winner?.Name)).ToList();
    }

    [Fact]
    public async Task A_replay_of_2017_at_speed_3600_ends_with_the_published_result_and_the_same_650_seats()
    {
        await using var player = Player();
        using var _ = player.CreateClient();

        var started = await StartAsync("rehearsal-2017", 3600);
        Assert.Equal(("playing", 651, 0), (started.State, started.Total, started.Published));
        var finished = await WaitAsync("rehearsal-2017", r => r.State == "finished", TimeSpan.FromMinutes(3));
        Assert.Equal((651, 0), (finished.Published, finished.Remaining));

        var tally = await (await Api.Client.GetAsync("/v1/elections/rehearsal-2017/tally", Ct)).ReadAsync<TallyDto>();
        Assert.True(tally.IsTest);
        Assert.Equal((650, 650), (tally.Seats, tally.Declared));
        Assert.Equal((317, 262, 35, 12, 10, 7, 4, 1),
            (tally.Party("Con").Seats, tally.Party("Lab").Seats, tally.Party("SNP").Seats, tally.Party("LD").Seats, tally.Party("DUP").Seats,
             tally.Party("SF").Seats, tally.Party("PC").Seats, tally.Party("Green").Seats));
        Assert.Equal(await SeatsAsync("ge2017"), await SeatsAsync("rehearsal-2017"));

        // Mansfield went through its correction on the way, as on the night.
        var revisions = await (await Api.Client.GetAsync("/v1/elections/rehearsal-2017/constituencies/E14000810/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal(["Lab hold", "Con gain from Lab"], revisions.Revisions.Select(r => r.Result));

        // Stable ids: the source's + slot × 10^12.
        await using var connection = await Api.OpenConnectionAsync();
        var mismatched = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM candidacies s
            LEFT JOIN candidacies t ON t.id = s.id + (SELECT slot FROM replay_targets WHERE election_id = 'rehearsal-2017') * 1000000000000
                                   AND t.election_id = 'rehearsal-2017' AND t.name = s.name AND t.party_code = s.party_code
            WHERE s.election_id = 'ge2017' AND t.id IS NULL
            """, cancellationToken: Ct));
        Assert.Equal(0, mismatched);

        // Never early: each revision was published no sooner than its offset / speed after the start.
        var early = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM replay_steps s JOIN replays r USING (election_id)
            WHERE s.election_id = 'rehearsal-2017'
              AND s.published_at < r.start_at + (s.offset_ms / 3600) * interval '1 millisecond' - interval '5 milliseconds'
            """, cancellationToken: Ct));
        Assert.Equal(0, early);

        // The feed of a test election says so on every item.
        var feed = JsonDocument.Parse(await Api.Client.GetStringAsync("/v1/elections/rehearsal-2017/changes?since=0", Ct)).RootElement;
        Assert.Equal(650, feed.GetProperty("changes").GetArrayLength());
        Assert.All(feed.GetProperty("changes").EnumerateArray(), c => Assert.True(c.GetProperty("isTest").GetBoolean()));
        var live = JsonDocument.Parse(await Api.Client.GetStringAsync("/v1/elections/ge2017/changes?since=0", Ct)).RootElement;
        Assert.All(live.GetProperty("changes").EnumerateArray(), c => Assert.False(c.GetProperty("isTest").GetBoolean()));

        // A second replay into the same target resets it and gives the same ids again.
        var again = await StartAsync("rehearsal-2017", 1, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal((0, 651), (again.Published, again.Remaining));
        var tallyAfterReset = await (await Api.Client.GetAsync("/v1/elections/rehearsal-2017/tally", Ct)).ReadAsync<TallyDto>();
        Assert.Equal(0, tallyAfterReset.Declared);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(new CommandDefinition(mismatchedSql, cancellationToken: Ct)));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Admin.DeleteAsync("/v1/elections/rehearsal-2017/replays/current", Ct)).StatusCode);
    }

    private const string mismatchedSql = """
        SELECT count(*) FROM candidacies s
        LEFT JOIN candidacies t ON t.id = s.id + (SELECT slot FROM replay_targets WHERE election_id = 'rehearsal-2017') * 1000000000000
                               AND t.election_id = 'rehearsal-2017'
        WHERE s.election_id = 'ge2017' AND t.id IS NULL
        """;

    [Fact]
    public async Task A_replay_waits_for_its_start_plays_in_order_and_pauses_and_resumes()
    {
        // The player's clock is a fake that only this test moves, and the test talks to the player's own instance (so its
        // writes wake it): what is published depends on the clock alone, never on how fast the machine is.
        // It starts on a whole millisecond: PostgreSQL keeps microseconds, the clock ticks of 100 ns.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        // Its polls are an hour long, so only the clock (or a write to this instance) sets it going.
        await using var player = Api.CreateInstance(new Dictionary<string, string> { ["Replays:PollMilliseconds"] = "3600000" })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var admin = player.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);
        async Task<ReplayDto> Current() => await (await admin.GetAsync("/v1/elections/rehearsal-timing/replays/current", Ct)).ReadAsync<ReplayDto>();
        async Task<ReplayDto> Patch(object change) =>
            await (await admin.PatchAsJsonAsync("/v1/elections/rehearsal-timing/replays/current", change, Ct)).ReadAsync<ReplayDto>();
        Task<ReplayDto> Until(Func<ReplayDto, bool> done) => UntilPlayedAsync(Current, done);

        // Real time: the first revision is due at startAt, the next one minutes of the night later.
        var startAt = clock.GetUtcNow().AddMinutes(10);
        var response = await admin.PostAsJsonAsync("/v1/elections/rehearsal-timing/replays", new { sourceElectionId = "ge2017", speed = 1, startAt }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var started = await response.ReadAsync<ReplayDto>();
        Assert.Equal(startAt, started.NextAt);
        await using var connection = await Api.OpenConnectionAsync();
        var offsets = (await connection.QueryAsync<double>(new CommandDefinition(
            "SELECT offset_ms FROM replay_steps WHERE election_id = 'rehearsal-timing' ORDER BY seq", cancellationToken: Ct))).ToArray();
        Assert.Equal(651, offsets.Length);
        Assert.True(offsets[1] > 60_000, $"the night's second revision is {offsets[1]} ms after the first");

        // A millisecond before the start nothing is due; at the start the first revision is, and only it.
        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, (await Current()).Published);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var first = await Until(r => r.Published >= 1);
        Assert.Equal(1, first.Published);
        Assert.Equal(startAt.AddMilliseconds(offsets[1]).ToUnixTimeMilliseconds(), first.NextAt!.Value.ToUnixTimeMilliseconds(), 1.0);

        // Faster: at 3600 a second of the clock is an hour of the night. Play up to halfway between the 20th and the 21st
        // revisions' offsets: exactly those up to there are published.
        var faster = await Patch(new { speed = 3600 });
        Assert.Equal(3600, faster.Speed);
        var reach = offsets[19] + ((offsets[20] - offsets[19]) / 2);
        var expected = offsets.Count(o => o <= reach);
        clock.Advance(TimeSpan.FromMilliseconds(reach / 3600));
        await Until(r => r.Published >= expected);
        Assert.Equal(expected, (await Current()).Published);

        // Paused, the night stands still however long the clock runs.
        var paused = await Patch(new { state = "paused" });
        Assert.Equal("paused", paused.State);
        Assert.Null(paused.NextAt);
        clock.Advance(TimeSpan.FromHours(1));
        var held = await Current();
        Assert.Equal((expected, paused.Position), (held.Published, held.Position));

        // Resumed at full speed: a second of the clock is more than the rest of the night.
        await Patch(new { state = "playing", speed = 100000 });
        clock.Advance(TimeSpan.FromSeconds(1));
        var done = await Until(r => r.State == "finished");
        Assert.Equal(651, done.Published);

        // Published in the plan's order, each no sooner than it was due on the clock.
        var outOfOrder = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM (
                SELECT published_at < lag(published_at) OVER (ORDER BY seq) AS back FROM replay_steps WHERE election_id = 'rehearsal-timing') x
            WHERE back
            """, cancellationToken: Ct));
        Assert.Equal(0, outOfOrder);

        var over = await admin.PatchAsJsonAsync("/v1/elections/rehearsal-timing/replays/current", new { state = "playing" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
    }

    [Fact]
    public async Task A_replay_stamps_the_nights_time_of_day_on_the_rehearsals_night_and_publishes_at_the_real_time()
    {
        // The rehearsal starts at 20:00 GMT on Thursday 4 December 2025 on a fake clock that only this test moves; the source's
        // night (8 June 2017) was on BST. Its times of day must come back as they were, in GMT, on the rehearsal's night.
        var start = new DateTimeOffset(2025, 12, 4, 20, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var player = Api.CreateInstance(new Dictionary<string, string> { ["Replays:PollMilliseconds"] = "3600000" })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var admin = player.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);
        async Task<ReplayDto> Current() => await (await admin.GetAsync("/v1/elections/rehearsal-clock/replays/current", Ct)).ReadAsync<ReplayDto>();

        // What the rehearsal's clock must read for a time of the source's night, worked out by hand: 2017's night was on
        // BST (UTC+1) and December 2025 is on GMT (UTC+0), so the UK time of day is kept and the date moved from
        // 8 June 2017 to 4 December 2025.
        var pollingDay = new DateOnly(2017, 6, 8);
        DateTimeOffset Night(DateTimeOffset original)
        {
            var local = original.UtcDateTime.AddHours(1);
            var date = new DateOnly(2025, 12, 4).AddDays(DateOnly.FromDateTime(local).DayNumber - pollingDay.DayNumber);
            return new DateTimeOffset(date.ToDateTime(TimeOnly.FromDateTime(local)), TimeSpan.Zero);
        }

        var response = await admin.PostAsJsonAsync("/v1/elections/rehearsal-clock/replays", new { sourceElectionId = "ge2017", speed = 3600, startAt = start }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var started = await response.ReadAsync<ReplayDto>();
        Assert.Equal(new DateOnly(2025, 12, 4), started.NightOf);
        Assert.Equal(Night(started.Position!.Value), started.NightTime);

        await using var connection = await Api.OpenConnectionAsync();
        var offsets = (await connection.QueryAsync<double>(new CommandDefinition(
            "SELECT offset_ms FROM replay_steps WHERE election_id = 'rehearsal-clock' ORDER BY seq", cancellationToken: Ct))).ToArray();

        // At the start the night's first revisions are due; then, a whole millisecond of the clock past the next offset, the
        // next ones (at 3600 a millisecond is 3.6 s of the night, far less than the minutes between 2017's first declarations).
        await Until(r => r.Published >= offsets.Count(o => o == 0));
        var second = offsets.First(o => o > 0);
        var advance = TimeSpan.FromMilliseconds(Math.Ceiling(second / 3600));
        Assert.True(advance.TotalMilliseconds * 3600 < offsets.First(o => o > second), "the advance reaches past the next offset but one");
        clock.Advance(advance);
        var expected = offsets.Count(o => o <= advance.TotalMilliseconds * 3600);
        Assert.True(expected >= 2, $"{expected} revisions due");
        var reached = await Until(r => r.Published >= expected);
        Assert.Equal(expected, reached.Published);

        // The resource's clock: the source's night as far as it has played (its first publication + 3600 × the elapsed time),
        // on the rehearsal's night.
        Assert.Equal(started.Position!.Value.AddMilliseconds(advance.TotalMilliseconds * 3600), reached.Position);
        Assert.Equal(Night(reached.Position!.Value), reached.NightTime);
        Assert.Equal(DayOfWeek.Thursday, reached.NightTime!.Value.DayOfWeek);

        // In the database: each replayed revision has the source's declaredAt on the rehearsal's night and was published at
        // the (fake) real time it was played; the source's own revisions are untouched.
        var rows = (await connection.QueryAsync<(string Code, DateTime SourceDeclaredAt, DateTime DeclaredAt, DateTime PublishedAt, double OffsetMs, DateTime StepPublishedAt)>(new CommandDefinition("""
            SELECT src.constituency_code, src.declared_at, d.declared_at, d.published_at, s.offset_ms, s.published_at
            FROM replay_steps s
            JOIN declarations src ON src.id = s.source_declaration_id
            JOIN declarations d ON d.id = s.declaration_id
            WHERE s.election_id = 'rehearsal-clock' ORDER BY s.seq
            """, cancellationToken: Ct))).ToArray();
        Assert.Equal(expected, rows.Length);
        foreach (var row in rows)
        {
            var sourceDeclaredAt = new DateTimeOffset(row.SourceDeclaredAt, TimeSpan.Zero);
            Assert.Equal((2017, 6), (sourceDeclaredAt.Year, sourceDeclaredAt.Month));
            Assert.Equal(Night(sourceDeclaredAt), new DateTimeOffset(row.DeclaredAt, TimeSpan.Zero));
            var playedAt = row.OffsetMs == 0 ? start : start + advance;
            Assert.Equal(playedAt, new DateTimeOffset(row.PublishedAt, TimeSpan.Zero));
            Assert.Equal(playedAt, new DateTimeOffset(row.StepPublishedAt, TimeSpan.Zero));
        }

        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM declarations WHERE election_id = 'ge2017' AND declared_at >= '2017-07-01'
            """, cancellationToken: Ct)));

        // Served (by the instance that played them, which reads its own writes): the seat, its revisions and the timeline.
        foreach (var row in rows)
        {
            var declaredAt = Night(new DateTimeOffset(row.SourceDeclaredAt, TimeSpan.Zero));
            var playedAt = row.OffsetMs == 0 ? start : start + advance;
            var seat = await (await admin.GetAsync($"/v1/elections/rehearsal-clock/constituencies/{row.Code}", Ct)).ReadAsync<ConstituencyDto>();
            Assert.Equal(declaredAt, seat.DeclaredAt);
            var revisions = JsonDocument.Parse(await admin.GetStringAsync($"/v1/elections/rehearsal-clock/constituencies/{row.Code}/revisions", Ct))
                .RootElement.GetProperty("revisions").EnumerateArray().Single();
            Assert.Equal(declaredAt, revisions.GetProperty("declaredAt").GetDateTimeOffset());
            Assert.Equal(playedAt, revisions.GetProperty("publishedAt").GetDateTimeOffset());
        }

        var timeline = JsonDocument.Parse(await admin.GetStringAsync("/v1/elections/rehearsal-clock/timeline", Ct)).RootElement
            .GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("kind").GetString() != "nominations").ToArray();
        Assert.Equal(rows.Select(r => (r.Code, r.OffsetMs == 0 ? start : start + advance, Night(new DateTimeOffset(r.SourceDeclaredAt, TimeSpan.Zero)))),
            timeline.Select(e => (e.GetProperty("code").GetString()!, e.GetProperty("publishedAt").GetDateTimeOffset(), e.GetProperty("declaredAt").GetDateTimeOffset())));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/elections/rehearsal-clock/replays/current", Ct)).StatusCode);

        Task<ReplayDto> Until(Func<ReplayDto, bool> done) => UntilPlayedAsync(Current, done);
    }

    /// <summary>
    /// Polls the replay until <paramref name="done"/> holds: waits for the player to act on a moment the (fake) clock has
    /// already reached, the verdict being in the asserts after it. The deadline only turns a player that never acts into a
    /// failure instead of a hang.
    /// </summary>
    private static async Task<ReplayDto> UntilPlayedAsync(Func<Task<ReplayDto>> current, Func<ReplayDto, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var replay = await current();
            if (done(replay))
            {
                return replay;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the player did not act on the clock: {replay.Published}/{replay.Total} ({replay.State})");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task A_replay_survives_a_restart_and_is_played_by_one_instance_at_a_time()
    {
        var first = Player(leaseSeconds: 2);
        using (first.CreateClient())
        {
            await StartAsync("rehearsal-restart", 600);
            await WaitAsync("rehearsal-restart", r => r.Published >= 3, TimeSpan.FromSeconds(60));
        }

        // The instance stops (its leases go with it); nothing plays until another one is up.
        await first.DisposeAsync();
        var stoppedAt = (await CurrentAsync("rehearsal-restart")).Published;
        await Task.Delay(1500, Ct);
        Assert.Equal(stoppedAt, (await CurrentAsync("rehearsal-restart")).Published);

        // Two instances come up; the plan is in the database, and one of them carries on alone.
        await using var second = Player(leaseSeconds: 2);
        await using var third = Player(leaseSeconds: 2);
        using var secondClient = second.CreateClient();
        using var thirdClient = third.CreateClient();
        await Api.Admin.PatchAsJsonAsync("/v1/elections/rehearsal-restart/replays/current", new { speed = 100000 }, Ct);
        var done = await WaitAsync("rehearsal-restart", r => r.State == "finished", TimeSpan.FromMinutes(2));
        Assert.Equal(651, done.Published);

        await using var connection = await Api.OpenConnectionAsync();
        var players = (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT published_by FROM replay_steps WHERE election_id = 'rehearsal-restart' AND seq > @stoppedAt GROUP BY published_by
            """, new { stoppedAt }, cancellationToken: Ct))).ToArray();
        Assert.Single(players);
        var before = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT published_by FROM replay_steps WHERE election_id = 'rehearsal-restart' AND seq = 1", cancellationToken: Ct));
        Assert.NotEqual(before, players[0]);
        Assert.Equal(651L, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM declarations WHERE election_id = 'rehearsal-restart'", cancellationToken: Ct)));
        Assert.Equal(await SeatsAsync("ge2017"), await SeatsAsync("rehearsal-restart"));
    }

    [Fact]
    public async Task A_replay_carries_the_nominations_before_any_declaration_and_its_nomination_feed_shows_them()
    {
        // No player runs here: what a rehearsal shows before its first revision is due is what the start wrote.
        await StartAsync("rehearsal-nominations", 60, DateTimeOffset.UtcNow.AddHours(1));

        // Every seat's candidates, as in the source, before its declaration.
        var source = await (await Api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000810", Ct)).ReadAsync<ConstituencyDto>();
        var rehearsal = await (await Api.Client.GetAsync("/v1/elections/rehearsal-nominations/constituencies/E14000810", Ct)).ReadAsync<ConstituencyDto>();
        Assert.Null(rehearsal.Revision);
        Assert.True(rehearsal.IsTest);
        Assert.Equal(source.Candidates.Select(c => (c.Name, c.Party)).Order(), rehearsal.Candidates.Select(c => (c.Name, c.Party)).Order());

        // The nomination feed: each of the 650 seats once, as a nominations change of a test election.
        var feed = JsonDocument.Parse(await Api.Client.GetStringAsync("/v1/elections/rehearsal-nominations/changes?since=0", Ct)).RootElement;
        var changes = feed.GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal(650, changes.Length);
        Assert.All(changes, c => Assert.Equal(("nominations", true), (c.GetProperty("kind").GetString(), c.GetProperty("isTest").GetBoolean())));

        // In the database: one "added" per candidacy of the rehearsal, by the replay, each naming a candidacy of its own seat.
        await using var connection = await Api.OpenConnectionAsync();
        var (candidacies, added, wrong) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM candidacies WHERE election_id = 'rehearsal-nominations'),
                   count(*) FILTER (WHERE n.change = 'added' AND n.entered_by = 'replay'),
                   count(*) FILTER (WHERE c.id IS NULL)
            FROM nomination_changes n
            LEFT JOIN candidacies c ON c.id = n.candidacy_id AND c.election_id = n.election_id AND c.constituency_code = n.constituency_code
            WHERE n.election_id = 'rehearsal-nominations'
            """, cancellationToken: Ct));
        Assert.Equal(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM candidacies WHERE election_id = 'ge2017'", cancellationToken: Ct)), candidacies);
        Assert.Equal((candidacies, 0L), (added, wrong));

        // A reset writes them again, once.
        await StartAsync("rehearsal-nominations", 60, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(candidacies, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM nomination_changes WHERE election_id = 'rehearsal-nominations'", cancellationToken: Ct)));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Admin.DeleteAsync("/v1/elections/rehearsal-nominations/replays/current", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_replay_is_refused_on_a_live_election_and_with_a_bad_source()
    {
        var live = await Api.Admin.PostAsJsonAsync("/v1/elections/ge2015/replays", new { sourceElectionId = "ge2017", speed = 60 }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, live.StatusCode);

        var missing = await Api.Admin.PostAsJsonAsync("/v1/elections/rehearsal-x/replays", new { sourceElectionId = "ge1066", speed = 60 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ReadAsync<ProblemDto>()).Errors!.ContainsKey("sourceElectionId"));

        var slow = await Api.Admin.PostAsJsonAsync("/v1/elections/rehearsal-x/replays", new { sourceElectionId = "ge2017", speed = 0 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, slow.StatusCode);
        Assert.True((await slow.ReadAsync<ProblemDto>()).Errors!.ContainsKey("speed"));

        Assert.Equal(HttpStatusCode.NotFound, (await Api.Client.GetAsync("/v1/elections/ge2017/replays/current", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Client.GetAsync("/v1/elections/rehearsal-x/tally", Ct)).StatusCode);
    }
}
