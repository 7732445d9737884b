using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ElectionResults.Api.ReadModel;
using ElectionResults.IntegrationTests.Imports;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ElectionResults.IntegrationTests.Operations;

/// <summary>
/// /metrics after real requests: every instrument of the service moves when the thing it counts happens, Npgsql's and the
/// runtime's instruments are there (ASP.NET Core's: <see cref="HostMetricsTests"/>), and the endpoint is public and not
/// rate-limited.
/// </summary>
public sealed class MetricsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Mansfield = "/v1/elections/ge2017/constituencies/E14000810";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_reads_imports_and_refusals_move_their_counters()
    {
        await api.LoadDemoDataAsync();
        await WaitForListenerAsync();
        var before = await Scrape.FromAsync(api.Client);

        // A first declaration on a new seat, then a correction of it.
        await api.PutElectionAsync("mnight");
        Assert.True((await api.Admin.PutAsJsonAsync("/v1/elections/mnight/constituencies/E99000001", new { name = "Metric Vale", electorate = 60000 }, Ct)).IsSuccessStatusCode);
        var ids = new List<long>();
        foreach (var (name, party) in new[] { ("Ann Con", "Con"), ("Bob Lab", "Lab") })
        {
            var created = await api.Admin.PostAsJsonAsync("/v1/elections/mnight/constituencies/E99000001/candidates", new { name, party }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.ReadAsync<CandidateDto>()).Id);
        }

        var first = await api.Admin.PostAsJsonAsync("/v1/elections/mnight/constituencies/E99000001/declarations",
            new { votes = new[] { new { candidateId = ids[0], votes = 20000L }, new { candidateId = ids[1], votes = 18000L } }, declaredAt = "2017-06-09T03:00:00+01:00", source = "test" }, Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var corrected = await CorrectAsync("/v1/elections/mnight/constituencies/E99000001", first.Headers.ETag!,
            new { votes = new[] { new { candidateId = ids[0], votes = 20001L }, new { candidateId = ids[1], votes = 18000L } }, declaredAt = "2017-06-09T03:00:00+01:00", source = "test", reason = "typo" });
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        // The same ETag again is stale now: 412.
        var stale = await CorrectAsync("/v1/elections/mnight/constituencies/E99000001", first.Headers.ETag!,
            new { votes = new[] { new { candidateId = ids[0], votes = 20002L }, new { candidateId = ids[1], votes = 18000L } }, declaredAt = "2017-06-09T03:00:00+01:00", source = "test", reason = "again" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        // No key: 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.PostAsJsonAsync($"{Mansfield}/declarations", new { votes = Array.Empty<object>() }, Ct)).StatusCode);

        // An import that applies (its rows counted) and one that is refused.
        await api.PutElectionAsync("mimport");
        var summary = await api.ImportAsync("mimport", ImportClient.Candidates2017);
        Assert.True(summary.Rows > 0);
        var bad = await api.Admin.PostImportAsync("mimport", "hoc-candidates", "not,a,results,file\n"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnprocessableContent, bad.StatusCode);

        // Reads: the first from the endpoint or memory, then a 304 from memory.
        var tally = await api.Client.GetAsync("/v1/elections/ge2017/tally", Ct);
        tally = await api.Client.GetAsync("/v1/elections/ge2017/tally", Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/tally");
        conditional.Headers.IfNoneMatch.Add(tally.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client.SendAsync(conditional, Ct)).StatusCode);

        var after = await Scrape.FromAsync(api.Client);
        double Moved(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.True(Moved("elections_declarations_accepted_total", ("kind", "declaration")) >= 1, after.Text);
        Assert.True(Moved("elections_declarations_accepted_total", ("kind", "correction")) >= 1, after.Text);
        Assert.True(Moved("elections_writes_accepted_total", ("operation", "correction")) >= 1, after.Text);
        Assert.True(Moved("elections_writes_refused_total", ("status", "412")) >= 1, after.Text);
        Assert.True(Moved("elections_writes_refused_total", ("status", "401")) >= 1, after.Text);
        Assert.True(Moved("elections_writes_refused_total", ("status", "422"), ("operation", "ImportResults")) >= 1, after.Text);
        Assert.True(Moved("elections_imports_total", ("format", "hoc-candidates"), ("outcome", "applied")) >= 1, after.Text);
        Assert.True(Moved("elections_imports_total", ("format", "hoc-candidates"), ("outcome", "rejected")) >= 1, after.Text);
        Assert.True(Moved("elections_imports_rows_total", ("format", "hoc-candidates")) >= summary.Rows, after.Text);
        Assert.True(Moved("elections_documents_served_total", ("source", "memory")) >= 1, after.Text);
        Assert.True(Moved("elections_documents_not_modified_total", ("source", "memory")) >= 1, after.Text);
        Assert.Contains(1.0, after.Values("elections_change_listener_connected"));
        Assert.All(after.Values("elections_changes_newest_age_seconds"), age => Assert.InRange(age, 0, 600));
        Assert.NotEmpty(after.Values("elections_changes_newest_age_seconds"));

        // Npgsql's and the runtime's own instruments are exported too (the runtime's garbage collections and their pause
        // time, to tell a stall of the process from a slow database).
        var lines = after.Text.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("db_client_", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("dotnet_gc_pause_time_seconds_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_304_from_the_rendering_path_is_counted()
    {
        await api.LoadDemoDataAsync();
        var before = await Scrape.FromAsync(api.Client);
        // Revisions are read per request, not kept in the read model: the endpoint (TaggedJson) answers the 304.
        var first = await api.Client.GetAsync($"{Mansfield}/revisions", Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"{Mansfield}/revisions");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client.SendAsync(conditional, Ct)).StatusCode);

        var after = await Scrape.FromAsync(api.Client);
        Assert.True(after.Sum("elections_documents_not_modified_total", ("source", "rendered")) - before.Sum("elections_documents_not_modified_total", ("source", "rendered")) >= 1, after.Text);
    }

    [Fact]
    public async Task Long_polls_and_event_streams_are_counted_while_connected()
    {
        await api.LoadDemoDataAsync();
        await WaitForListenerAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var newest = await api.Client.GetFromJsonAsync<JsonElement>("/v1/elections/ge2017/changes", Ct);
        var longPoll = api.Client.GetAsync($"/v1/elections/ge2017/changes?since={newest.GetProperty("cursor").GetInt64()}&wait=20", cancel.Token);
        using var events = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/events"), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        await using var stream = await events.Content.ReadAsStreamAsync(Ct);
        Assert.True(await stream.ReadAsync(new byte[64], Ct) > 0);

        Scrape scrape;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            scrape = await Scrape.FromAsync(api.Client);
        }
        while ((scrape.Sum("elections_clients_connected", ("kind", "long-poll")) < 1 || scrape.Sum("elections_clients_connected", ("kind", "sse")) < 1)
            && DateTime.UtcNow < deadline && await Pause());

        Assert.True(scrape.Sum("elections_clients_connected", ("kind", "long-poll")) >= 1, scrape.Text);
        Assert.True(scrape.Sum("elections_clients_connected", ("kind", "sse")) >= 1, scrape.Text);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => longPoll);
    }

    [Fact]
    public async Task Metrics_are_public_and_not_rate_limited()
    {
        await using var limited = api.CreateInstance(new Dictionary<string, string> { ["RateLimits:ReadsPerSecond"] = "1", ["RateLimits:ConditionalReadsPerSecond"] = "1" });
        using var client = limited.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            var response = await client.GetAsync("/metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_an_otlp_endpoint_metrics_and_traces_are_pushed_and_metrics_still_served()
    {
        using (var client = api.Factory.CreateClient())
        {
            Assert.Null(api.Factory.Services.GetService<TracerProvider>());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics", Ct)).StatusCode);
        }

        // Nothing listens there: exporting fails quietly and the service carries on.
        await using var pushing = api.CreateInstance(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        using var pushingClient = pushing.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await pushingClient.GetAsync("/v1/elections", Ct)).StatusCode);
        Assert.NotNull(pushing.Services.GetService<TracerProvider>());
        Assert.Contains("elections_", await pushingClient.GetStringAsync("/metrics", Ct), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> CorrectAsync(string path, EntityTagHeaderValue etag, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/declarations") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(etag);
        return await api.Admin.SendAsync(request, Ct);
    }

    private async Task WaitForListenerAsync()
    {
        var listener = api.Factory.Services.GetRequiredService<ChangeListener>();
        for (var i = 0; i < 100 && !listener.IsListening; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(listener.IsListening);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100, Ct);
        return true;
    }
}
