using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace ElectionResults.IntegrationTests.OpenApi;

public sealed class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Regenerate = "UPDATE_OPENAPI=1 scripts/test --filter OpenApi";

    [Fact]
    public async Task Committed_openapi_yaml_matches_the_code()
    {
        var generated = await OpenApiExtensions.RenderYamlAsync(api.Factory.Services);
        var path = Path.Combine(RepositoryRoot(), "openapi.yaml");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated, TestContext.Current.CancellationToken);
            return;
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n") : "";
        if (committed != generated)
        {
            var diff = InlineDiffBuilder.Diff(committed, generated);
            var changed = diff.Lines
                .Where(l => l.Type != ChangeType.Unchanged)
                .Take(60)
                .Select(l => (l.Type == ChangeType.Inserted ? "+ " : "- ") + l.Text);
            Assert.Fail($"openapi.yaml is out of date with the code. Regenerate it with:\n  {Regenerate}\nDiff (committed → generated):\n{string.Join('\n', changed)}");
        }
    }

    [Fact]
    public async Task Swagger_UI_tries_requests_on_the_origin_that_served_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://results.newsroom.test:8401"),
        });

        var initializer = await client.GetStringAsync("/swagger/index.js", ct);
        Assert.Contains("/swagger/v1/swagger.json", initializer, StringComparison.Ordinal);

        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json", ct));
        var servers = document.RootElement.GetProperty("servers").EnumerateArray().ToArray();
        Assert.Equal("http://results.newsroom.test:8401", Assert.Single(servers).GetProperty("url").GetString());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/v1/elections/{electionId}/tally", out _));

        // The published document keeps the committed server.
        using var published = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", ct));
        Assert.Equal("http://127.0.0.1:8080", published.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public void Document_has_no_validation_errors_and_every_operation_is_described()
    {
        // Round-trip through the serialised form, as a client generator would read it.
        var generated = api.Factory.Services.GetRequiredService<ISwaggerProvider>().GetSwagger(OpenApiExtensions.DocumentName);
        using var json = new StringWriter();
        generated.SerializeAsV3(new OpenApiJsonWriter(json));
        var read = OpenApiDocument.Parse(json.ToString(), "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;

        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? [];
        Assert.True(!errors.Any(), string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));

        var operations = document.Paths.SelectMany(path => path.Value.Operations!.Select(op => (path.Key, op.Key, op.Value))).ToArray();
        Assert.NotEmpty(operations);
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{method} {path} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.OperationId), $"{method} {path} has no operationId");
            Assert.Contains(operation.Responses!.Keys, status => status.StartsWith('2'));
        }
    }

    [Fact]
    public void Write_operations_declare_the_api_key_scheme_and_reads_do_not()
    {
        var document = api.Factory.Services.GetRequiredService<ISwaggerProvider>().GetSwagger(OpenApiExtensions.DocumentName);

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var secured = operation.Security is { Count: > 0 };
                if (method == HttpMethod.Get && !path.StartsWith("/v1/api-keys", StringComparison.Ordinal))
                {
                    Assert.False(secured, $"GET {path} should be public");
                }
                else
                {
                    Assert.True(secured, $"{method} {path} should require X-Api-Key");
                    Assert.Contains("401", operation.Responses!.Keys);
                    Assert.Contains("403", operation.Responses!.Keys);
                }
            }
        }
    }

    [Fact]
    public void Every_tag_is_described_and_every_public_operation_says_security_is_empty()
    {
        var document = OpenApiExtensions.Render(api.Factory.Services);
        foreach (var tag in document["tags"]!.AsArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>()),
                $"Tag '{tag!["name"]}' has no description: add it to ContractDocumentFilter.TagDescriptions.");
        }

        Assert.NotNull(document["servers"]);
        Assert.Equal("OGL-UK-3.0", document["info"]!["license"]!["identifier"]!.GetValue<string>());
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.True(operation!["security"] is System.Text.Json.Nodes.JsonArray, $"{method} {path} has no security requirement (public ones say `security: []`).");
            }
        }
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
