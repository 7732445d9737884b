using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.OpenApi;

/// <summary>
/// The response examples of openapi.yaml are the demo night's real answers (2017: Mansfield and its correction, the
/// BBC's East Midlands tally), kept in src/ElectionResults.Api/Infrastructure/OpenApi/Examples/{operationId}.json with
/// lists shortened to their first three items. This test checks that each still meets its operation's schema; with
/// UPDATE_EXAMPLES=1 it captures them again (then regenerate openapi.yaml: UPDATE_OPENAPI=1 scripts/test --filter OpenApi).
/// </summary>
public sealed class ResponseExampleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>Which request answers each operation's example. An operation added here gets its example in the document.</summary>
    public static readonly TheoryData<string, string> Operations = new()
    {
        { "ListElections", "/v1/elections" },
        { "GetElection", "/v1/elections/ge2017" },
        { "ListParties", "/v1/parties" },
        { "ListAreas", "/v1/elections/ge2017/areas" },
        { "GetArea", "/v1/elections/ge2017/areas/bbc-east-midlands" },
        { "GetAreaTally", "/v1/elections/ge2017/areas/bbc-east-midlands/tally" },
        { "GetElectionTally", "/v1/elections/ge2017/tally" },
        { "ListConstituencies", "/v1/elections/ge2017/constituencies?area=bbc-east-midlands" },
        { "GetConstituency", "/v1/elections/ge2017/constituencies/E14000810" },
        { "ListRevisions", "/v1/elections/ge2017/constituencies/E14000810/revisions" },
        { "GetChanges", "/v1/elections/ge2017/changes?since=0" },
        { "GetTimeline", "/v1/elections/ge2017/timeline?area=bbc-east-midlands" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_example_is_a_real_answer_that_meets_the_schema(string operationId, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(RepositoryRoot(), "src", "ElectionResults.Api", "Infrastructure", "OpenApi", "Examples", operationId + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_EXAMPLES") == "1")
        {
            await api.LoadDemoDataAsync();
            var answer = await api.Client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var node = Shorten(JsonNode.Parse(await answer.Content.ReadAsStringAsync(ct))!);
            await File.WriteAllTextAsync(file, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
        }

        Assert.True(File.Exists(file), $"{file} is missing; capture it with UPDATE_EXAMPLES=1 scripts/test --filter ResponseExample");
        var errors = OpenApiContract.Instance.Check(HttpMethod.Get, new Uri("http://localhost" + path), HttpStatusCode.OK,
            new Dictionary<string, string> { ["ETag"] = "\"x\"", ["Cache-Control"] = "no-cache" }, "application/json", await File.ReadAllBytesAsync(file, ct));
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\nCapture the examples again with UPDATE_EXAMPLES=1 scripts/test --filter ResponseExample");
    }

    /// <summary>Every list cut to its first three items, so that the document stays readable.</summary>
    private static JsonNode Shorten(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                while (array.Count > 3)
                {
                    array.RemoveAt(array.Count - 1);
                }

                foreach (var item in array.OfType<JsonNode>())
                {
                    Shorten(item);
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToArray())
                {
                    if (value is not null)
                    {
                        Shorten(value);
                    }
                }

                break;
        }

        return node;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ElectionResults.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (ElectionResults.sln).");
    }
}
