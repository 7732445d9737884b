using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;
using static ElectionResults.IntegrationTests.Imports.ImportClient;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>Importing again: nothing changes unless the figures do, and then only by adding a revision.</summary>
public sealed class ImportRevisionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ImportRevisionListDto> RevisionsAsync(string electionId, string code) =>
        await (await api.Client.GetAsync($"/v1/elections/{electionId}/constituencies/{code}/revisions", Ct)).ReadAsync<ImportRevisionListDto>();

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_at_all()
    {
        await api.PutElectionAsync("twice");
        await api.ImportAsync("twice", Candidates2017);
        await api.ImportAsync("twice", Constituencies2017);
        var tally = await api.Client.GetAsync("/v1/elections/twice/tally", Ct);
        var before = await api.DumpDatabaseAsync();

        var again = await api.ImportAsync("twice", Candidates2017);
        var constituenciesAgain = await api.ImportAsync("twice", Constituencies2017);

        Assert.Equal(again with { Changed = false, RevisionsAdded = 0, AreasCreated = 0, PartiesCreated = 0, ConstituenciesCreated = 0, CandidaciesCreated = 0, ElectoratesSet = 0 }, again);
        Assert.Equal((0, 0, false), (constituenciesAgain.RevisionsAdded, constituenciesAgain.ElectoratesSet, constituenciesAgain.Changed));
        // Not even the data version moved, so every cached document and ETag stays valid.
        Assert.Equal(before, await api.DumpDatabaseAsync());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/twice/tally");
        conditional.Headers.IfNoneMatch.Add(tally.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client.SendAsync(conditional, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_constituency_file_after_the_candidates_adds_a_revision_with_the_same_votes()
    {
        await api.PutElectionAsync("after");
        await api.ImportAsync("after", Candidates2017);

        var summary = await api.ImportAsync("after", Constituencies2017);

        Assert.Equal(9, summary.RevisionsAdded);
        var revisions = (await RevisionsAsync("after", "E14000662")).Revisions;
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        Assert.Equal((null, null), (revisions[0].InvalidVotes, revisions[0].DeclaredAt));
        Assert.Equal((109L, new DateTimeOffset(2017, 6, 9, 2, 38, 0, TimeSpan.Zero)), (revisions[1].InvalidVotes, revisions[1].DeclaredAt));
        Assert.Equal(revisions[0].ValidVotes, revisions[1].ValidVotes);
        Assert.Equal("Import of hoc-constituencies-2017.csv (hoc-constituencies): invalid votes and declaration time", revisions[1].Reason);
        Assert.Equal("House of Commons Library: hoc-candidates-2017.csv; House of Commons Library: hoc-constituencies-2017.csv", revisions[1].Source);
        Assert.Equal(0, (await api.ImportAsync("after", Candidates2017)).RevisionsAdded);
        Assert.Equal(0, (await api.ImportAsync("after", Constituencies2017)).RevisionsAdded);
    }

    [Fact]
    public async Task Either_file_may_come_first_and_the_result_is_the_same()
    {
        await api.PutElectionAsync("candidates-first");
        await api.PutElectionAsync("constituencies-first");
        await api.ImportAsync("candidates-first", Candidates2017);
        await api.ImportAsync("candidates-first", Constituencies2017);
        await api.ImportAsync("constituencies-first", Constituencies2017);
        await api.ImportAsync("constituencies-first", Candidates2017);

        foreach (var code in new[] { "E14000662", "N06000003", "E14000608", "S14000055" })
        {
            var a = await (await api.Client.GetAsync($"/v1/elections/candidates-first/constituencies/{code}", Ct)).ReadAsync<ConstituencyDto>();
            var b = await (await api.Client.GetAsync($"/v1/elections/constituencies-first/constituencies/{code}", Ct)).ReadAsync<ConstituencyDto>();
            Assert.Equal(
                (a.Electorate, a.ValidVotes, a.InvalidVotes, a.DeclaredAt, a.Winner, a.Majority, a.Turnout),
                (b.Electorate, b.ValidVotes, b.InvalidVotes, b.DeclaredAt, b.Winner, b.Majority, b.Turnout));
            Assert.Equal((2, 1), (a.Revision, b.Revision));
        }
    }

    [Fact]
    public async Task A_changed_vote_adds_a_revision_and_the_first_stays_readable()
    {
        await api.PutElectionAsync("changed");
        await api.ImportAsync("changed", Candidates2017);
        // Line 26 is Chris Williamson (Lab), Derby North: 23622 votes.
        var corrected = WithLine(Candidates2017, 26, line => line.Replace(",23622,", ",23632,", StringComparison.Ordinal));

        var response = await api.Admin.PostImportAsync("changed", "hoc-candidates", corrected, "hoc-candidates-2017-corrected.csv");
        var summary = await response.ReadAsync<ImportSummaryDto>();

        Assert.Equal((1, 0, true), (summary.RevisionsAdded, summary.CandidaciesCreated, summary.Changed));
        var revisions = (await RevisionsAsync("changed", "E14000662")).Revisions;
        Assert.Equal([48672L, 48682L], revisions.Select(r => r.ValidVotes!.Value));
        Assert.Equal("Import of hoc-candidates-2017-corrected.csv (hoc-candidates): figures differ from revision 1", revisions[1].Reason);
        Assert.Equal(0, (await (await api.Admin.PostImportAsync("changed", "hoc-candidates", corrected, "hoc-candidates-2017-corrected.csv")).ReadAsync<ImportSummaryDto>()).RevisionsAdded);
    }

    [Fact]
    public async Task Nominations_entered_before_are_matched_by_name_and_party()
    {
        await api.PutElectionAsync("nominated");
        Assert.True((await api.Admin.PutAsJsonAsync("/v1/elections/nominated/constituencies/E14000662", new { name = "Derby North" }, Ct)).IsSuccessStatusCode);
        await api.ImportAsync("nominated", Constituencies2017);
        var parties = await api.Admin.PutAsJsonAsync("/v1/parties/Lab", new { name = "Labour", colour = "#E4003B" }, Ct);
        Assert.True(parties.IsSuccessStatusCode);
        var nominated = await (await api.Admin.PostAsJsonAsync("/v1/elections/nominated/constituencies/E14000662/candidates", new { name = "Chris Williamson", party = "Lab" }, Ct)).ReadAsync<IdDto>();

        var summary = await api.ImportAsync("nominated", Candidates2017);

        Assert.Equal(49, summary.CandidaciesCreated);
        var derbyNorth = await (await api.Client.GetAsync("/v1/elections/nominated/constituencies/E14000662", Ct)).ReadAsync<ConstituencyDto>();
        Assert.Equal(nominated.Id, derbyNorth.Candidates.Single(c => c.Name == "Chris Williamson").Id);
        Assert.Equal(4, derbyNorth.Candidates.Count);
    }

    public sealed record IdDto(long Id);
}
