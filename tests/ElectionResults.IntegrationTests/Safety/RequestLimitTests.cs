using System.Net;
using System.Text;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.Safety;

public sealed class RequestLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Path = "/v1/elections/limits";

    private async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (await response.ReadAsync<ProblemDto>()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync(Path, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_json_body_over_64_kilobytes_is_413()
    {
        var json = $$"""{"name":"{{new string('x', 70_000)}}","pollingDay":"2019-12-12","kind":"general"}""";

        await AssertProblem(await api.Admin.PutAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"), Ct), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_limit_is_413()
    {
        var json = $$"""{"name":"{{new string('x', 70_000)}}","pollingDay":"2019-12-12","kind":"general"}""";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, Path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await AssertProblem(await api.Admin.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("text/csv")]
    public async Task A_write_that_is_not_json_is_415(string contentType)
    {
        var body = new StringContent("""{"name":"x","pollingDay":"2019-12-12","kind":"general"}""", Encoding.UTF8, contentType);

        await AssertProblem(await api.Admin.PutAsync(Path, body, Ct), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var json = """{"name":"x","pollingDay":"2019-12-12","kind":"general","isTest":""" + new string('[', 100) + new string(']', 100) + "}";

        await AssertProblem(await api.Admin.PutAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"), Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_fields_are_400()
    {
        var json = """{"name":"x","pollingDay":"2019-12-12","kind":"general","winner":"Con"}""";

        await AssertProblem(await api.Admin.PutAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"), Ct), HttpStatusCode.BadRequest);
    }
}
