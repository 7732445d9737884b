using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Results;

/// <summary>What the results desk's page needs from the API: finding a seat by name or winner, and a preview that writes nothing.</summary>
public sealed class FindAndPreviewTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string Mansfield = "/v1/elections/ge2017/constituencies/E14000810";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(api.LoadDemoDataAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<string[]> NamesAsync(string query)
    {
        var response = await api.Client.GetAsync("/v1/elections/ge2017/constituencies?" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<ConstituencyListDto>()).Constituencies.Select(c => c.Name).ToArray();
    }

    [Fact]
    public async Task Q_matches_the_start_of_any_word_ignoring_case_accents_and_punctuation()
    {
        Assert.Equal(["Mansfield"], await NamesAsync("q=mans"));
        Assert.Equal(["Mansfield"], await NamesAsync("q=MANS"));
        Assert.Equal(
            ["Derby North", "Derby South", "Derbyshire Dales", "Liverpool, West Derby", "Mid Derbyshire", "North East Derbyshire", "South Derbyshire"],
            await NamesAsync("q=derby"));
        Assert.Equal(["Liverpool, West Derby"], await NamesAsync("q=west%20derby"));
        Assert.Equal(["Liverpool, West Derby"], await NamesAsync("q=liverpool,%20west%20der"));
        Assert.Equal(["Ynys Mon"], await NamesAsync("q=ynys%20mon"));
        Assert.Equal(["Ynys Mon"], await NamesAsync("q=YNYS%20M%C3%94N"));
        Assert.Contains("Monmouth", await NamesAsync("q=M%C3%B4n"));
        Assert.Empty(await NamesAsync("q=erby"));
        Assert.Equal(["Mansfield"], await NamesAsync("q=mans&area=nottinghamshire&party=Con"));
        Assert.Empty(await NamesAsync("q=mans&party=Lab"));
    }

    [Fact]
    public async Task Party_filters_by_the_current_winner()
    {
        var con = await NamesAsync("party=Con");
        Assert.Equal(317, con.Length);
        Assert.Contains("Mansfield", con);
        Assert.Equal(262, (await NamesAsync("party=Lab")).Length);
        Assert.Equal(["Brighton, Pavilion"], await NamesAsync("party=Green"));
        Assert.Equal(
            ["Bolsover", "Chesterfield", "Derby North", "Derby South", "High Peak"],
            await NamesAsync("party=Lab&area=derbyshire"));
    }

    [Theory]
    [InlineData("q=", "q")]
    [InlineData("q=%21%21", "q")]
    [InlineData("party=con", "party")]
    [InlineData("party=Nobody", "party")]
    public async Task Bad_searches_are_400_naming_the_parameter(string query, string field)
    {
        var response = await api.Client.GetAsync("/v1/elections/ge2017/constituencies?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadAsync<ProblemDto>()).Errors!.Keys);
    }

    [Fact]
    public async Task Q_longer_than_100_characters_is_a_400()
    {
        var response = await api.Client.GetAsync("/v1/elections/ge2017/constituencies?q=" + new string('a', 101), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static object Swapped(ConstituencyDto seat, string? reason) => new
    {
        // Mansfield as first announced: the two leaders' votes swapped.
        votes = seat.Candidates.Select((c, i) => new { candidateId = c.Id, votes = i == 0 ? seat.Candidates[1].Votes : i == 1 ? seat.Candidates[0].Votes : c.Votes }).ToArray(),
        invalidVotes = 99,
        declaredAt = "2017-06-09T04:17:00+01:00",
        source = "Results desk",
        reason,
    };

    [Fact]
    public async Task Dry_run_answers_the_document_that_would_be_published_and_writes_nothing()
    {
        var read = await api.Client.GetAsync(Mansfield, Ct);
        var seat = await read.ReadAsync<ConstituencyDto>();
        var etag = read.Headers.ETag!;
        var dump = await api.DumpAsync();

        using var preview = new HttpRequestMessage(HttpMethod.Post, Mansfield + "/declarations?dryRun=true") { Content = JsonContent.Create(Swapped(seat, "Preview of a correction")) };
        preview.Headers.IfMatch.Add(etag);
        var previewed = await api.Admin.SendAsync(preview, Ct);

        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        Assert.Null(previewed.Headers.Location);
        var document = await previewed.ReadAsync<ConstituencyDto>();
        Assert.Equal((3, "Lab hold", 1057L, false), (document.Revision, document.Result, document.Majority, document.Gain));
        Assert.Equal(new WinnerDto("Alan Meale", "Lab"), document.Winner);
        Assert.Equal(46.64m, document.Candidates[0].Share);

        // Nothing was written: same rows, same data version, the same ETag, and the change feed is silent.
        Assert.Equal(dump, await api.DumpAsync());
        var again = await api.Client.GetAsync(Mansfield, Ct);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Equal(2, (await again.ReadAsync<ConstituencyDto>()).Revision);

        // The same preview without If-Match is refused as the publication would be.
        var conflict = await api.Admin.PostAsJsonAsync(Mansfield + "/declarations?dryRun=true", Swapped(seat, "x"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        // A preview without a reason names the field, like the real thing.
        using var noReason = new HttpRequestMessage(HttpMethod.Post, Mansfield + "/declarations?dryRun=true") { Content = JsonContent.Create(Swapped(seat, null)) };
        noReason.Headers.IfMatch.Add(etag);
        var invalid = await api.Admin.SendAsync(noReason, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("reason", (await invalid.ReadAsync<ProblemDto>()).Errors!.Keys);
        Assert.Equal(dump, await api.DumpAsync());
    }

    [Fact]
    public async Task Dry_run_needs_a_results_entry_key_like_a_declaration()
    {
        var seat = await (await api.Client.GetAsync(Mansfield, Ct)).ReadAsync<ConstituencyDto>();

        var response = await api.Client.PostAsJsonAsync(Mansfield + "/declarations?dryRun=true", Swapped(seat, "x"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
