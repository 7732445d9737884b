using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.ReadModel;

public sealed class ChangeFeedTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ChangeDto(long Cursor, string Code, string Name, string Status, int Revision, WinnerDto? Winner, string? Result, bool Gain);

    private sealed record ChangesDto(string ElectionId, long Cursor, List<ChangeDto> Changes);

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

    /// <summary>Adds one vote to every candidate of a 2017 seat, as a correction through the first instance.</summary>
    private async Task CorrectAsync(string code)
    {
        var read = await api.Client.GetAsync($"/v1/elections/ge2017/constituencies/{code}", Ct);
        var seat = await read.ReadAsync<ConstituencyDto>();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/elections/ge2017/constituencies/{code}/declarations")
        {
            Content = JsonContent.Create(new
            {
                votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value + 1 }).ToArray(),
                declaredAt = "2017-06-09T05:00:00+01:00",
                source = "test",
                reason = "correction",
            }),
        };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        Assert.Equal(HttpStatusCode.Created, (await api.Admin.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_feed_lists_changes_after_a_cursor_once_each()
    {
        var all = await (await api.Client.GetAsync("/v1/elections/ge2017/changes?since=0", Ct)).ReadAsync<ChangesDto>();
        Assert.Equal(650, all.Changes.Count);
        Assert.Equal(all.Changes.Select(c => c.Cursor).Order(), all.Changes.Select(c => c.Cursor));
        Assert.Equal(all.Changes.Max(c => c.Cursor), all.Cursor);
        Assert.Contains(all.Changes, c => c is { Code: "E14000810", Revision: 2, Result: "Con gain from Lab", Gain: true });

        var nothing = await (await api.Client.GetAsync($"/v1/elections/ge2017/changes?since={all.Cursor}", Ct)).ReadAsync<ChangesDto>();
        Assert.Empty(nothing.Changes);
        Assert.Equal(all.Cursor, nothing.Cursor);

        await CorrectAsync("E14000583");
        await CorrectAsync("E14000583");
        var after = await (await api.Client.GetAsync($"/v1/elections/ge2017/changes?since={all.Cursor}", Ct)).ReadAsync<ChangesDto>();
        var change = Assert.Single(after.Changes);
        Assert.Equal(("E14000583", 3), (change.Code, change.Revision));
        Assert.True(after.Cursor > all.Cursor);
    }

    [Fact]
    public async Task A_long_poll_on_another_instance_answers_when_a_write_lands()
    {
        var start = await (await _other!.CreateClient().GetAsync("/v1/elections/ge2017/changes", Ct)).ReadAsync<ChangesDto>();

        var poll = _other.CreateClient().GetAsync($"/v1/elections/ge2017/changes?since={start.Cursor}&wait=30", Ct);
        await Task.Delay(200, Ct);
        Assert.False(poll.IsCompleted);
        await CorrectAsync("E14000625");
        var answer = await (await poll).ReadAsync<ChangesDto>();

        Assert.Equal("E14000625", Assert.Single(answer.Changes).Code);
    }

    [Theory]
    [InlineData("wait=31")]
    [InlineData("wait=-1")]
    [InlineData("since=-5")]
    public async Task Bad_feed_parameters_are_400(string query)
    {
        var response = await api.Client.GetAsync($"/v1/elections/ge2017/changes?{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Server_sent_events_stream_changes_and_resume_from_last_event_id()
    {
        var client = _other!.CreateClient();
        var start = await (await client.GetAsync("/v1/elections/ge2017/changes", Ct)).ReadAsync<ChangesDto>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/events");
        using var stream = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));

        await CorrectAsync("E14000728");
        var (id, eventType, data) = await ServerSentEvents.NextAsync(reader, timeout.Token);

        Assert.Equal("constituency", eventType);
        Assert.Contains("\"code\":\"E14000728\"", data);
        // The event announces a correction as a correction, with what it replaced, why, and the areas it changed.
        Assert.Contains("\"kind\":\"corrected\"", data);
        Assert.Contains("\"previous\":{\"status\":\"declared\",\"winner\":{", data);
        Assert.Contains("\"reason\":\"correction\"", data);
        Assert.Contains("\"areas\":[\"", data);
        // And with what a map or a "gain from" strap needs: the winner's party name and colours, the previous winner's party.
        using (var item = System.Text.Json.JsonDocument.Parse(data))
        {
            var winner = item.RootElement.GetProperty("winner");
            Assert.False(string.IsNullOrEmpty(winner.GetProperty("partyName").GetString()));
            Assert.Matches("^#[0-9A-F]{6}$", winner.GetProperty("colour").GetString());
            Assert.Contains(winner.GetProperty("textColour").GetString(), new[] { "#000000", "#FFFFFF" });
            Assert.False(string.IsNullOrEmpty(item.RootElement.GetProperty("previousWinnerParty").GetString()));
        }

        Assert.True(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) > start.Cursor);

        using var resume = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/events");
        resume.Headers.Add("Last-Event-ID", start.Cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(timeout.Token));
        var replayed = await ServerSentEvents.NextAsync(resumedReader, timeout.Token);
        Assert.Equal(id, replayed.Id);
    }
}
