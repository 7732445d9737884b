using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ElectionResults.IntegrationTests.Safety;

/// <summary>
/// The key behind a request as the endpoints see it: the name a revision records is the authenticated key's, every
/// endpoint that names a role's policy carries the write rate limit beside it (and no other endpoint does), and the
/// refusals are the documented problem details.
/// </summary>
public sealed class ApiKeyPolicyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Seat = "E14000810";
    private const string DeclarationsPath = $"/v1/elections/ge2017/constituencies/{Seat}/declarations";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreatedKey(long Id, string Key);

    private async Task<HttpClient> ClientWithNewKey(string name, string role)
    {
        var created = await (await api.Admin.PostAsJsonAsync("/v1/api-keys", new { name, role }, Ct)).ReadAsync<CreatedKey>();
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, created.Key);
        return client;
    }

    [Fact]
    public async Task A_declaration_records_the_name_of_the_key_that_entered_it()
    {
        await api.LoadDemoDataAsync();
        using var desk = await ClientWithNewKey("returning-desk-7", ApiRoles.ResultsEntry);
        var read = await api.Client.GetAsync($"/v1/elections/ge2017/constituencies/{Seat}", Ct);
        var seat = await read.ReadAsync<ConstituencyDto>();
        using var correction = new HttpRequestMessage(HttpMethod.Post, DeclarationsPath)
        {
            Content = JsonContent.Create(new
            {
                votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value }).ToArray(),
                declaredAt = "2017-06-09T03:10:00+01:00",
                source = "desk",
                reason = "entered again by the desk",
            }),
        };
        correction.Headers.IfMatch.Add(read.Headers.ETag!);

        Assert.Equal(HttpStatusCode.Created, (await desk.SendAsync(correction, Ct)).StatusCode);

        var revisions = await (await api.Client.GetAsync($"/v1/elections/ge2017/constituencies/{Seat}/revisions", Ct)).ReadAsync<RevisionListDto>();
        Assert.Equal("returning-desk-7", revisions.Revisions[^1].EnteredBy);
        await using var connection = await api.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<string>(
            "SELECT entered_by FROM declarations WHERE election_id = 'ge2017' AND constituency_code = @Seat ORDER BY revision DESC LIMIT 1", new { Seat });
        Assert.Equal("returning-desk-7", stored);
    }

    [Fact]
    public async Task Every_endpoint_that_needs_a_role_carries_the_write_rate_limit_and_no_other_endpoint_does()
    {
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
        var guarded = endpoints.Where(e => e.Metadata.GetMetadata<RequiresRoleAttribute>() is not null).ToArray();
        Assert.True(guarded.Length >= 10, $"only {guarded.Length} endpoints need a role");

        var mismatched = endpoints
            .Where(e => (e.Metadata.GetMetadata<RequiresRoleAttribute>() is not null)
                != (e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimits.WritePolicy))
            .Select(e => e.DisplayName);
        Assert.Empty(mismatched);

        var declarations = guarded.Single(e => e.RoutePattern.RawText == "/v1/elections/{electionId}/constituencies/{code}/declarations"
            && e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Contains("POST"));
        var authorize = Assert.Single(declarations.Metadata.GetOrderedMetadata<IAuthorizeData>());
        Assert.Equal(ApiPolicies.Name(ApiRoles.ResultsEntry), authorize.Policy);
        var policy = await api.Factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(authorize.Policy!);
        Assert.Equal([ApiKeyDefaults.Scheme], policy!.AuthenticationSchemes);
    }

    [Fact]
    public async Task Refusals_are_problem_details_with_the_header_for_a_missing_or_unknown_key_and_the_roles_for_a_low_one()
    {
        await api.LoadDemoDataAsync();
        using var reader = await ClientWithNewKey("graphics-reader", ApiRoles.Reader);
        using var unknown = api.Factory.CreateClient();
        unknown.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, "er_not-a-key-this-service-ever-made");

        foreach (var client in new[] { api.Client, unknown })
        {
            using var refused = await client.PostAsJsonAsync(DeclarationsPath, new { }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("ApiKey header=\"X-Api-Key\"", refused.Headers.WwwAuthenticate.ToString());
            await AssertProblem(refused, "Unauthorized", "This operation needs a valid, unrevoked API key in the X-Api-Key header.");
        }

        using var forbidden = await reader.PostAsJsonAsync(DeclarationsPath, new { }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(forbidden.Headers.WwwAuthenticate);
        await AssertProblem(forbidden, "Forbidden", "This operation needs an API key with the 'results-entry' role; this key has 'reader'.");
    }

    private static async Task AssertProblem(HttpResponseMessage response, string title, string detail)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal((int)response.StatusCode, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
    }
}
