using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Infrastructure.Auth;

public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme, named by every authorization policy that needs a key.</summary>
    public const string Scheme = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    /// <summary>The claim carrying the key's scope (<see cref="ApiScopes"/>).</summary>
    public const string ScopeClaim = "scope";
}

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>How long a private read may reuse the answer for a key (writes, and reads that need a role, always ask the database).</summary>
    public TimeSpan ReadCacheFor { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The <c>ApiKey</c> authentication scheme: the key in <c>X-Api-Key</c> becomes a <see cref="ClaimsPrincipal"/> named after
/// the key, with a role claim for its role and every role below it, and its scope. No header: no result (anonymous);
/// an unknown, revoked or over-long key: a failure. A challenge answers 401 problem details with
/// <c>WWW-Authenticate: ApiKey header="X-Api-Key"</c>; 403s are written by <see cref="ApiKeyForbiddenHandler"/>, which knows
/// why the policy refused.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindAsync(presented.ToString(), IsPrivateRead(Context) ? Options.ReadCacheFor : TimeSpan.Zero, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("The API key is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(ApiKeyPrincipal.Create(key, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyDefaults.HeaderName}\"";
        return TypedResults.Problem(
            title: "Unauthorized",
            detail: $"This operation needs a valid, unrevoked API key in the {ApiKeyDefaults.HeaderName} header.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    /// <summary>A GET or HEAD of an endpoint that needs no role: only the private-reads rule asks for the key.</summary>
    private static bool IsPrivateRead(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>() is null;
}

/// <summary>The principal of a key, and what the rest of the API reads from it.</summary>
public static class ApiKeyPrincipal
{
    public static ClaimsPrincipal Create(ApiIdentity key, string authenticationType)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ApiKeyDefaults.ScopeClaim, key.Scope) };
        claims.AddRange(ApiRoles.All.Where(role => ApiRoles.Satisfies(key.Role, role)).Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    /// <summary>The name of the key that made this request (<c>User.Identity.Name</c>), recorded on every revision it enters.</summary>
    public static string KeyName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>The key's own role: the highest of its role claims (empty without any).</summary>
    public static string Role(this ClaimsPrincipal user) => ApiRoles.All.FirstOrDefault(user.IsInRole) ?? "";

    public static string Scope(this ClaimsPrincipal user) => user.FindFirst(ApiKeyDefaults.ScopeClaim)?.Value ?? "";
}
