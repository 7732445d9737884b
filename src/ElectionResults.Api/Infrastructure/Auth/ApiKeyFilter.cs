using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Infrastructure.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The bootstrap admin key (<c>Auth__AdminKey</c>). Writes are refused while it is unset.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>Marks an endpoint as needing <c>X-Api-Key</c>; the OpenAPI document shows the scheme on it.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequiresApiKeyAttribute : Attribute;

/// <summary>
/// Checks <c>X-Api-Key</c> against the admin key in constant time (both sides are hashed first, so
/// neither the length nor a prefix leaks). The key itself is never logged.
/// </summary>
public sealed class ApiKeyFilter(IOptions<AuthOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";
    public const string KeyNameItem = "api-key-name";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[HeaderName].ToString();
        var adminKey = options.Value.AdminKey;
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(adminKey) || !SameKey(presented, adminKey))
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            return TypedResults.Problem(
                title: "Unauthorized",
                detail: $"This operation needs a valid API key in the {HeaderName} header.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[KeyNameItem] = "admin";
        return await next(context);
    }

    private static bool SameKey(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The name of the key that made this request, recorded on every revision it enters.</summary>
    public static string KeyName(HttpContext http) => http.Items[KeyNameItem] as string ?? "unknown";
}

public static class ApiKeyExtensions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, ApiKeyFilter>();
        builder.WithMetadata(new RequiresApiKeyAttribute());
        return builder;
    }
}
