using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Deployment;
using ElectionResults.IntegrationTests.Infrastructure;
using ElectionResults.IntegrationTests.Operations;
using Npgsql;

namespace ElectionResults.IntegrationTests.ReadModel;

/// <summary>
/// Two instances of the binary on one database, as behind a load balancer: both listen for changes (their
/// <c>/metrics</c> say so before and after), and each correction taken by the first is served by the second within
/// 250 ms of the write's answer. Reads fall back to asking the database when the listener is down, so the listener's
/// gauge is asserted first: with it dead this test fails, however fast that fallback is.
/// </summary>
public sealed class FreshnessTests(PostgresServer server)
{
    private const string AdminKey = "a-long-admin-key-for-the-freshness-test";
    private const string Mansfield = "/v1/elections/ge2017/constituencies/E14000810";
    private const int Writes = 10;
    private static readonly TimeSpan Goal = TimeSpan.FromMilliseconds(250);

    /// <summary>A busy machine may stall one poll now and then: one write of ten may take up to a second.</summary>
    private static readonly TimeSpan StallAllowance = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Candidate(long Id, long? Votes);

    private sealed record Seat(int? Revision, List<Candidate> Candidates);

    [Fact]
    public async Task A_second_instance_serves_each_write_within_250_ms_through_its_listener()
    {
        var connection = await server.CreateDatabaseAsync(demo: true);
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings__Elections"] = connection,
                ["Auth__AdminKey"] = AdminKey,
                ["Database__MigrateOnStartup"] = "false",
                ["RateLimits__Enabled"] = "false",
                ["Replays__Play"] = "false",
            };
            await using var writer = ApiProcess.Start(settings);
            await using var reader = ApiProcess.Start(settings);
            using var a = new HttpClient { BaseAddress = await writer.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)) };
            using var b = new HttpClient { BaseAddress = await reader.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)) };
            a.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

            var delays = new List<TimeSpan>();
            var (etag, seat) = await ReadAsync(a);
            await ReadAsync(b);   // warm: the second instance has the document in memory before the first write
            await AssertListeningAsync(a, "the writing instance");
            await AssertListeningAsync(b, "the reading instance");
            for (var i = 1; i <= Writes; i++)
            {
                using var correction = new HttpRequestMessage(HttpMethod.Post, $"{Mansfield}/declarations")
                {
                    Content = JsonContent.Create(new
                    {
                        votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value }).ToArray(),
                        invalidVotes = 100 + i,
                        declaredAt = "2017-06-09T04:17:00+01:00",
                        source = "Returning officer",
                        reason = $"freshness check {i}",
                    }),
                };
                correction.Headers.IfMatch.Add(etag);
                using var written = await a.SendAsync(correction, Ct);
                var answered = Stopwatch.GetTimestamp();
                Assert.True(written.StatusCode == HttpStatusCode.Created, $"correction {i}: {(int)written.StatusCode} {await written.Content.ReadAsStringAsync(Ct)}");
                seat = (await written.Content.ReadFromJsonAsync<Seat>(Ct))!;
                etag = written.Headers.ETag!;

                delays.Add(await VisibleAfterAsync(b, seat.Revision!.Value, answered));
            }

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"write on one instance to visible on the other, ms: {string.Join(", ", delays.Select(d => d.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)))}");

            // Still listening afterwards: no write was served by the database fallback after a dropped listener.
            await AssertListeningAsync(a, "the writing instance");
            await AssertListeningAsync(b, "the reading instance");
            Assert.True(delays.Count(d => d > Goal) <= 1 && delays.All(d => d <= StallAllowance),
                $"Each write must be visible on the other instance within {Goal.TotalMilliseconds} ms (one stall of up to {StallAllowance.TotalSeconds} s allowed): {string.Join(", ", delays.Select(d => d == TimeSpan.MaxValue ? "never" : $"{d.TotalMilliseconds:0} ms"))}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }

    /// <summary>The instance's gauge <c>elections_change_listener_connected</c> reads 1 (it gets a few seconds to connect).</summary>
    private static async Task AssertListeningAsync(HttpClient client, string which)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(10 * Stopwatch.Frequency);
        Scrape scrape;
        do
        {
            scrape = await Scrape.FromAsync(client);
            if (scrape.Values("elections_change_listener_connected").SequenceEqual([1.0]))
            {
                return;
            }

            await Task.Delay(50, Ct);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        Assert.Fail($"The change listener of {which} is not connected: elections_change_listener_connected = [{string.Join(", ", scrape.Values("elections_change_listener_connected"))}]");
    }

    private static async Task<(EntityTagHeaderValue ETag, Seat Seat)> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Mansfield, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.ETag!, (await response.Content.ReadFromJsonAsync<Seat>(Ct))!);
    }

    /// <summary>Polls every 2 ms until the instance serves <paramref name="revision"/>; the time since the write's answer (at most 3 s).</summary>
    private static async Task<TimeSpan> VisibleAfterAsync(HttpClient client, int revision, long answered)
    {
        while (true)
        {
            var (_, seat) = await ReadAsync(client);
            var elapsed = Stopwatch.GetElapsedTime(answered);
            if (seat.Revision == revision || elapsed > TimeSpan.FromSeconds(3))
            {
                return seat.Revision == revision ? elapsed : TimeSpan.MaxValue;
            }

            await Task.Delay(2, Ct);
        }
    }
}
