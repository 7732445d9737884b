using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Swashbuckle.AspNetCore.Swagger;

namespace ElectionResults.IntegrationTests.Safety;

/// <summary>
/// Every endpoint of the API × {no key, revoked key, reader, results-entry, admin}: writes answer 401
/// without a working key and 403 below their role, reads are public, and every status that comes back
/// is one the OpenAPI document lists for that operation. The requests carry invalid bodies, so even an
/// authorised one changes nothing.
/// </summary>
public sealed class AuthMatrixTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreatedKey(long Id, string Key);

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_key_as_documented()
    {
        await api.LoadDemoDataAsync();
        var keys = new Dictionary<string, string?> { ["none"] = null, ["admin"] = ApiFixture.AdminKey };
        foreach (var role in new[] { ApiRoles.Reader, ApiRoles.ResultsEntry })
        {
            keys[role] = (await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = $"matrix-{role}", role }, Ct)).ReadAsync<CreatedKey>()).Key;
        }

        var revoked = await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "matrix-revoked", role = ApiRoles.Admin }, Ct)).ReadAsync<CreatedKey>();
        await api.Admin.DeleteAsync($"/v1/api-keys/{revoked.Id}", Ct);
        keys["revoked"] = revoked.Key;

        var document = api.Factory.Services.GetRequiredService<ISwaggerProvider>().GetSwagger(OpenApiExtensions.DocumentName);
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => (Endpoint: e, Method: method)))
            .ToArray();
        Assert.True(endpoints.Length >= 20, $"only {endpoints.Length} endpoints found");

        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var (endpoint, method) in endpoints)
        {
            var template = Template(endpoint.RoutePattern.RawText!);
            var operation = document.Paths[template].Operations!.Single(o => o.Key.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).Value;
            var required = endpoint.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
            foreach (var (kind, key) in keys)
            {
                var status = await SendAsync(method, template, key);
                checkedCount++;
                var expected = Expected(required, kind);
                var ok = expected switch
                {
                    401 or 403 => status == expected,
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok)
                {
                    failures.Add($"{method} {template} with {kind}: {status}, expected {(expected == 0 ? "neither 401 nor 403" : expected.ToString(CultureInfo.InvariantCulture))}");
                }
                else if (!operation.Responses!.ContainsKey(status.ToString(CultureInfo.InvariantCulture)))
                {
                    failures.Add($"{method} {template} with {kind}: {status} is not documented");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} checks failed:\n{string.Join('\n', failures)}");
    }

    /// <summary>
    /// Outside /v1, the operational endpoints are public by design: health for load balancers and orchestrators, and
    /// /metrics for Prometheus (it carries counts only, no data and no secrets; keep it off the public proxy instead).
    /// A key, even a revoked one, changes nothing there.
    /// </summary>
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/metrics")]
    public async Task Operational_endpoints_are_public(string path)
    {
        foreach (var key in new[] { null, "not-a-key-at-all" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            using var client = api.Factory.CreateClient();
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>0 means "allowed past authentication" (any status but 401/403).</summary>
    private static int Expected(string? required, string kind) => (required, kind) switch
    {
        (null, _) => 0,
        (_, "none" or "revoked") => 401,
        _ when ApiRoles.Satisfies(kind, required) => 0,
        _ => 403,
    };

    private static string Template(string raw)
    {
        var template = System.Text.RegularExpressions.Regex.Replace(raw, "{([A-Za-z]+):[^}]+}", "{$1}");
        return template.Length > 1 ? template.TrimEnd('/') : template;
    }

    private async Task<int> SendAsync(string method, string template, string? key)
    {
        var path = template
            .Replace("{electionId}", "ge2017", StringComparison.Ordinal)
            .Replace("{code}", "E14000810", StringComparison.Ordinal)
            .Replace("{areaId}", "derbyshire", StringComparison.Ordinal)
            .Replace("{candidateId}", "999999999", StringComparison.Ordinal)
            .Replace("{id}", "999999999", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = path.EndsWith("/imports", StringComparison.Ordinal)
                ? new StringContent("not,a,results,file\n", Encoding.UTF8, "text/csv")
                : new StringContent("{}", Encoding.UTF8, "application/json");
            if (path.EndsWith("/imports", StringComparison.Ordinal))
            {
                request.RequestUri = new Uri(path + "?format=hoc-candidates", UriKind.Relative);
            }
        }

        using var client = api.Factory.CreateClient();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        return (int)response.StatusCode;
    }
}
