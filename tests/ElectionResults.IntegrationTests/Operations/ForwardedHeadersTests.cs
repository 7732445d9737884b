using System.Net;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Operations;

/// <summary>
/// Behind a proxy the read limit partitions on the client: with the proxy known, two clients behind it (different
/// X-Forwarded-For) get separate allowances; from an unknown proxy the header is ignored and they share one. Real Kestrel
/// on loopback, so the connection's address is the proxy's (127.0.0.1).
/// </summary>
public sealed class ForwardedHeadersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Tally = "/v1/elections/ge2017/tally";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_known_proxys_clients_get_separate_read_limits()
    {
        await api.LoadDemoDataAsync();
        // Loopback is a known proxy by default; naming it explicitly must work too.
        var (first, second) = await BothClientsAfterTheFirstIsLimited(new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies"] = "127.0.0.1, ::1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.OK, second);
    }

    [Fact]
    public async Task Loopback_is_a_known_proxy_by_default()
    {
        await api.LoadDemoDataAsync();
        var (first, second) = await BothClientsAfterTheFirstIsLimited([]);
        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.OK, second);
    }

    [Fact]
    public async Task An_unknown_proxys_forwarded_for_is_ignored()
    {
        await api.LoadDemoDataAsync();
        var (first, second) = await BothClientsAfterTheFirstIsLimited(new Dictionary<string, string> { ["ForwardedHeaders:KnownNetworks"] = "10.20.0.0/16" });
        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
    }

    /// <summary>
    /// Client A (203.0.113.1) reads until it is limited; then client B (203.0.113.2) reads once. Returns what A got last
    /// and what B got. Retried when the one-second window turned over in between (A is no longer limited right after B).
    /// </summary>
    private async Task<(HttpStatusCode First, HttpStatusCode Second)> BothClientsAfterTheFirstIsLimited(Dictionary<string, string> settings)
    {
        settings["RateLimits:ReadsPerSecond"] = "5";
        await using var instance = api.CreateInstance(settings);
        instance.UseKestrel(0);
        instance.StartServer();
        using var client = instance.CreateClient();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var first = HttpStatusCode.OK;
            for (var i = 0; i < 50 && first != HttpStatusCode.TooManyRequests; i++)
            {
                first = await Read(client, "203.0.113.1");
            }

            var second = await Read(client, "203.0.113.2");
            if (await Read(client, "203.0.113.1") == HttpStatusCode.TooManyRequests)
            {
                return (first, second);
            }
        }

        throw new InvalidOperationException("The rate-limit window turned over during every attempt.");
    }

    private static async Task<HttpStatusCode> Read(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Tally);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
