using System.Net;
using System.Text.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.TimeTravel;

/// <summary>
/// Time travel on the demo night: the documents as published at an instant, computed from the revisions' publication
/// times (the Library's 2017 declaration times, Mansfield's wrong result at 04:17 and its correction at 04:41).
/// </summary>
public sealed class AsOfTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private const string Mansfield = "E14000810";

    private HttpClient Client => demo.Api.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path, Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        return (response, body);
    }

    [Theory]
    [InlineData("2017-06-09T02:00:00%2B01:00")]
    [InlineData("2017-06-09T02:00:00+01:00")] // an unencoded '+' arrives as a space
    [InlineData("2017-06-09T01:00:00Z")]
    public async Task By_2am_BST_74_seats_had_declared_and_the_answer_is_immutable(string asOf)
    {
        var (response, tally) = await GetAsync($"/v1/elections/ge2017/tally?asOf={asOf}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(74, tally.GetProperty("declared").GetInt32());
        Assert.Equal(650 - 74, tally.GetProperty("remaining").GetInt32());
        Assert.Equal(74, tally.GetProperty("parties").EnumerateArray().Sum(p => p.GetProperty("seats").GetInt32()));
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 1, 0, 0, TimeSpan.Zero), tally.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);

        // The same count from the list, seat by seat.
        var (_, list) = await GetAsync($"/v1/elections/ge2017/constituencies?asOf={asOf}");
        Assert.Equal(74, list.GetProperty("constituencies").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "declared"));
        Assert.Equal(650, list.GetProperty("constituencies").GetArrayLength());
    }

    [Fact]
    public async Task The_74_seats_are_those_the_Library_file_declared_by_1am_UTC()
    {
        await using var connection = await demo.Api.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(DISTINCT constituency_code) FROM declarations
            WHERE election_id = 'ge2017' AND declared_at <= '2017-06-09T01:00:00Z'
            """;
        Assert.Equal(74L, await command.ExecuteScalarAsync(Ct));
        var (_, list) = await GetAsync("/v1/elections/ge2017/constituencies?status=declared&asOf=2017-06-09T01:00:00Z");
        Assert.Equal(74, list.GetProperty("constituencies").GetArrayLength());
        Assert.All(list.GetProperty("constituencies").EnumerateArray(),
            s => Assert.True(s.GetProperty("declaredAt").GetDateTimeOffset() <= new DateTimeOffset(2017, 6, 9, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Mansfield_shows_the_wrong_result_until_its_correction_was_published()
    {
        var (_, before) = await GetAsync($"/v1/elections/ge2017/constituencies/{Mansfield}?asOf=2017-06-09T04:16:00%2B01:00");
        Assert.Equal("notDeclared", before.GetProperty("status").GetString());

        var (wrongResponse, wrong) = await GetAsync($"/v1/elections/ge2017/constituencies/{Mansfield}?asOf=2017-06-09T04:30:00%2B01:00");
        Assert.Equal(("declared", 1, "Lab hold", "Alan Meale"), (wrong.GetProperty("status").GetString(), wrong.GetProperty("revision").GetInt32(),
            wrong.GetProperty("result").GetString(), wrong.GetProperty("winner").GetProperty("name").GetString()));
        Assert.False(wrong.GetProperty("corrected").GetBoolean());
        Assert.Equal("public, max-age=31536000, immutable", wrongResponse.Headers.CacheControl?.ToString());

        var (_, corrected) = await GetAsync($"/v1/elections/ge2017/constituencies/{Mansfield}?asOf=2017-06-09T04:41:00%2B01:00");
        Assert.Equal((2, "Con gain from Lab", 1057L), (corrected.GetProperty("revision").GetInt32(), corrected.GetProperty("result").GetString(), corrected.GetProperty("majority").GetInt64()));
        Assert.True(corrected.GetProperty("corrected").GetBoolean());

        var (revisionsResponse, revisions) = await GetAsync($"/v1/elections/ge2017/constituencies/{Mansfield}/revisions?asOf=2017-06-09T04:30:00%2B01:00");
        Assert.Equal(1, revisions.GetProperty("revisions").GetArrayLength());
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 3, 17, 0, TimeSpan.Zero), revisions.GetProperty("revisions")[0].GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal("public, max-age=31536000, immutable", revisionsResponse.Headers.CacheControl?.ToString());

        var (_, all) = await GetAsync($"/v1/elections/ge2017/constituencies/{Mansfield}/revisions");
        Assert.Equal(new DateTimeOffset(2017, 6, 9, 3, 41, 0, TimeSpan.Zero), all.GetProperty("revisions")[1].GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("asOf").ValueKind);
    }

    [Fact]
    public async Task An_area_tally_at_an_instant_counts_only_what_was_published_there_by_then()
    {
        var (_, early) = await GetAsync("/v1/elections/ge2017/areas/bbc-east-midlands/tally?asOf=2017-06-09T04:30:00%2B01:00");
        var (_, now) = await GetAsync("/v1/elections/ge2017/areas/bbc-east-midlands/tally");

        Assert.True(early.GetProperty("declared").GetInt32() < 32);
        Assert.Equal(32, now.GetProperty("declared").GetInt32());
        Assert.Equal(JsonValueKind.Null, now.GetProperty("asOf").ValueKind);
        // Mansfield counted as Labour's at 04:30.
        var (_, mansfield) = await GetAsync($"/v1/elections/ge2017/constituencies?area=bbc-east-midlands&party=Lab&asOf=2017-06-09T04:30:00%2B01:00");
        Assert.Contains(mansfield.GetProperty("constituencies").EnumerateArray(), s => s.GetProperty("code").GetString() == Mansfield);
    }

    [Fact]
    public async Task The_current_documents_keep_their_short_cache_lifetime()
    {
        var response = await Client.GetAsync("/v1/elections/ge2017/tally", Ct);
        Assert.Equal("public, max-age=1", response.Headers.CacheControl?.ToString());

        var future = await Client.GetAsync("/v1/elections/ge2017/tally?asOf=2999-01-01T00:00:00Z", Ct);
        Assert.Equal("public, max-age=1", future.Headers.CacheControl?.ToString());
        var body = await future.ReadAsync<TallyDto>();
        Assert.Equal(650, body.Declared);
    }

    [Theory]
    [InlineData("/v1/elections/ge2017/tally?asOf=yesterday")]
    [InlineData("/v1/elections/ge2017/areas/bbc-east-midlands/tally?asOf=2017-06-09")]
    [InlineData("/v1/elections/ge2017/constituencies?asOf=2017-06-09T02:00:00")]
    [InlineData("/v1/elections/ge2017/constituencies/E14000810?asOf=2017-13-09T02:00:00Z")]
    [InlineData("/v1/elections/ge2017/constituencies/E14000810/revisions?asOf=")]
    public async Task An_invalid_asOf_is_a_400_naming_the_field(string path)
    {
        var response = await Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadAsync<ProblemDto>();
        Assert.True(problem.Errors!.ContainsKey("asOf"));
    }

    [Fact]
    public async Task The_timeline_lists_every_revision_in_publication_order_with_the_race_to_326()
    {
        var (response, timeline) = await GetAsync("/v1/elections/ge2017/timeline");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = timeline.GetProperty("entries").EnumerateArray().ToArray();

        Assert.Equal(651, entries.Length); // 650 seats and Mansfield's correction
        Assert.Equal(326, timeline.GetProperty("majorityLine").GetInt32());
        var times = entries.Select(e => e.GetProperty("publishedAt").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.Order(), times);
        Assert.Equal(Enumerable.Range(1, 650), entries.Where(e => e.GetProperty("kind").GetString() == "declared").Select(e => e.GetProperty("declared").GetInt32()));

        // 74 declared by 02:00 BST, as asOf says.
        var byTwo = entries.Last(e => e.GetProperty("publishedAt").GetDateTimeOffset() <= new DateTimeOffset(2017, 6, 9, 1, 0, 0, TimeSpan.Zero));
        Assert.Equal(74, byTwo.GetProperty("declared").GetInt32());

        var correction = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "corrected");
        Assert.Equal((Mansfield, 2, "Con gain from Lab"), (correction.GetProperty("code").GetString(), correction.GetProperty("revision").GetInt32(), correction.GetProperty("result").GetString()));
        var seats = (JsonElement entry) => entry.GetProperty("parties").EnumerateArray().ToDictionary(p => p.GetProperty("party").GetString()!, p => p.GetProperty("seats").GetInt32());
        var before = seats(entries[Array.IndexOf(entries, correction) - 1]);
        var after = seats(correction);
        Assert.Equal((before["Con"] + 1, before["Lab"] - 1), (after["Con"], after["Lab"]));

        var end = seats(entries[^1]);
        Assert.Equal((317, 262, 35, 12), (end["Con"], end["Lab"], end["SNP"], end["LD"]));
        Assert.Equal(650, end.Values.Sum());
    }

    [Fact]
    public async Task The_timeline_of_an_area_and_as_CSV()
    {
        var (_, area) = await GetAsync("/v1/elections/ge2017/timeline?area=bbc-east-midlands");
        var entries = area.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(33, entries.Length);
        Assert.Equal(17, area.GetProperty("majorityLine").GetInt32());
        Assert.Equal(32, entries[^1].GetProperty("declared").GetInt32());
        Assert.Equal("Con", entries[^1].GetProperty("parties")[0].GetProperty("party").GetString());
        Assert.Equal(18, entries[^1].GetProperty("parties")[0].GetProperty("seats").GetInt32());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/timeline?area=bbc-east-midlands");
        request.Headers.Add("Accept", "text/csv");
        var csv = await (await Client.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("publishedAt,code,name,revision,kind,status,winnerName,winnerParty,result,gain,declared,seats", lines[0].TrimEnd('\r'));
        Assert.Equal(34, lines.Length);
        Assert.EndsWith(",32,Con 18; Lab 14", lines[^1].TrimEnd('\r'), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/elections/ge2017/timeline?area=atlantis", Ct)).StatusCode);
    }
}
