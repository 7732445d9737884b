using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Auth;

/// <summary>
/// The authorization policies: one per role, which an endpoint names with
/// <c>.RequireAuthorization(ApiPolicies.Admin)</c>, and the private-reads rule (<see cref="PublicReadsRequirement"/>), the
/// fallback policy of every endpoint that names none. Only these policies authenticate a key (there is no default
/// scheme), so a request that no policy asks about costs no key lookup.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Keys, elections, parties, areas, constituencies, imports and replays.</summary>
    public static readonly RequiresRoleAttribute Admin = new(ApiRoles.Admin);

    /// <summary>Nominations, declarations and corrections.</summary>
    public static readonly RequiresRoleAttribute ResultsEntry = new(ApiRoles.ResultsEntry);

    /// <summary>The name of the policy that needs a key with at least <paramref name="role"/>.</summary>
    public static string Name(string role) => "role:" + role;

    public static IServiceCollection AddElectionAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<ApiKeyStore>();

        // With a single scheme, ASP.NET Core would make it the default and authenticate every request that carries the
        // header; the policies name the scheme instead, so only the requests they guard look a key up.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);

        services.AddSingleton<PublicReadsRequirement>();
        services.AddSingleton<IAuthorizationHandler, KeyRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiKeyForbiddenHandler>();
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<PublicReadsRequirement>((options, publicReads) =>
        {
            foreach (var role in ApiRoles.All)
            {
                options.AddPolicy(Name(role), policy => policy
                    .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                    .RequireAuthenticatedUser()
                    .AddRequirements(new KeyRequirement(role)));
            }

            var reads = new AuthorizationPolicyBuilder().AddRequirements(publicReads);
            if (!publicReads.AllowsAnonymousReads)
            {
                reads.AddAuthenticationSchemes(ApiKeyDefaults.Scheme);
            }

            options.FallbackPolicy = reads.Build();
        });
        return services;
    }
}

/// <summary>
/// Endpoint metadata: the authorization policy of a role (<see cref="ApiPolicies.Name"/>). The OpenAPI document shows the
/// role, and the API key's cache is never used for an endpoint that carries it.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequiresRoleAttribute(string role) : AuthorizeAttribute(ApiPolicies.Name(role))
{
    public string Role { get; } = role;
}

/// <summary>A key with at least <see cref="Role"/> whose scope allows this write (<see cref="ApiScopes"/>).</summary>
public sealed record KeyRequirement(string Role) : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="KeyRequirement"/>: the role first, then the scope. A refusal carries the 403's detail as its reason.
/// An anonymous request is left alone: the policy then challenges (401).
/// </summary>
public sealed class KeyRequirementHandler(NpgsqlDataSource dataSource) : AuthorizationHandler<KeyRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, KeyRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var refusal = await RefusalAsync(user, requirement.Role, context.Resource as HttpContext);
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }
    }

    /// <summary>Why this key may not make this request (null when it may): its role first, then its scope.</summary>
    private async Task<string?> RefusalAsync(ClaimsPrincipal user, string role, HttpContext? http)
    {
        if (!user.IsInRole(role))
        {
            return $"This operation needs an API key with the '{role}' role; this key has '{user.Role()}'.";
        }

        var scope = user.Scope();
        if (scope == ApiScopes.All)
        {
            return null;
        }

        return http is null ? $"This key has the scope '{scope}': it may not make this write." : await ScopeRefusalAsync(http, scope);
    }

    /// <summary>
    /// Why a scoped key may not make this write (null when it may): a <c>test</c> key writes to test elections only (a write
    /// outside an election, such as parties or keys, is shared with the live night), a <c>live</c> key never to a test election.
    /// An election that does not exist yet is judged by what the endpoint then answers (404, or a replay creating a test one).
    /// </summary>
    private async Task<string?> ScopeRefusalAsync(HttpContext context, string scope)
    {
        var electionId = context.GetRouteValue("electionId") as string;
        bool? isTest = electionId is null ? null : await IsTestElectionAsync(electionId, context.RequestAborted);
        if (electionId is not null && isTest is null)
        {
            return scope == ApiScopes.Live && context.Request.Path.Value?.EndsWith("/replays", StringComparison.Ordinal) == true
                ? $"This key has the scope '{ApiScopes.Live}': it cannot create the test election '{electionId}'."
                : null;
        }

        if (ApiScopes.Allows(scope, isTest))
        {
            return null;
        }

        return electionId is null
            ? $"This key has the scope '{scope}': it may write to test elections only, and this write is not to an election."
            : $"This key has the scope '{scope}': it may not write to the {(isTest == true ? "test" : "live")} election '{electionId}'.";
    }

    /// <summary>Whether the election is test data; null when there is no such election.</summary>
    private async Task<bool?> IsTestElectionAsync(string electionId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT is_test FROM elections WHERE id = @electionId", new { electionId }, cancellationToken: ct));
    }
}

/// <summary>
/// The public-reads rule, used by the fallback policy and by the document cache in front of routing alike: with
/// <c>Auth__PublicReads=true</c> (the default) reads are anonymous; otherwise every GET or HEAD under <c>/v1</c> needs a key
/// with the <c>reader</c> role or a higher one. Anything else passes.
/// </summary>
public sealed class PublicReadsRequirement(IOptions<AuthOptions> options) : AuthorizationHandler<PublicReadsRequirement>, IAuthorizationRequirement
{
    /// <summary>Whether a read may be answered without a key.</summary>
    public bool AllowsAnonymousReads => options.Value.PublicReads;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PublicReadsRequirement requirement)
    {
        if (AllowsAnonymousReads || context.User.IsInRole(ApiRoles.Reader) || context.Resource is HttpContext http && !IsRead(http.Request))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static bool IsRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/v1");
}

/// <summary>
/// Answers a refusal by a policy with the reason it gave (403 problem details naming the role or the scope); a challenge
/// goes to the scheme (<see cref="ApiKeyAuthenticationHandler"/>, 401).
/// </summary>
public sealed class ApiKeyForbiddenHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _framework = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault() is { } reason
            ? TypedResults.Problem(title: "Forbidden", detail: reason.Message, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context)
            : _framework.HandleAsync(next, context, policy, authorizeResult);
}
