using System.Security.Claims;
using System.Text.Json;
using ElectionResults.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ElectionResults.UnitTests.Auth;

/// <summary>
/// The ApiKey scheme and the authorization policies as registered by <see cref="ApiPolicies.AddElectionAuth"/>, for the
/// keys and requests that need no database: a missing or malformed header, the bootstrap key, roles, a key with the
/// scope <c>all</c> and a write outside any election. Unknown and revoked keys, and scopes against stored elections, are
/// covered against PostgreSQL by the integration tests (AuthMatrixTests, ScopeMatrixTests, ApiKeyPolicyTests).
/// </summary>
public sealed class ApiKeyAuthenticationTests
{
    private const string AdminKey = "unit-admin-key-of-some-length";

    private static ServiceProvider Services(bool publicReads = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:AdminKey"] = AdminKey,
            ["Auth:PublicReads"] = publicReads ? "true" : "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        // Never opened here: nothing these tests send needs a lookup.
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"));
        services.AddElectionAuth(configuration);
        return services.BuildServiceProvider();
    }

    private static DefaultHttpContext Request(IServiceProvider services, string method, string path, string? key = null)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = method;
        http.Request.Path = path;
        http.Response.Body = new MemoryStream();
        if (key is not null)
        {
            http.Request.Headers[ApiKeyDefaults.HeaderName] = key;
        }

