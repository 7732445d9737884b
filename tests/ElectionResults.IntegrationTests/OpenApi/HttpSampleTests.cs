using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ElectionResults.IntegrationTests.Infrastructure;

namespace ElectionResults.IntegrationTests.OpenApi;

/// <summary>
/// Runs src/ElectionResults.Api/ElectionResults.Api.http as a developer would, request after request on the demo
/// night: every one must succeed (and, like every response here, meet openapi.yaml). Supports what the file uses:
/// <c>@variables</c>, <c># @name</c> requests whose answers later ones quote (<c>{{name.response.body.$.id}}</c>,
/// <c>{{name.response.headers.ETag}}</c>), and <c>&lt; file</c> bodies.
/// </summary>
public sealed partial class HttpSampleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_request_of_the_sample_file_succeeds_in_order()
    {
        await api.LoadDemoDataAsync();
        var path = Path.Combine(RepositoryRoot(), "src", "ElectionResults.Api", "ElectionResults.Api.http");
        var text = await File.ReadAllTextAsync(path, Ct);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["host"] = "", ["key"] = ApiFixture.AdminKey };
        var named = new Dictionary<string, HttpResponseMessage>(StringComparer.Ordinal);
        var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
        var ran = 0;

        // README's own examples run first, as a developer who follows both would: the keys they create must not clash (409).
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"), Ct);
        var readmeKeys = ReadmeKeyCreation().Matches(readme).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(readmeKeys);
        foreach (var keyBody in readmeKeys)
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = new StringContent(keyBody, Encoding.UTF8, "application/json") };
            create.Headers.Add("X-Api-Key", ApiFixture.AdminKey);
            using var created = await api.Client.SendAsync(create, Ct);
            Assert.True(created.IsSuccessStatusCode, $"README's key {keyBody} answered {(int)created.StatusCode}");
        }

        foreach (var (block, index) in text.ReplaceLineEndings("\n").Split("\n###").Select((b, n) => (b, n)))
        {
            // After a separator, the rest of its line is the request's title.
            var title = index == 0 ? "" : block.Split('\n')[0].Trim();
            var lines = block.Split('\n').Skip(index == 0 ? 0 : 1).ToList();
            string? name = null;
            var i = 0;
            for (; i < lines.Count; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith('@') && line.Contains('=', StringComparison.Ordinal))
                {
                    var parts = line[1..].Split('=', 2);
                    variables.TryAdd(parts[0].Trim(), parts[1].Trim());
                    continue;
                }

                if (line.StartsWith("# @name", StringComparison.Ordinal))
                {
                    name = line["# @name".Length..].Trim();
                    continue;
                }

                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                break;
            }

            if (i >= lines.Count || !RequestLine().IsMatch(lines[i].Trim()))
            {
                continue;
            }

            string Expand(string value) => Placeholder().Replace(value, m =>
            {
                var key = m.Groups[1].Value;
                if (variables.TryGetValue(key, out var v))
                {
                    return v;
                }

                var reference = key.Split('.', 4);
                var response = named[reference[0]];
                return reference[2] == "headers"
                    ? string.Join(",", response.Headers.TryGetValues(reference[3], out var values) ? values : [])
                    : JsonNode.Parse(bodies[reference[0]])![reference[3].TrimStart('$', '.')]!.ToJsonString();
            });

            var requestLine = Expand(lines[i].Trim()).Split(' ', 2);
            using var request = new HttpRequestMessage(new HttpMethod(requestLine[0]), requestLine[1].Trim());
            var contentType = "application/json";
            for (i++; i < lines.Count && lines[i].Trim().Length > 0; i++)
            {
                var header = Expand(lines[i]).Split(':', 2);
                if (header[0].Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = header[1].Trim();
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(header[0].Trim(), header[1].Trim());
                }
            }

            var body = string.Join('\n', lines.Skip(i + 1).Where(l => !l.TrimStart().StartsWith('#'))).Trim();
            if (body.StartsWith("< ", StringComparison.Ordinal))
            {
                var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, body[2..].Trim()));
                request.Content = new ByteArrayContent(await File.ReadAllBytesAsync(file, Ct));
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
            else if (body.Length > 0)
            {
                request.Content = new StringContent(Expand(body) + "\n", Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            // A stream of events never ends: its headers are the answer.
            var stream = request.Headers.Accept.Any(a => a.MediaType == "text/event-stream");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var response = await api.Client.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
            var answer = stream ? "" : await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"{requestLine[0]} {requestLine[1]} answered {(int)response.StatusCode}: {answer}");
            if (stream)
            {
                await timeout.CancelAsync();
                response.Dispose();
            }

            // Each request answers what its title promises.
            var json = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(answer) : null;
            if (json is JsonArray elections)
            {
                // The list of elections: each says where it stands.
                Assert.All(elections, e => Assert.Contains(e?["status"]?.GetValue<string>(), new[] { "notStarted", "partial", "complete", "certified" }));
            }

            if (json is JsonObject && json["constituencies"] is JsonArray listed)
            {
                Assert.True(listed.Count > 0, $"{requestLine[0]} {requestLine[1]} ({title}) answered an empty list.");
            }

            if (title.Contains("East Midlands patch", StringComparison.Ordinal))
            {
                Assert.Equal("bbc-east-midlands", json?["area"]?["id"]?.GetValue<string>());
                Assert.Equal(32, json?["seats"]?.GetValue<int>());
            }

            if (requestLine[1].EndsWith("/certification", StringComparison.Ordinal) || requestLine[1].Contains("/certification?", StringComparison.Ordinal))
            {
                Assert.Equal(requestLine[0] == "PUT" ? "certified" : "complete", json?["status"]?.GetValue<string>());
            }

            if (body.Contains("\"winnerKnown\"", StringComparison.Ordinal))
            {
                // README's desk section says so too: the state is recorded, not refused.
                Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
                Assert.Equal("winnerKnown", json?["status"]?.GetValue<string>());
            }

            if (name is not null)
            {
                named[name] = response;
                bodies[name] = answer;
            }

            ran++;
        }

        Assert.True(ran >= 15, $"Only {ran} requests were found in the sample file.");
    }

    [GeneratedRegex("^(GET|PUT|POST|DELETE|PATCH|HEAD) ")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"/v1/api-keys -H 'X-Api-Key: dev-admin-key' -H 'Content-Type: application/json' \\\s+-d '(\{[^']*\})'")]
    private static partial Regex ReadmeKeyCreation();

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex Placeholder();

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
