using System.Net;
using System.Net.Http.Headers;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.ReadModel;

/// <summary>
/// A document is the same bytes in every coding: brotli when the client takes it, else gzip, else plain, each with its own
/// strong ETag, and a 304 for a client that holds the content in any coding. Each request is made twice, so that the
/// second is answered from memory (the front door) and must agree with the endpoint's answer.
/// </summary>
public sealed class ContentCodingTests(DemoApiFixture demo) : IClassFixture<DemoApiFixture>
{
    private HttpClient Client => demo.Api.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Documents =>
    [
        "/v1/elections/ge2017/tally",
        "/v1/elections/ge2017/areas/east-midlands/tally",
        "/v1/elections/ge2017/constituencies/E14000810",
        "/v1/elections/ge2017/constituencies",
    ];

    private sealed record Answer(HttpStatusCode Status, string? Coding, string? ETag, string Vary, byte[] Body);

    private async Task<Answer> GetAsync(string path, string? acceptEncoding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        using var response = await Client.SendAsync(request, Ct);
        return new Answer(
            response.StatusCode, response.Content.Headers.ContentEncoding.SingleOrDefault(), response.Headers.ETag?.ToString(),
            string.Join(", ", response.Headers.Vary), await response.Content.ReadAsByteArrayAsync(Ct));
    }

    /// <summary>Both answers to the same request (the endpoint's or the front door's, then the front door's) are equal.</summary>
    private async Task<Answer> GetTwiceAsync(string path, string? acceptEncoding, string? ifNoneMatch = null)
    {
        var first = await GetAsync(path, acceptEncoding, ifNoneMatch);
        var second = await GetAsync(path, acceptEncoding, ifNoneMatch);
        Assert.Equal((first.Status, first.Coding, first.ETag, first.Vary), (second.Status, second.Coding, second.ETag, second.Vary));
        Assert.Equal(first.Body, second.Body);
        return first;
    }

    /// <summary>The plain bytes the answer carries, whatever its coding (<see cref="ContractValidatingHandler.Decode"/>).</summary>
    private static byte[] Decode(Answer answer) => ContractValidatingHandler.Decode(answer.Body, answer.Coding is null ? [] : [answer.Coding]);

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Each_coding_carries_the_plain_bytes_under_its_own_strong_etag(string path)
    {
        var plain = await GetTwiceAsync(path, null);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Null(plain.Coding);
        Assert.Contains("Accept-Encoding", plain.Vary, StringComparison.Ordinal);
        var tag = EntityTagHeaderValue.Parse(plain.ETag!);
        Assert.False(tag.IsWeak);

        var gzip = await GetTwiceAsync(path, "gzip");
        Assert.Equal(("gzip", tag.Tag.TrimEnd('"') + "-gz\""), (gzip.Coding, gzip.ETag));
        Assert.Equal(plain.Body, Decode(gzip));
        Assert.True(gzip.Body.Length < plain.Body.Length);

        var brotli = await GetTwiceAsync(path, "gzip, deflate, br");
        Assert.Equal(("br", tag.Tag.TrimEnd('"') + "-br\""), (brotli.Coding, brotli.ETag));
        Assert.Equal(plain.Body, Decode(brotli));
    }

    [Theory]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("gzip;q=0", null)]
    [InlineData("gzip;q=0, br;q=0", null)]
    [InlineData("x-gzip, identity", null)]
    [InlineData("*", null)]
    public async Task A_coding_weighted_zero_or_not_named_is_not_sent(string acceptEncoding, string? expected)
    {
        const string path = "/v1/elections/ge2017/constituencies/E14000810";
        var plain = await GetAsync(path, null);

        var answer = await GetTwiceAsync(path, acceptEncoding);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(expected, answer.Coding);
        Assert.Equal(plain.Body, Decode(answer));
    }

    [Fact]
    public async Task A_client_holding_the_content_in_any_coding_gets_304_with_the_tag_of_the_coding_it_asks_for()
    {
        const string path = "/v1/elections/ge2017/areas/east-midlands/tally";
        var plain = await GetAsync(path, null);
        var gzip = await GetAsync(path, "gzip");

        var plainHeldAskingGzip = await GetTwiceAsync(path, "gzip", plain.ETag);
        var gzipHeldAskingPlain = await GetTwiceAsync(path, null, gzip.ETag);

        Assert.Equal((HttpStatusCode.NotModified, gzip.ETag), (plainHeldAskingGzip.Status, plainHeldAskingGzip.ETag));
        Assert.Equal((HttpStatusCode.NotModified, plain.ETag), (gzipHeldAskingPlain.Status, gzipHeldAskingPlain.ETag));
        Assert.Empty(plainHeldAskingGzip.Body);
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip;q=0", null)]
    [InlineData("x-gzip", null)]
    public async Task The_pages_take_the_same_reading_of_accept_encoding(string acceptEncoding, string? expected)
    {
        var plain = await GetAsync("/live", null);

        var answer = await GetAsync("/live", acceptEncoding);

        Assert.Equal((HttpStatusCode.OK, expected), (answer.Status, answer.Coding));
        Assert.Equal(plain.Body, Decode(answer));
    }
}