        return http;
    }

    private static ClaimsPrincipal Key(string name, string role, string scope = ApiScopes.All) =>
        ApiKeyPrincipal.Create(new ApiIdentity(name, role, scope), ApiKeyDefaults.Scheme);

    private static Task<AuthorizationResult> Authorize(IServiceProvider services, ClaimsPrincipal user, HttpContext http, string role) =>
        services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, http, ApiPolicies.Name(role));

    [Fact]
    public async Task Without_the_header_there_is_no_result_and_the_request_stays_anonymous()
    {
        await using var services = Services();
        var result = await Request(services, "POST", "/v1/parties/Con").AuthenticateAsync(ApiKeyDefaults.Scheme);

        Assert.True(result.None);
        Assert.Null(result.Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    public async Task An_empty_or_over_long_key_fails_without_a_lookup(string seed)
    {
        await using var services = Services();
        var key = seed.Length == 0 ? "" : new string('k', 201);
        var result = await Request(services, "POST", "/v1/parties/Con", key).AuthenticateAsync(ApiKeyDefaults.Scheme);

        Assert.False(result.Succeeded);
        Assert.Equal("The API key is unknown or revoked.", result.Failure?.Message);
    }

    [Fact]
    public async Task The_bootstrap_key_is_the_admin_named_admin_with_every_role_and_every_scope()
    {
        await using var services = Services();
        var result = await Request(services, "POST", "/v1/parties/Con", AdminKey).AuthenticateAsync(ApiKeyDefaults.Scheme);

        Assert.True(result.Succeeded);
        var user = result.Principal!;
        Assert.Equal((true, "admin", ApiKeyDefaults.Scheme), (user.Identity!.IsAuthenticated, user.Identity.Name, user.Identity.AuthenticationType));
        Assert.All(ApiRoles.All, role => Assert.True(user.IsInRole(role), role));
        Assert.Equal(ApiScopes.All, user.Scope());
    }

    [Fact]
    public void A_key_holds_its_role_and_the_roles_below_it_its_name_and_its_scope()
    {
        var user = Key("desk-1", ApiRoles.ResultsEntry, ApiScopes.Test);

        Assert.Equal("desk-1", user.KeyName());
        Assert.Equal(ApiRoles.ResultsEntry, user.Role());
        Assert.Equal(ApiScopes.Test, user.Scope());
        Assert.Equal([ApiRoles.ResultsEntry, ApiRoles.Reader], user.FindAll(ClaimTypes.Role).Select(c => c.Value));
        Assert.Equal("unknown", new ClaimsPrincipal(new ClaimsIdentity()).KeyName());
    }

    [Fact]
    public async Task A_challenge_is_a_401_problem_naming_the_header()
    {
        await using var services = Services();
        var http = Request(services, "POST", "/v1/parties/Con");

        await http.ChallengeAsync(ApiKeyDefaults.Scheme);

        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", http.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("application/problem+json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Unauthorized", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("This operation needs a valid, unrevoked API key in the X-Api-Key header.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_role_below_the_policy_is_refused_with_a_reason_naming_both_roles()
    {
        await using var services = Services();
        var http = Request(services, "PUT", "/v1/parties/Con");

        var result = await Authorize(services, Key("desk-1", ApiRoles.ResultsEntry), http, ApiRoles.Admin);

        Assert.False(result.Succeeded);
        Assert.Equal(
            "This operation needs an API key with the 'admin' role; this key has 'results-entry'.",
            Assert.Single(result.Failure!.FailureReasons).Message);
    }

    [Theory]
    [InlineData(ApiRoles.Admin, ApiRoles.Admin)]
    [InlineData(ApiRoles.Admin, ApiRoles.ResultsEntry)]
    [InlineData(ApiRoles.ResultsEntry, ApiRoles.ResultsEntry)]
    public async Task A_role_at_or_above_the_policy_with_the_scope_all_passes(string held, string required)
    {
        await using var services = Services();
        var result = await Authorize(services, Key("desk", held), Request(services, "POST", "/v1/parties/Con"), required);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Outside_an_election_a_test_key_is_refused_and_a_live_key_passes()
    {
        await using var services = Services();
        var http = Request(services, "PUT", "/v1/parties/Con");

        var test = await Authorize(services, Key("rehearsal", ApiRoles.Admin, ApiScopes.Test), http, ApiRoles.Admin);
        var live = await Authorize(services, Key("night", ApiRoles.Admin, ApiScopes.Live), http, ApiRoles.Admin);

        Assert.Equal(
            "This key has the scope 'test': it may write to test elections only, and this write is not to an election.",
            Assert.Single(test.Failure!.FailureReasons).Message);
        Assert.True(live.Succeeded);
    }

    [Fact]
    public async Task An_anonymous_request_is_not_refused_by_a_reason_so_it_is_challenged()
    {
        await using var services = Services();
        var result = await Authorize(services, new ClaimsPrincipal(new ClaimsIdentity()), Request(services, "PUT", "/v1/parties/Con"), ApiRoles.Admin);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Failure!.FailureReasons);
    }

    [Fact]
    public async Task With_public_reads_the_fallback_policy_lets_everyone_read_and_looks_no_key_up()
    {
        await using var services = Services(publicReads: true);
        var fallback = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();

        Assert.True(services.GetRequiredService<PublicReadsRequirement>().AllowsAnonymousReads);
        Assert.Empty(fallback!.AuthenticationSchemes);
        var read = await services.GetRequiredService<IAuthorizationService>()
            .AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), Request(services, "GET", "/v1/elections/ge2017/tally"), fallback);
        Assert.True(read.Succeeded);
    }

    [Theory]
    [InlineData("GET", "/v1/elections/ge2017/tally", false)]
    [InlineData("HEAD", "/v1/elections", false)]
    [InlineData("GET", "/health/ready", true)]
    [InlineData("GET", "/live", true)]
    [InlineData("POST", "/v1/elections/ge2017/constituencies/E14000810/declarations", true)]
    public async Task With_private_reads_an_anonymous_read_under_v1_needs_a_reader_key(string method, string path, bool anonymousPasses)
    {
        await using var services = Services(publicReads: false);
        var fallback = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = services.GetRequiredService<IAuthorizationService>();

        Assert.False(services.GetRequiredService<PublicReadsRequirement>().AllowsAnonymousReads);
        Assert.Equal([ApiKeyDefaults.Scheme], fallback!.AuthenticationSchemes);
        var anonymous = await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), Request(services, method, path), fallback);
        var reader = await authorization.AuthorizeAsync(Key("graphics", ApiRoles.Reader), Request(services, method, path), fallback);
        Assert.Equal(anonymousPasses, anonymous.Succeeded);
        Assert.True(reader.Succeeded);
    }
}
