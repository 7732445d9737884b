using System.Net;
using System.Text.RegularExpressions;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ElectionResults.IntegrationTests.Pages;

/// <summary>The pages and their assets come from the API itself, with ETags, and load nothing from elsewhere.</summary>
public sealed partial class PageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Files => new()
    {
        { "/live", "text/html" },
        { "/desk", "text/html" },
        { "/assets/live.js", "text/javascript" },
        { "/assets/desk.js", "text/javascript" },
        { "/assets/shared.js", "text/javascript" },
        { "/assets/pages.css", "text/css" },
        { "/assets/constituencies.hexjson", "application/json" },
        { "/assets/hexmap-licence.txt", "text/plain" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_file_is_served_with_a_strong_etag_and_answers_304_when_unchanged(string path, string mediaType)
    {
        var first = await api.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(first.Headers.ETag);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.True(first.Headers.CacheControl?.NoCache);
        Assert.Contains("default-src 'self'", first.Headers.GetValues("Content-Security-Policy").Single());
        Assert.NotEmpty(await first.Content.ReadAsByteArrayAsync(Ct));

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag);
        var second = await api.Client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task The_root_leads_to_the_live_page_and_an_unknown_asset_is_a_404_problem()
    {
        using var client = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var root = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/live", root.Headers.Location?.OriginalString);

        var missing = await api.Client.GetAsync("/assets/nothing.js", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Pages_refer_to_nothing_outside_the_service()
    {
        foreach (var path in new[] { "/live", "/desk", "/assets/live.js", "/assets/desk.js", "/assets/shared.js", "/assets/pages.css" })
        {
            var text = await api.Client.GetStringAsync(path, Ct);
            // Links in the page's own words (licences) are fine; what the browser loads is not: src=, href= of
            // stylesheets and scripts, url(...), @import and fetch/EventSource of absolute addresses.
            Assert.DoesNotMatch(LoadsFromElsewhere(), text);
        }
    }

    [Fact]
    public async Task The_hex_map_has_one_hex_for_each_of_the_650_seats_with_its_licence_served_beside_it()
    {
        var map = await api.Client.GetStringAsync("/assets/constituencies.hexjson", Ct);
        var licence = await api.Client.GetStringAsync("/assets/hexmap-licence.txt", Ct);

        Assert.Equal(650, HexCode().Count(map));
        Assert.Contains("E14000810", map);
        Assert.Contains("Open Innovations", licence);
    }

    [GeneratedRegex("""(src=|<link[^>]+href=|url\(|@import|fetch\(|EventSource\()\s*["'`]?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex LoadsFromElsewhere();

    [GeneratedRegex("\"[ENSW][0-9]{8}\":\\{")]
    private static partial Regex HexCode();
}
