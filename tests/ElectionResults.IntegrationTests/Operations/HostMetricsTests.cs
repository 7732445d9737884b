using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Operations;

/// <summary>
/// Runs alone, after every parallel test class, and starts no other host. ASP.NET Core's meters belong to a host (made by
/// its meter factory), but OpenTelemetry listens to meters by name across the process and keeps one series per name for
/// all the hosts' instruments of that name. When another host that has served requests shuts down, its
/// <c>Microsoft.AspNetCore.Hosting</c> meter is disposed: the series is exported once more, then dropped, for every host.
/// (One host per process, as in production, never sees this.)
/// </summary>
[CollectionDefinition(nameof(HostMeters), DisableParallelization = true)]
public sealed class HostMeters;

/// <summary>ASP.NET Core's own instruments are exported on /metrics: the request durations, by route and status.</summary>
[Collection(nameof(HostMeters))]
public sealed class HostMetricsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_durations_are_exported_by_route_and_status()
    {
        await api.LoadDemoDataAsync();
        // The first read goes through routing to the endpoint, the second is answered by the front door.
        Assert.True((await api.Client.GetAsync("/v1/elections/ge2017/tally", Ct)).IsSuccessStatusCode);
        Assert.True((await api.Client.GetAsync("/v1/elections/ge2017/tally", Ct)).IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.Client.GetAsync("/v1/elections/no-such-election/tally", Ct)).StatusCode);

        var lines = (await Scrape.FromAsync(api.Client)).Text.Split('\n');

        Assert.Contains(lines, line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"/v1/elections/{electionId}/tally\"", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal));
    }
}
