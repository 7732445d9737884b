using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.IntegrationTests.Deployment;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.OpenApi;

/// <summary>
/// The response check that every client of the fixture runs (<see cref="ContractValidatingHandler"/>) really fails
/// on responses that openapi.yaml does not allow; errors name the field, not C# types; the `openapi` verb writes
/// the committed document.
/// </summary>
public sealed class ContractValidationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Uri Election = new("http://localhost/v1/elections/ge2017");
    private static readonly Uri Declarations = new("http://localhost/v1/elections/ge2017/constituencies/E14000810/declarations");
    private static readonly Dictionary<string, string> NoHeaders = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<string> Check(HttpMethod method, Uri uri, HttpStatusCode status, string? json, IReadOnlyDictionary<string, string>? headers = null) =>
        OpenApiContract.Instance.Check(method, uri, status, headers ?? NoHeaders, json is null ? null : "application/json; charset=utf-8", json is null ? null : Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_body_that_meets_the_schema_passes()
    {
        Assert.Empty(Check(HttpMethod.Get, Election, HttpStatusCode.OK,
            """{"id":"ge2017","name":"UK general election 2017","pollingDay":"2017-06-08","kind":"general","previousElectionId":"ge2015","isTest":false,"status":"complete","certifiedAt":null,"certifiedBy":null,"certificationSource":null}"""));
        Assert.Empty(Check(HttpMethod.Get, Election, HttpStatusCode.OK,
            """{"id":"ge2015","name":"UK general election 2015","pollingDay":"2015-05-07","kind":"general","previousElectionId":null,"isTest":false,"status":"certified","certifiedAt":"2015-05-20T10:00:00+00:00","certifiedBy":"results-desk","certificationSource":"Returning officers' declarations"}"""));
    }

    [Fact]
    public void A_missing_field_a_wrong_type_or_an_unexpected_null_fails()
    {
        Assert.Contains(Check(HttpMethod.Get, Election, HttpStatusCode.OK,
            """{"id":"ge2017","name":"UK general election 2017","pollingDay":"2017-06-08","previousElectionId":null,"isTest":false}"""), e => e.Contains("kind", StringComparison.Ordinal));
        Assert.NotEmpty(Check(HttpMethod.Get, Election, HttpStatusCode.OK,
            """{"id":"ge2017","name":"UK general election 2017","pollingDay":"2017-06-08","kind":"general","previousElectionId":null,"isTest":"no"}"""));
        Assert.NotEmpty(Check(HttpMethod.Get, Election, HttpStatusCode.OK,
            """{"id":"ge2017","name":null,"pollingDay":"2017-06-08","kind":"general","previousElectionId":null,"isTest":false}"""));
    }

    [Fact]
    public void An_undocumented_status_media_type_or_missing_required_header_fails()
    {
        Assert.Contains(Check(HttpMethod.Get, Election, HttpStatusCode.Conflict, null), e => e.Contains("status 409 is not documented", StringComparison.Ordinal));
        Assert.Contains(OpenApiContract.Instance.Check(HttpMethod.Get, Election, HttpStatusCode.OK, NoHeaders, "text/html", "<p>hi</p>"u8.ToArray()),
            e => e.Contains("media type text/html", StringComparison.Ordinal));
        // A declaration's 201 must carry the document's ETag (a correction needs it).
        Assert.Contains(Check(HttpMethod.Post, Declarations, HttpStatusCode.Created, null), e => e.Contains("ETag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_handler_fails_the_request_that_received_a_wrong_response()
    {
        var wrong = new StubHandler(HttpStatusCode.OK, """{"id":"ge2017"}""");
        using var client = new HttpClient(new ContractValidatingHandler { InnerHandler = wrong }) { BaseAddress = new Uri("http://localhost") };
        var failure = await Assert.ThrowsAsync<ContractViolationException>(() => client.GetAsync("/v1/elections/ge2017", Ct));
        Assert.Contains("GET /v1/elections/{electionId}", failure.Message, StringComparison.Ordinal);

        // Paths the document does not describe are not checked.
        using var page = new HttpClient(new ContractValidatingHandler { InnerHandler = new StubHandler(HttpStatusCode.OK, "{}") }) { BaseAddress = new Uri("http://localhost") };
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync("/live", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_fixture_clients_check_real_responses()
    {
        // A real 201 passes the check (ETag and all); the fixture's client would have thrown otherwise.
        var response = await api.Admin.PutAsJsonAsync("/v1/parties/Con", new { name = "Conservative", colour = "#0087DC" }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        var handlers = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(api.Client);
        var chain = new List<string>();
        for (var handler = handlers as HttpMessageHandler; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler.GetType().Name);
        }

        Assert.Contains(nameof(ContractValidatingHandler), chain);
    }

    [Theory]
    [InlineData("""{"name": 5, "colour": "#0087DC"}""", "name", "a string")]
    [InlineData("""{"name": "Conservative", "colour": "#0087DC", "shade": "blue"}""", "shade", "not a field")]
    [InlineData("""{"name": "Conservative", "colour": """, null, "not valid JSON")]
    public async Task A_body_that_cannot_be_read_names_the_field_and_not_a_csharp_type(string body, string? field, string problem)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await api.Admin.PutAsync("/v1/parties/Con", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var problemDetails = JsonNode.Parse(text)!;
        Assert.DoesNotContain("PutPartyRequest", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.Contains(problem, problemDetails["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var errors = problemDetails["errors"]!.AsObject();
        Assert.NotEmpty(errors);
        if (field is not null)
        {
            Assert.True(errors.ContainsKey(field), text);
        }
    }

    [Fact]
    public async Task A_query_parameter_that_cannot_be_read_is_named()
    {
        var response = await api.Client.GetAsync("/v1/elections/ge2017/changes?since=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("long", text, StringComparison.Ordinal);
        Assert.True(text.Contains("'yesterday' is not a whole number", StringComparison.Ordinal), text);
        Assert.NotNull(JsonNode.Parse(text)!["errors"]!["since"]);
    }

    [Fact]
    public async Task The_openapi_verb_writes_the_committed_document()
    {
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.yaml");
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", [ApiProcess.Binary, "openapi", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await process.WaitForExitAsync(Ct);
            Assert.Equal(0, process.ExitCode);
            var written = await File.ReadAllTextAsync(file, Ct);
            Assert.Equal(await OpenApiExtensions.RenderYamlAsync(api.Factory.Services), written);
            Assert.Contains("/v1/elections/{electionId}/constituencies/{code}/declarations", written, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class StubHandler(HttpStatusCode status, string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request });
    }
}
