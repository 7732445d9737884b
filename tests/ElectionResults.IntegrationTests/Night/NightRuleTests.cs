using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using ElectionResults.IntegrationTests.Imports;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ElectionResults.IntegrationTests.Night;

/// <summary>The rules of each night state, one at a time, through HTTP (and the database where history is concerned).</summary>
public sealed class NightRuleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static int _seatCounter;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(NightDesk Desk, DeskSeat Seat)> NewSeatAsync(DateTimeOffset? expected = null)
    {
        var desk = new NightDesk(api);
        await desk.SetUpAsync();
        var n = Interlocked.Increment(ref _seatCounter);
        return (desk, await desk.SeatAsync($"E91{n:D6}", $"Rule seat {n}", expected));
    }

    [Fact]
    public async Task Figures_electing_someone_other_than_the_called_winner_are_a_correction()
    {
        var (desk, seat) = await NewSeatAsync();
        await desk.SubmitAsync(seat, new { status = "winnerKnown", winnerCandidateId = seat.Con, source = "Call" });

        var withoutIfMatch = await desk.PostAsync(seat, NightDesk.Declared(seat, 100, 200, 10));
        Assert.Equal(HttpStatusCode.Conflict, withoutIfMatch.StatusCode);
        var withoutReason = await desk.PostAsync(seat, NightDesk.Declared(seat, 100, 200, 10), (await desk.ReadAsync(seat)).ETag);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Contains("reason", (await withoutReason.ReadAsync<ProblemDto>()).Errors!.Keys);

        var corrected = await desk.SubmitAsync(seat, NightDesk.Declared(seat, 100, 200, 10, reason: "The call was wrong"), withIfMatch: true);

        Assert.Equal(("Lab hold", true, "The call was wrong"), (corrected.Result, corrected.Corrected, corrected.Reason));
        Assert.Equal(["winnerKnown", "corrected"], (await desk.RevisionsAsync(seat)).Revisions.Select(r => r.Kind));
        var item = (await desk.FeedAsync(0)).Feed.Changes.Single(c => c.Code == seat.Code);
        Assert.Equal(("corrected", new PreviousDto("winnerKnown", new WinnerDto("Ann Con", "Con"), "Con gain from Lab")), (item.Kind, item.Previous));
    }

    [Fact]
    public async Task A_call_must_name_a_candidate_of_the_seat_and_carries_no_votes()
    {
        var (desk, seat) = await NewSeatAsync();
        var before = await api.DumpAsync();

        var stranger = await desk.PostAsync(seat, new { status = "winnerKnown", winnerCandidateId = 999999, source = "Call" });
        var missing = await desk.PostAsync(seat, new { status = "winnerKnown", source = "Call" });
        var withVotes = await desk.PostAsync(seat, new { status = "winnerKnown", winnerCandidateId = seat.Con, source = "Call", votes = new[] { new { candidateId = seat.Con, votes = 1 } } });
        var lotOnCall = await desk.PostAsync(seat, new { status = "winnerKnown", winnerCandidateId = seat.Con, lotWinnerCandidateId = seat.Con, source = "Call" });

        Assert.Contains("winnerCandidateId", (await stranger.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Contains("WinnerCandidateId", (await missing.ReadAsync<ProblemDto>()).Errors!.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Votes", (await withVotes.ReadAsync<ProblemDto>()).Errors!.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("LotWinnerCandidateId", (await lotOnCall.ReadAsync<ProblemDto>()).Errors!.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.All([stranger, missing, withVotes, lotOnCall], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(before, await api.DumpAsync());
    }

    [Fact]
    public async Task A_declaration_time_more_than_five_minutes_ahead_of_the_clock_is_refused()
    {
        var (desk, seat) = await NewSeatAsync();
        string At(TimeSpan ahead) => DateTimeOffset.UtcNow.Add(ahead).ToString("O", CultureInfo.InvariantCulture);

        var future = await desk.PostAsync(seat, NightDesk.Declared(seat, 300, 200, 100, declaredAt: At(TimeSpan.FromMinutes(10))));
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("declaredAt", (await future.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Equal("notDeclared", (await desk.ReadAsync(seat)).Seat.Status);

        var slightlyAhead = await desk.PostAsync(seat, NightDesk.Declared(seat, 300, 200, 100, declaredAt: At(TimeSpan.FromMinutes(4))));
        Assert.Equal(HttpStatusCode.Created, slightlyAhead.StatusCode);
    }

    [Fact]
    public async Task Postponing_and_retracting_need_a_reason_and_a_retraction_needs_something_to_retract()
    {
        var (desk, seat) = await NewSeatAsync();

        var postponedWithoutReason = await desk.PostAsync(seat, new { status = "postponed", source = "RO" });
        var retractNothing = await desk.PostAsync(seat, new { status = "notDeclared", source = "Desk", reason = "oops" });

        Assert.Equal(HttpStatusCode.BadRequest, postponedWithoutReason.StatusCode);
        Assert.Contains("Reason", (await postponedWithoutReason.ReadAsync<ProblemDto>()).Errors!.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Conflict, retractNothing.StatusCode);

        // The schema refuses the same on its own.
        await using var connection = await api.OpenConnectionAsync();
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO declarations (election_id, constituency_code, revision, status, source, entered_by) VALUES ('night', @code, 1, 'postponed', 's', 'e')",
            new { seat.Code }));
        Assert.Equal("23514", refused.SqlState); // check_violation
        var unnumbered = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO declarations (election_id, constituency_code, revision, status, source, entered_by, reason) VALUES ('night', @code, 1, 'recount', 's', 'e', 'r')",
            new { seat.Code }));
        Assert.Equal("23514", unnumbered.SqlState);
    }

    [Fact]
    public async Task A_postponed_poll_reopens_nominations_which_appear_in_the_feed_and_its_declaration_works_as_usual()
    {
        var (desk, seat) = await NewSeatAsync();
        var start = (await desk.FeedAsync(0)).Feed;
        var nominated = start.Changes.Single(c => c.Code == seat.Code);
        Assert.Equal(("nominations", "notDeclared", (int?)null, (PreviousDto?)null), (nominated.Kind, nominated.Status, nominated.Revision, nominated.Previous));
        Assert.Empty(nominated.Areas);

        await desk.SubmitAsync(seat, new { status = "postponed", source = "RO", reason = "A candidate died" });
        var postponedAt = (await desk.FeedAsync(start.Cursor)).Feed.Cursor;
        var newcomer = await desk.NominateAsync(NightDesk.Election, seat.Code, "Dan Green", "LD", description: "Liberal Democrats");
        var item = Assert.Single((await desk.FeedAsync(start.Cursor)).Feed.Changes);
        Assert.Equal(("nominations", "postponed"), (item.Kind, item.Status));

        // A change and a withdrawal are nominations changes too.
        var extra = await desk.NominateAsync(NightDesk.Election, seat.Code, "Eve Extra", "Con");
        var changed = await api.Admin.PutAsJsonAsync($"{seat.Path}/candidates/{extra}", new { name = "Eve Extra-Smith", party = "Con" }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("nominations", Assert.Single((await desk.FeedAsync(item.Cursor)).Feed.Changes).Kind);
        var afterChange = (await desk.FeedAsync(item.Cursor)).Feed.Cursor;
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync($"{seat.Path}/candidates/{extra}", Ct)).StatusCode);
        Assert.Equal("nominations", Assert.Single((await desk.FeedAsync(afterChange)).Feed.Changes).Kind);
        await using (var connection = await api.OpenConnectionAsync())
        {
            var log = await connection.QueryAsync<string>(
                "SELECT change FROM nomination_changes WHERE constituency_code = @Code AND id > @postponedAt ORDER BY id", new { seat.Code, postponedAt });
            Assert.Equal(["added", "added", "changed", "withdrawn"], log);
        }

        var declared = await desk.SubmitAsync(seat, new
        {
            votes = new[] { new { candidateId = seat.Con, votes = 300L }, new { candidateId = seat.Lab, votes = 200L }, new { candidateId = seat.LD, votes = 100L }, new { candidateId = newcomer, votes = 50L } },
            declaredAt = "2017-06-23T02:00:00+01:00",
            source = "RO",
        });

        Assert.Equal(("declared", 2, "Con gain from Lab", false), (declared.Status, declared.Revision, declared.Result, declared.Corrected));
        Assert.Equal("Liberal Democrats", declared.Candidates.Single(c => c.Id == newcomer).Description);
        Assert.Equal("declared", (await desk.FeedAsync(0)).Feed.Changes.Single(c => c.Code == seat.Code).Kind);
        var frozen = await api.Admin.DeleteAsync($"{seat.Path}/candidates/{newcomer}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);
    }

    [Fact]
    public async Task A_cursor_newer_than_the_newest_change_is_a_400_naming_the_newest()
    {
        var (desk, seat) = await NewSeatAsync();
        await desk.SubmitAsync(seat, NightDesk.Declared(seat, 300, 200, 100));
        var newest = (await desk.FeedAsync(0)).Feed.Cursor;

        var changes = await api.Client.GetAsync($"/v1/elections/{NightDesk.Election}/changes?since={newest + 1000}", Ct);
        var events = await api.Client.GetAsync($"/v1/elections/{NightDesk.Election}/events?since={newest + 1000}", HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, changes.StatusCode);
        Assert.Equal("application/problem+json", changes.Content.Headers.ContentType?.MediaType);
        var problem = await changes.ReadAsync<CursorProblemDto>();
        Assert.Equal((400, newest), (problem.Status, problem.NewestCursor));
        Assert.Contains($"since={newest}", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, events.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync($"/v1/elections/{NightDesk.Election}/changes?since={newest}", Ct)).StatusCode);
    }

    private sealed record CursorProblemDto(int Status, string Detail, long NewestCursor);

    [Fact]
    public async Task Expected_times_sort_and_filter_the_list_and_import_from_uk_local_times()
    {
        var desk = new NightDesk(api);
        await desk.SetUpAsync();
        await desk.PutAsync("/v1/elections/times", new { name = "Times", pollingDay = "2017-06-08", kind = "general" });
        foreach (var (code, name) in new[] { ("E92000001", "Zeta"), ("E92000002", "Alpha"), ("E92000003", "Mid"), ("E92000004", "None") })
        {
            await desk.PutAsync($"/v1/elections/times/constituencies/{code}", new { name });
        }

        await desk.PutAsync("/v1/elections/times/constituencies/E92000003", new { name = "Mid", expectedDeclarationAt = "2017-06-09T02:30:00+01:00" });
        // UK local times, like the Library's files (BST in June): 00:45 BST = 23:45 UTC the day before.
        var file = Encoding.UTF8.GetBytes("ons_id,expected_declaration_time\nE92000001,2017-06-09 00:45:00\nE92000002,2017-06-09 04:00\n");
        var imported = await api.Admin.PostImportAsync("times", "expected-times", file, "expected.csv");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal((2, true), await ExpectedSummary(imported));
        var again = await api.Admin.PostImportAsync("times", "expected-times", file, "expected.csv");
        Assert.Equal((0, false), await ExpectedSummary(again));

        var sorted = await (await api.Client.GetAsync("/v1/elections/times/constituencies?sort=expected", Ct)).ReadAsync<ExpectedListDto>();
        Assert.Equal(["Zeta", "Mid", "Alpha", "None"], sorted.Constituencies.Select(c => c.Name));
        Assert.Equal(DateTimeOffset.Parse("2017-06-08T23:45:00Z", CultureInfo.InvariantCulture), sorted.Constituencies[0].ExpectedDeclarationAt);
        var due = await (await api.Client.GetAsync("/v1/elections/times/constituencies?expectedBefore=2017-06-09T02:30:00%2B01:00", Ct)).ReadAsync<ExpectedListDto>();
        Assert.Equal(["Zeta"], due.Constituencies.Select(c => c.Name)); // strictly before; by name
        var byName = await (await api.Client.GetAsync("/v1/elections/times/constituencies", Ct)).ReadAsync<ExpectedListDto>();
        Assert.Equal(["Alpha", "Mid", "None", "Zeta"], byName.Constituencies.Select(c => c.Name));

        var badSort = await api.Client.GetAsync("/v1/elections/times/constituencies?sort=votes", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        var before = await api.DumpAsync();
        var bad = await api.Admin.PostImportAsync("times", "expected-times",
            Encoding.UTF8.GetBytes("ons_id,expected_declaration_time\nE92000001,2017-06-09 01:00\nE99999999,2017-06-09 02:00\nE92000002,soon\n"), "bad.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var problem = await bad.ReadAsync<ImportProblemDto>();
        Assert.Equal([3, 4], problem.Errors!.Select(x => x.Line).Order());
        Assert.Equal(before, await api.DumpAsync());
    }

    private static async Task<(int ExpectedTimesSet, bool Changed)> ExpectedSummary(HttpResponseMessage response)
    {
        var summary = await response.ReadAsync<ExpectedSummaryDto>();
        return (summary.ExpectedTimesSet, summary.Changed);
    }

    private sealed record ExpectedSummaryDto(int ExpectedTimesSet, bool Changed);

    private sealed record ExpectedSummaryItemDto(string Code, string Name, DateTimeOffset? ExpectedDeclarationAt);

    private sealed record ExpectedListDto(List<ExpectedSummaryItemDto> Constituencies);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Remaining_expected_by_the_next_hour_follows_the_clock_without_any_write()
    {
        var night = new DateTimeOffset(2017, 6, 9, 1, 0, 0, TimeSpan.FromHours(1));
        var clock = new ManualClock(night);
        await using var instance = api.CreateInstance().WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = instance.CreateClient();
        var desk = new NightDesk(api);
        await desk.SetUpAsync();
        await desk.PutAsync("/v1/elections/clock", new { name = "Clock", pollingDay = "2017-06-08", kind = "general" });
        await desk.PutAsync("/v1/elections/clock/constituencies/E93000001", new { name = "Early", expectedDeclarationAt = night.AddMinutes(30) });
        await desk.PutAsync("/v1/elections/clock/constituencies/E93000002", new { name = "Later", expectedDeclarationAt = night.AddMinutes(90) });
        await desk.PutAsync("/v1/elections/clock/constituencies/E93000003", new { name = "Unknown" });

        async Task<NightTallyDto> Tally()
        {
            var tally = await (await client.GetAsync("/v1/elections/clock/tally", Ct)).ReadAsync<NightTallyDto>();
            tally.AssertAddsUp();
            return tally;
        }

        Assert.Equal((3, 1), ((await Tally()).Remaining, (await Tally()).RemainingExpectedByNextHour));
        clock.Now = night.AddMinutes(29);
        Assert.Equal(1, (await Tally()).RemainingExpectedByNextHour);
        clock.Now = night.AddMinutes(30); // "Later" (02:30) is now within the hour
        Assert.Equal(2, (await Tally()).RemainingExpectedByNextHour);
        Assert.Equal(2, (await Tally()).RemainingExpectedByNextHour); // and stays so when served from memory
    }

    [Fact]
    public async Task The_ballot_description_is_kept_per_candidacy_while_the_party_stays_Labour()
    {
        await api.PutElectionAsync("coop");
        var summary = await api.ImportAsync("coop", ImportClient.Candidates2017);
        Assert.True(summary.CandidaciesCreated > 0);

        var edgbaston = await (await api.Client.GetAsync("/v1/elections/coop/constituencies/E14000560", Ct)).ReadAsync<NightSeatDto>();
        var gill = edgbaston.Candidates.Single(c => c.Name == "Preet Gill");
        Assert.Equal(("Lab", "Labour and Co-operative Party"), (gill.Party, gill.Description));
        Assert.All(edgbaston.Candidates.Where(c => c.Name != "Preet Gill"), c => Assert.Null(c.Description));
        var tally = await api.TallyAsync("coop");
        Assert.DoesNotContain(tally.Parties, p => p.Party.Contains("Co-op", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await api.ImportAsync("coop", ImportClient.Candidates2017)).CandidaciesCreated);
    }

    [Fact]
    public async Task Share_change_leaves_out_an_uncontested_seat_on_both_sides()
    {
        // Baseline ge2017 (the demo's real figures). Mansfield uncontested; Derby North Con 20,000, Lab 20,000, LD 3,000.
        // Con: 20,000 / 43,000 = 46.51% − Derby North 2017 21,607 / 48,672 = 44.39% -> +2.12 (not +0.98 with Mansfield's 2017 votes).
        await api.LoadDemoDataAsync();
        var desk = new NightDesk(api);
        await desk.PutAsync("/v1/elections/ge2019test", new { name = "Test 2019", pollingDay = "2019-12-12", kind = "general", previousElectionId = "ge2017", isTest = true });
        await desk.PutAsync("/v1/elections/ge2019test/constituencies/E14000810", new { name = "Mansfield" });
        await desk.PutAsync("/v1/elections/ge2019test/constituencies/E14000662", new { name = "Derby North" });
        var bradley = await desk.NominateAsync("ge2019test", "E14000810", "Ben Bradley", "Con");
        var ids = new List<long>();
        foreach (var (name, party) in new[] { ("Amanda Solloway", "Con"), ("Chris Williamson", "Lab"), ("Greg Webb", "LD") })
        {
            ids.Add(await desk.NominateAsync("ge2019test", "E14000662", name, party));
        }

        var mansfield = await api.Admin.PostAsJsonAsync("/v1/elections/ge2019test/constituencies/E14000810/declarations",
            new { status = "uncontested", declaredAt = "2019-12-13T02:00:00Z", source = "RO" }, Ct);
        Assert.Equal(HttpStatusCode.Created, mansfield.StatusCode);
        var derby = await api.Admin.PostAsJsonAsync("/v1/elections/ge2019test/constituencies/E14000662/declarations", new
        {
            votes = new[] { new { candidateId = ids[0], votes = 20000L }, new { candidateId = ids[1], votes = 20000L }, new { candidateId = ids[2], votes = 3000L } },
            declaredAt = "2019-12-13T03:00:00Z",
            source = "RO",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, derby.StatusCode);
        Assert.True(bradley > 0);

        var tally = await (await api.Client.GetAsync("/v1/elections/ge2019test/tally", Ct)).ReadAsync<NightTallyDto>();

        tally.AssertAddsUp();
        Assert.Equal((2, 1), (tally.Declared, tally.Undecided));
        Assert.Equal((1, 20000L, 46.51m, 2.12m), (tally.Party("Con")!.Seats, tally.Party("Con")!.Votes, tally.Party("Con")!.Share, tally.Party("Con")!.ShareChange));
        Assert.Equal(-2.02m, tally.Party("Lab")!.ShareChange);
        Assert.Equal(2.33m, tally.Party("LD")!.ShareChange);
    }

    [Fact]
    public async Task The_list_filters_by_the_new_statuses()
    {
        var (desk, seat) = await NewSeatAsync();
        await desk.SubmitAsync(seat, new { status = "winnerKnown", winnerCandidateId = seat.Lab, source = "Call" });

        var list = await (await api.Client.GetAsync($"/v1/elections/{NightDesk.Election}/constituencies?status=winnerKnown", Ct)).ReadAsync<ConstituencyListDto>();

        var only = Assert.Single(list.Constituencies);
        Assert.Equal((seat.Code, "Lab hold", new WinnerDto("Bob Lab", "Lab")), (only.Code, only.Result, only.Winner));
    }
}
