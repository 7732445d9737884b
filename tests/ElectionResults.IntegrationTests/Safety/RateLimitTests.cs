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
}
