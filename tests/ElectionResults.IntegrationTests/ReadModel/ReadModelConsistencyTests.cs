using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Imports;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.ReadModel;

/// <summary>
/// The in-memory read model never serves anything but what a fresh render from the database gives:
/// after each write of a sequence, every document served by the instance that took the write and by
/// another warm instance equals, byte for byte, the same document from a brand-new instance.
/// </summary>
public sealed class ReadModelConsistencyTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFactory? _other;

    public async ValueTask InitializeAsync()
    {
        await api.LoadDemoDataAsync();
        _other = api.CreateInstance();
    }

    public async ValueTask DisposeAsync()
    {
        if (_other is not null)
        {
            await _other.DisposeAsync();
        }
    }

    private static readonly string[] Seats =
    [
        "E14000533", "E14000535", "E14000546", "E14000577", "E14000583", "E14000607", "E14000625", "E14000632", "E14000662", "E14000663", "E14000664",
        "E14000695", "E14000710", "E14000728", "E14000748", "E14000782", "E14000783", "E14000784", "E14000797", "E14000810", "E14000814", "E14000829",
        "E14000843", "E14000858", "E14000865", "E14000866", "E14000867", "E14000908", "E14000909", "E14000924", "E14000935", "E14000940",
    ];

    private static IEnumerable<(string Path, string? Accept)> Documents()
    {
        yield return ("/v1/elections", null);
        yield return ("/v1/parties", null);
        foreach (var election in new[] { "ge2015", "ge2017" })
        {
            var e = $"/v1/elections/{election}";
            yield return (e, null);
            yield return ($"{e}/areas", null);
            yield return ($"{e}/tally", null);
            yield return ($"{e}/tally", "text/csv");
            // Folded tallies, the CSV asked for in the query and the per-candidate results: area-level figures (votes,
            // electorate, turnout, swing) and the Others line must follow every write like the rest.
            yield return ($"{e}/tally?others=2", null);
            yield return ($"{e}/tally?others=5&format=csv", null);
            yield return ($"{e}/results", null);
            yield return ($"{e}/constituencies", null);
            yield return ($"{e}/constituencies", "text/csv");
            yield return ($"{e}/constituencies?gains=true", null);
            yield return ($"{e}/constituencies?status=declared&area=derbyshire", null);
            yield return ($"{e}/constituencies?status=winnerKnown", null);
            yield return ($"{e}/constituencies?sort=expected&expectedBefore=2017-06-09T03:00:00Z", null);
            yield return ($"{e}/changes?since=0", null);
            foreach (var area in new[] { "uk", "england", "east-midlands", "derbyshire", "nottinghamshire", "leicestershire" })
            {
                yield return ($"{e}/areas/{area}", null);
                yield return ($"{e}/areas/{area}/tally", null);
                yield return ($"{e}/areas/{area}/tally?others=2", null);
                yield return ($"{e}/areas/{area}/tally?format=csv", null);
                yield return ($"{e}/areas/{area}/results", null);
            }

            foreach (var seat in Seats)
            {
                yield return ($"{e}/constituencies/{seat}", null);
            }
        }
    }

    private static async Task<Dictionary<string, string>> ReadAll(HttpClient client)
    {
        var bodies = new Dictionary<string, string>();
        foreach (var (path, accept) in Documents())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            }

            var response = await client.SendAsync(request, Ct);
            bodies[$"{path} [{accept}]"] = $"{(int)response.StatusCode} {response.Headers.ETag} {await response.Content.ReadAsStringAsync(Ct)}";
        }

        return bodies;
    }

    /// <summary>
    /// Compares warm instances with a brand-new one; the other warm instance gets up to a second (a sweep of every
    /// document takes a while on a busy machine). This is about equal bodies, not speed: how soon another instance
    /// serves a write, with its listener known to be connected, is <see cref="FreshnessTests"/>' job.
    /// </summary>
    private async Task AssertEveryDocumentIsFresh(string step)
    {
        await using var fresh = api.CreateInstance();
        var expected = await ReadAll(fresh.CreateClient());

        Assert.Equal(expected, await ReadAll(api.Client));

        var deadline = DateTime.UtcNow.AddSeconds(1);
        Dictionary<string, string> other;
        while (true)
        {
            other = await ReadAll(_other!.CreateClient());
            if (DictionariesEqual(expected, other) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(20, Ct);
        }

        var stale = expected.Where(kv => other[kv.Key] != kv.Value).Select(kv => kv.Key).ToArray();
        Assert.True(stale.Length == 0, $"After '{step}' the other instance still served stale: {string.Join(", ", stale.Take(5))}");
    }

    private static bool DictionariesEqual(Dictionary<string, string> a, Dictionary<string, string> b) => a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, object body, EntityTagHeaderValue? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        var response = await api.Admin.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return response;
    }

    private async Task<(EntityTagHeaderValue ETag, ConstituencyDto Seat)> Read(string code)
    {
        var response = await api.Client.GetAsync($"/v1/elections/ge2017/constituencies/{code}", Ct);
        return (response.Headers.ETag!, await response.ReadAsync<ConstituencyDto>());
    }

    [Fact]
    public async Task After_every_write_the_cached_documents_equal_a_fresh_render()
    {
        // Warm every document on both instances first, so that stale caches would show.
        await ReadAll(api.Client);
        await ReadAll(_other!.CreateClient());
        await AssertEveryDocumentIsFresh("start");

        var (etag, mansfield) = await Read("E14000810");
        var swapped = mansfield.Candidates.Select(c => new { candidateId = c.Id, votes = c.Name == "Ben Bradley" ? 22335L : c.Name == "Alan Meale" ? 23392L : c.Votes!.Value }).ToArray();
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000810/declarations",
            new { votes = swapped, invalidVotes = 99, declaredAt = "2017-06-09T04:17:00+01:00", source = "test", reason = "declare" }, etag);
        await AssertEveryDocumentIsFresh("correct Mansfield");

        var (derbyEtag, _) = await Read("E14000662");
        var recount = await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000662/declarations",
            new { status = "recount", source = "test", reason = "recount called" }, derbyEtag);
        await AssertEveryDocumentIsFresh("recount Derby North");

        var derby = await Read("E14000662");
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000662/declarations",
            new { votes = derby.Seat.Candidates.Select((c, i) => new { candidateId = c.Id, votes = 1000L - i }).ToArray(), declaredAt = "2017-06-09T05:00:00+01:00", source = "test", reason = "recount result" },
            recount.Headers.ETag);
        await AssertEveryDocumentIsFresh("declare after recount");

        // A declaration in the baseline election changes this election's gains, share changes and swing.
        var baseline = await api.Client.GetAsync("/v1/elections/ge2015/constituencies/E14000810", Ct);
        var before = await baseline.ReadAsync<ConstituencyDto>();
        await Send(HttpMethod.Post, "/v1/elections/ge2015/constituencies/E14000810/declarations",
            new { votes = before.Candidates.Select(c => new { candidateId = c.Id, votes = c.Party == "Con" ? 30000L : c.Votes!.Value }).ToArray(), declaredAt = "2015-05-08T03:00:00+01:00", source = "test", reason = "baseline corrected" },
            baseline.Headers.ETag);
        await AssertEveryDocumentIsFresh("baseline seat corrected");

        // The night's states: a retraction, a call, the figures after it, a postponement, nominations reopened, a tie by lot.
        var (amber, _) = await Read("E14000533");
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000533/declarations",
            new { status = "notDeclared", source = "test", reason = "declared by mistake" }, amber);
        await AssertEveryDocumentIsFresh("retraction");

        var (_, retracted) = await Read("E14000533");
        var called = retracted.Candidates[0];
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000533/declarations",
            new { status = "winnerKnown", winnerCandidateId = called.Id, source = "test" });
        await AssertEveryDocumentIsFresh("winner known");

        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000533/declarations",
            new { votes = retracted.Candidates.Select(c => new { candidateId = c.Id, votes = c.Id == called.Id ? 30000L : 1000L }).ToArray(), declaredAt = "2017-06-09T03:00:00+01:00", source = "test" });
        await AssertEveryDocumentIsFresh("figures after the call");

        var (ashfield, _) = await Read("E14000535");
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000535/declarations",
            new { status = "postponed", source = "test", reason = "poll countermanded" }, ashfield);
        await AssertEveryDocumentIsFresh("postponed");

        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000535/candidates", new { name = "New Candidate", party = "Con", description = "Conservative and Unionist" });
        await AssertEveryDocumentIsFresh("nominations");

        var (tieEtag, tied) = await Read("E14000546");
        var top = tied.Candidates.Take(2).Select(c => c.Id).ToArray();
        await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000546/declarations",
            new { votes = tied.Candidates.Select(c => new { candidateId = c.Id, votes = top.Contains(c.Id) ? 20000L : 100L }).ToArray(), declaredAt = "2017-06-09T04:00:00+01:00", source = "test", reason = "tie", lotWinnerCandidateId = top[1] },
            tieEtag);
        await AssertEveryDocumentIsFresh("tie decided by lot");

        await Send(HttpMethod.Put, "/v1/elections/ge2017/constituencies/E14000607", new { name = "Broxtowe", electorate = 74013, expectedDeclarationAt = "2017-06-09T02:15:00+01:00" });
        await AssertEveryDocumentIsFresh("expected time");

        // An import adds nine seats (and their nations, regions and counties) to the election.
        await api.ImportAsync("ge2017", "hoc-candidates-2017.csv");
        await AssertEveryDocumentIsFresh("import");

        await Send(HttpMethod.Put, "/v1/parties/Con", new { name = "Conservative", colour = "#0000FF" });
        await AssertEveryDocumentIsFresh("party colour");

        await Send(HttpMethod.Put, "/v1/elections/ge2017/constituencies/E14000577", new { name = "Bolsover", electorate = 80000 });
        await AssertEveryDocumentIsFresh("electorate");

        await Send(HttpMethod.Put, "/v1/elections/ge2017/areas/derbyshire", new { name = "Derbyshire", kind = "county", constituencies = new[] { "E14000577", "E14000632" } });
        await AssertEveryDocumentIsFresh("area membership");

        await Send(HttpMethod.Put, "/v1/elections/ge2015", new { name = "General election 2015", pollingDay = "2015-05-07", kind = "general" });
        await AssertEveryDocumentIsFresh("baseline renamed");
    }

    [Fact]
    public async Task Read_your_writes_the_response_etag_is_what_the_next_get_serves()
    {
        var (etag, seat) = await Read("E14000908");
        var votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value + 1 }).ToArray();

        var response = await Send(HttpMethod.Post, "/v1/elections/ge2017/constituencies/E14000908/declarations",
            new { votes, declaredAt = "2017-06-09T02:18:00+01:00", source = "test", reason = "one more vote each" }, etag);
        var next = await api.Client.GetAsync("/v1/elections/ge2017/constituencies/E14000908", Ct);

        Assert.Equal(response.Headers.ETag, next.Headers.ETag);
        Assert.NotEqual(etag, next.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
