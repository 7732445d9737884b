using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;
using Npgsql;

namespace ElectionResults.IntegrationTests.Safety;

/// <summary>Stops the shared PostgreSQL, so it runs alone, after every parallel test class.</summary>
[CollectionDefinition(nameof(DatabaseOutage), DisableParallelization = true)]
public sealed class DatabaseOutage;

/// <summary>
/// PostgreSQL stops under a running API with readers and writers at work: cached documents keep being
/// served, writes and readiness answer 503 (with Retry-After) rather than hanging or failing with a
/// 500, the service recovers by itself when the database returns, and every write that was answered
/// 2xx is there afterwards.
/// </summary>
[Collection(nameof(DatabaseOutage))]
public sealed class OutageTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Outcome(string Kind, int Status, string? RetryAfter, string? Code = null, int? Revision = null, long[]? Votes = null);

    private static readonly string[] WriterSeats = ["E14000533", "E14000535", "E14000546"];

    [Fact]
    public async Task The_api_rides_out_a_database_outage()
    {
        var api = new ApiFixture(server);
        await api.InitializeAsync();
        try
        {
            await RideOutAsync(api);
        }
        finally
        {
            await server.StartAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            await api.DisposeAsync();
        }
    }

    private async Task RideOutAsync(ApiFixture api)
    {
        await api.LoadDemoDataAsync();
        // Short timeouts, so that a database that does not answer (a paused container) fails fast too.
        var connection = new NpgsqlConnectionStringBuilder(api.ConnectionString) { Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        await using var instance = api.CreateInstance(new Dictionary<string, string> { ["ConnectionStrings:Elections"] = connection });
        using var client = instance.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        using var admin = instance.CreateClient();
        admin.Timeout = TimeSpan.FromSeconds(20);
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);

        string[] hot = ["/v1/elections/ge2017/tally", "/v1/elections/ge2017/areas/east-midlands/tally", "/v1/elections/ge2017/constituencies/E14000810", "/v1/elections/ge2017/constituencies"];
        foreach (var path in hot)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Ct)).StatusCode);
        }

        var outcomes = new ConcurrentBag<Outcome>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var readers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await client.GetAsync(hot[i], CancellationToken.None);
                outcomes.Add(new Outcome("read", (int)response.StatusCode, response.Headers.RetryAfter?.ToString()));
                await Task.Delay(20, CancellationToken.None);
            }
        })).ToArray();
        var writers = WriterSeats.Select(code => Task.Run(() => WriteLoopAsync(admin, code, outcomes, stop.Token))).ToArray();

        await Task.Delay(1000, Ct);
        await server.StopAsync();
        await Task.Delay(1500, Ct);
        var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var refusedWrite = await admin.PutAsJsonAsync("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC" }, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedWrite.StatusCode);
        Assert.NotNull(refusedWrite.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refusedWrite.Content.Headers.ContentType?.MediaType);
        await Task.Delay(1500, Ct);

        await server.StartAsync();
        var back = DateTime.UtcNow;
        var recovered = false;
        var recoveredAfter = TimeSpan.Zero;
        while (DateTime.UtcNow - back < TimeSpan.FromSeconds(5))
        {
            var probe = await client.GetAsync("/health/ready", Ct);
            var write = await admin.PutAsJsonAsync("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC" }, Ct);
            if (probe.StatusCode == HttpStatusCode.OK && write.IsSuccessStatusCode)
            {
                recovered = true;
                recoveredAfter = DateTime.UtcNow - back;
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.True(recovered, $"The API did not recover within 5 s of the database returning: {string.Join(", ", outcomes.GroupBy(o => $"{o.Kind} {o.Status}").Select(g => $"{g.Key} × {g.Count()}"))}");
        await Task.Delay(1000, Ct);
        await stop.CancelAsync();
        await Task.WhenAll(readers.Concat(writers));

        var all = outcomes.ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"outage: {all.Count(o => o.Kind == "read")} reads ({all.Count(o => o.Kind == "read" && o.Status == 200)} × 200), " +
            $"{all.Count(o => o.Kind == "write")} writes ({all.Count(o => o.Kind == "write" && o.Status == 201)} × 201, {all.Count(o => o.Status == 503)} × 503), " +
            $"recovered {recoveredAfter.TotalSeconds:F1} s after the restart");
        Assert.Empty(all.Where(o => o.Status >= 500 && o.Status != 503).Select(o => $"{o.Kind} {o.Status}"));
        Assert.All(all.Where(o => o.Status == 503), o => Assert.NotNull(o.RetryAfter));
        var histogram = string.Join(", ", all.GroupBy(o => $"{o.Kind} {o.Status}").Select(g => $"{g.Key} × {g.Count()}"));
        Assert.True(all.Where(o => o.Kind == "read").All(o => o.Status == 200), $"cached reads must keep answering 200: {histogram}");
        Assert.Contains(all, o => o.Kind == "write" && o.Status == 503);
        var acknowledged = all.Where(o => o.Kind == "write" && o.Status == 201).ToArray();
        Assert.NotEmpty(acknowledged);

        foreach (var write in acknowledged)
        {
            var revisions = await (await client.GetAsync($"/v1/elections/ge2017/constituencies/{write.Code}/revisions", Ct)).ReadAsync<RevisionsWithVotes>();
            var stored = revisions.Revisions.SingleOrDefault(r => r.Revision == write.Revision);
            Assert.True(stored is not null, $"{write.Code} revision {write.Revision} was acknowledged but is missing");
            Assert.Equal(write.Votes!.Order(), stored!.Votes.Select(v => v.Votes).Order());
        }
    }

    private sealed record VoteDto(long CandidateId, long Votes);

    private sealed record RevisionWithVotes(int Revision, List<VoteDto> Votes);

    private sealed record RevisionsWithVotes(List<RevisionWithVotes> Revisions);

    private static async Task WriteLoopAsync(HttpClient admin, string code, ConcurrentBag<Outcome> outcomes, CancellationToken stop)
    {
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            round++;
            var read = await admin.GetAsync($"/v1/elections/ge2017/constituencies/{code}", CancellationToken.None);
            if (read.StatusCode != HttpStatusCode.OK)
            {
                outcomes.Add(new Outcome("write-read", (int)read.StatusCode, read.Headers.RetryAfter?.ToString()));
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            var seat = await read.ReadAsync<ConstituencyDto>();
            var votes = seat.Candidates.Select((c, i) => (c.Id, Votes: 1000L + (round * 7) + i)).ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/elections/ge2017/constituencies/{code}/declarations")
            {
                Content = JsonContent.Create(new
                {
                    votes = votes.Select(v => new { candidateId = v.Id, votes = v.Votes }).ToArray(),
                    declaredAt = "2017-06-09T04:00:00+01:00",
                    source = "outage test",
                    reason = $"round {round}",
                }),
            };
            request.Headers.IfMatch.Add(read.Headers.ETag!);
            var response = await admin.SendAsync(request, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var written = await response.ReadAsync<ConstituencyDto>();
                outcomes.Add(new Outcome("write", 201, null, code, written.Revision, votes.Select(v => v.Votes).ToArray()));
            }
            else
            {
                outcomes.Add(new Outcome("write", (int)response.StatusCode, response.Headers.RetryAfter?.ToString()));
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
