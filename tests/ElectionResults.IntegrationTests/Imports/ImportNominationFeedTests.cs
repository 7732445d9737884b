using System.Net;
using System.Net.Http.Json;
using Dapper;
using ElectionResults.IntegrationTests.Infrastructure;
using static ElectionResults.IntegrationTests.Imports.ImportClient;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>
/// The candidacies an import creates are nominations like those of <c>POST .../candidates</c>: each has its
/// <c>added</c> entry in the change feed, written in the import's transaction, and a re-import writes none.
/// </summary>
public sealed class ImportNominationFeedTests(PostgresServer server) : IAsyncLifetime
{
    private const string Seat = "E14000639";

    private readonly ApiFixture _api = new(server);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _api.InitializeAsync();
        // ge2015 creates the parties; the ge2017 constituency file sets up the seats without candidates.
        await _api.PutElectionAsync("ge2015", pollingDay: "2015-05-07");
        await _api.ImportAsync("ge2015", Candidates2015);
        await _api.PutElectionAsync("ge2017", previous: "ge2015");
        await _api.ImportAsync("ge2017", Constituencies2017);
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private sealed record Entry(long Id, string Code, long CandidacyId, string Change, string EnteredBy);

    private sealed record ChangeItemDto(long Cursor, string Code, string Kind);

    private sealed record ChangesDto(long Cursor, List<ChangeItemDto> Changes);

    private async Task<Entry[]> EntriesAsync()
    {
        await using var connection = await _api.OpenConnectionAsync();
        return (await connection.QueryAsync<Entry>(new CommandDefinition("""
            SELECT id AS Id, constituency_code AS Code, candidacy_id AS CandidacyId, change AS Change, entered_by AS EnteredBy
            FROM nomination_changes WHERE election_id = 'ge2017' ORDER BY id
            """, cancellationToken: Ct))).ToArray();
    }

    [Fact]
    public async Task Every_candidacy_an_import_creates_is_an_added_nomination_and_a_reimport_adds_none()
    {
        // One candidate nominated by hand first: the import matches it and must record only the others.
        var nominated = await _api.Admin.PostAsJsonAsync($"/v1/elections/ge2017/constituencies/{Seat}/candidates", new { name = "Ibrahim Dogus", party = "Lab" }, Ct);
        Assert.Equal(HttpStatusCode.Created, nominated.StatusCode);
        var byHand = Assert.Single(await EntriesAsync());

        var summary = await _api.ImportAsync("ge2017", Candidates2017);
        Assert.Equal(49, summary.CandidaciesCreated);

        var entries = await EntriesAsync();
        await using (var connection = await _api.OpenConnectionAsync())
        {
            var candidacies = (await connection.QueryAsync<(long Id, string Code)>(new CommandDefinition(
                "SELECT id, constituency_code FROM candidacies WHERE election_id = 'ge2017' ORDER BY id", cancellationToken: Ct))).ToArray();
            Assert.Equal(50, candidacies.Length);
            // One entry per candidacy, for its seat, shaped as the endpoint's: "added", by the same key.
            Assert.Equal(candidacies, entries.Select(e => (e.CandidacyId, e.Code)).OrderBy(e => e.CandidacyId));
            Assert.All(entries, e => Assert.Equal(("added", byHand.EnteredBy), (e.Change, e.EnteredBy)));

            // Written in the import's transaction, before each seat's declaration: the feed's order is commit order.
            var declarations = (await connection.QueryAsync<(string Code, long Id)>(new CommandDefinition(
                "SELECT constituency_code, min(id) FROM declarations WHERE election_id = 'ge2017' GROUP BY constituency_code", cancellationToken: Ct)))
                .ToDictionary(d => d.Code, d => d.Id);
            Assert.All(entries.Where(e => e.Id != byHand.Id), e => Assert.True(e.Id < declarations[e.Code] && e.Id > byHand.Id));
        }

        // The feed's cursor covers them; each seat shows once, as declared (its latest change).
        var feed = await (await _api.Client.GetAsync("/v1/elections/ge2017/changes?since=0", Ct)).ReadAsync<ChangesDto>();
        Assert.Equal(9, feed.Changes.Count);
        Assert.All(feed.Changes, c => Assert.Equal("declared", c.Kind));
        Assert.Contains(feed.Changes, c => c.Code == Seat);

        // The same file again: nothing changes, so no feed entry either.
        var again = await _api.ImportAsync("ge2017", Candidates2017);
        Assert.False(again.Changed);
        Assert.Equal(entries, await EntriesAsync());
        var after = await (await _api.Client.GetAsync("/v1/elections/ge2017/changes?since=0", Ct)).ReadAsync<ChangesDto>();
        Assert.Equal(feed.Cursor, after.Cursor);
    }
}
