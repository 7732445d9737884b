using System.Net;
using System.Net.Http.Json;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Safety;

public sealed class RateLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_over_the_per_key_limit_get_429_with_retry_after()
    {
        await using var limited = api.CreateInstance(new Dictionary<string, string> { ["RateLimits:WritesPerMinute"] = "3" });
        using var admin = limited.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await admin.PutAsJsonAsync($"/v1/parties/P{i}", new { name = $"Party {i}", colour = "#123456" }, Ct)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var refused = await admin.PutAsJsonAsync("/v1/parties/P9", new { name = "Party 9", colour = "#123456" }, Ct);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(429, (await refused.ReadAsync<ProblemDto>()).Status);
        var parties = await (await admin.GetAsync("/v1/parties", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"P2\"", parties);
        Assert.DoesNotContain("\"P3\"", parties);
    }

    [Fact]
    public async Task Reads_are_limited_per_address_but_conditional_reads_are_not_starved()
    {
        await api.LoadDemoDataAsync();
        await using var limited = api.CreateInstance(new Dictionary<string, string> { ["RateLimits:ReadsPerSecond"] = "3", ["RateLimits:ConditionalReadsPerSecond"] = "100000" });
        using var client = limited.CreateClient();
        var first = await client.GetAsync("/v1/elections/ge2017/tally", Ct);
        var etag = first.Headers.ETag!;

        var plain = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetAsync("/v1/elections/ge2017/tally", Ct)));
        var conditional = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/tally");
            request.Headers.IfNoneMatch.Add(etag);
            return client.SendAsync(request, Ct);
        }));

        Assert.Contains(plain, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(conditional, r => Assert.Equal(HttpStatusCode.NotModified, r.StatusCode));
    }

    [Fact]
    public async Task Every_counted_response_says_the_limit_what_is_left_and_when_the_window_resets()
    {
        await api.LoadDemoDataAsync();
        await using var limited = api.CreateInstance(new Dictionary<string, string>
        {
            ["RateLimits:WritesPerMinute"] = "3", ["RateLimits:ReadsPerSecond"] = "400", ["RateLimits:ConditionalReadsPerSecond"] = "7000",
        });
        using var admin = limited.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);

        var writes = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            writes.Add(await admin.PutAsJsonAsync($"/v1/parties/R{i}", new { name = $"Party {i}", colour = "#123456" }, Ct));
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], writes.Select(w => w.StatusCode));
        Assert.All(writes, w => Assert.Equal("3", Header(w, "RateLimit-Limit")));
        Assert.All(writes, w => Assert.Equal("3;w=60", Header(w, "RateLimit-Policy")));
        Assert.Equal(["2", "1", "0", "0"], writes.Select(w => Header(w, "RateLimit-Remaining")));
        Assert.All(writes, w => Assert.InRange(int.Parse(Header(w, "RateLimit-Reset"), System.Globalization.CultureInfo.InvariantCulture), 1, 60));
        Assert.Equal(writes[3].Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(writes[3], "RateLimit-Reset"));

        // Reads: the first is rendered, the second served from memory, the third a 304; each is counted and says so.
        using var reader = limited.CreateClient();
        using var rendered = await reader.GetAsync("/v1/elections/ge2017/tally", Ct);
        using var remembered = await reader.GetAsync("/v1/elections/ge2017/tally", Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/elections/ge2017/tally");
        conditional.Headers.IfNoneMatch.Add(rendered.Headers.ETag!);
        using var notModified = await reader.SendAsync(conditional, Ct);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        foreach (var read in new[] { rendered, remembered })
        {
            Assert.Equal("400", Header(read, "RateLimit-Limit"));
            Assert.Equal("400;w=1", Header(read, "RateLimit-Policy"));
            Assert.InRange(int.Parse(Header(read, "RateLimit-Remaining"), System.Globalization.CultureInfo.InvariantCulture), 0, 399);
            Assert.Equal("1", Header(read, "RateLimit-Reset"));
        }

        Assert.Equal("7000", Header(notModified, "RateLimit-Limit"));
        Assert.Equal("6999", Header(notModified, "RateLimit-Remaining"));

        // Pages and probes are outside the limits and say nothing of them.
        using var health = await reader.GetAsync("/health/live", Ct);
        Assert.False(health.Headers.Contains("RateLimit-Limit"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : []);
}
