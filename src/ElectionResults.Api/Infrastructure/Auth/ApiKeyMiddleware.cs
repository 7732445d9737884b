using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Infrastructure.Auth;

/// <summary>
/// Checks the API key before anything else looks at the request (the body is not even read): an
/// endpoint marked with <see cref="RequiresRoleAttribute"/> needs a key whose role satisfies it (401
/// when the key is missing, unknown or revoked; 403 when its role is too low); with private reads
/// (<c>Auth__PublicReads=false</c>) every GET under /v1 needs a key of any role.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator, IOptions<AuthOptions> options)
{
    public const string HeaderName = ApiKeyAuthenticator.HeaderName;
    private const string IdentityItem = "api-key-identity";

    public async Task InvokeAsync(HttpContext context)
    {
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
        var request = context.Request;
        var privateRead = required is null && !options.Value.PublicReads && request.Path.StartsWithSegments("/v1")
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        if (required is null && !privateRead)
        {
            await next(context);
            return;
        }

        var identity = await authenticator.AuthenticateAsync(request.Headers[HeaderName].ToString(), forRead: privateRead, context.RequestAborted);
        if (identity is null)
        {
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            await TypedResults.Problem(
                title: "Unauthorized",
                detail: $"This operation needs a valid, unrevoked API key in the {HeaderName} header.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        if (required is not null && !ApiRoles.Satisfies(identity.Role, required))
        {
            await TypedResults.Problem(
                title: "Forbidden",
                detail: $"This operation needs an API key with the '{required}' role; this key has '{identity.Role}'.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        if (required is not null && identity.Scope != ApiScopes.All && await ScopeRefusalAsync(context, identity) is { } refusal)
        {
            await TypedResults.Problem(title: "Forbidden", detail: refusal, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        context.Items[IdentityItem] = identity;
        await next(context);
    }

    /// <summary>
    /// Why a scoped key may not make this write (null when it may): a <c>test</c> key writes to test elections only (a write
    /// outside an election, such as parties or keys, is shared with the live night), a <c>live</c> key never to a test election.
    /// An election that does not exist yet is judged by what the endpoint then answers (404, or a replay creating a test one).
    /// </summary>
    private async Task<string?> ScopeRefusalAsync(HttpContext context, ApiIdentity identity)
    {
        var electionId = context.GetRouteValue("electionId") as string;
        bool? isTest = electionId is null ? null : await authenticator.IsTestElectionAsync(electionId, context.RequestAborted);
        if (electionId is not null && isTest is null)
        {
            return identity.Scope == ApiScopes.Live && context.Request.Path.Value?.EndsWith("/replays", StringComparison.Ordinal) == true
                ? $"This key has the scope '{ApiScopes.Live}': it cannot create the test election '{electionId}'."
                : null;
        }

        if (ApiScopes.Allows(identity.Scope, isTest))
        {
            return null;
        }

        return electionId is null
            ? $"This key has the scope '{identity.Scope}': it may write to test elections only, and this write is not to an election."
            : $"This key has the scope '{identity.Scope}': it may not write to the {(isTest == true ? "test" : "live")} election '{electionId}'.";
    }

    /// <summary>The name of the key that made this request, recorded on every revision it enters.</summary>
    public static string KeyName(HttpContext http) => (http.Items[IdentityItem] as ApiIdentity)?.Name ?? "unknown";
}

public static class ApiKeyExtensions
{
    /// <summary>Requires a key with at least <paramref name="role"/> (checked by <see cref="ApiKeyMiddleware"/>), and applies the per-key write rate limit.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequiresRoleAttribute(role));
        builder.RequireRateLimiting(Http.RateLimits.WritePolicy);
        return builder;
    }
}
