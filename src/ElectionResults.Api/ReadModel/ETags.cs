using ElectionResults.Api.Infrastructure.Observability;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.ReadModel;

/// <summary>Entity tags in the shapes the write path uses (header strings and the framework's If-Match values), compared by <see cref="EntityTag"/>.</summary>
public static class ETags
{
    /// <summary>The strong tag of these bytes, as sent in a header (<see cref="EntityTag.ForContent"/>).</summary>
    public static string For(ReadOnlySpan<byte> body) => EntityTag.ForContent(body).ToString();

    /// <summary>The If-Match tags of a request (strong comparison applies); empty when the header is absent or is not a list of tags.</summary>
    public static IReadOnlyList<EntityTagHeaderValue> IfMatch(HttpRequest request) => request.GetTypedHeaders().IfMatch.ToArray();

    /// <summary>
    /// If-Match against the current ETag: <c>*</c>, or strong comparison (<see cref="EntityTagComparison.Strong"/>). A tag
    /// of a compressed coding of the same document (<c>"…-gz"</c>, <c>"…-br"</c>) names the same content, so it matches too.
    /// </summary>
    public static bool Matches(IReadOnlyList<EntityTagHeaderValue> ifMatch, string currentEtag) =>
        EntityTag.TryParse(currentEtag, out var current)
        && ifMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any)
            || (EntityTag.TryParse(tag.ToString(), out var sent) && sent.Matches(current, EntityTagComparison.Strong)));
}

/// <summary>Marks endpoints that write their own ETag and body, so <see cref="ETagMiddleware"/> does not buffer them.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class SelfCachingAttribute : Attribute;

/// <summary>
/// Gives every successful GET under <c>/v1</c> that is not a pre-rendered document a strong ETag computed from the bytes
/// sent, and answers a matching If-None-Match with 304 and no body (<see cref="ConditionalGet"/>). Representations are
/// small (a revision list is a few kilobytes), so buffering them costs little.
/// </summary>
public sealed class ETagMiddleware(RequestDelegate next)
{
    /// <summary>An endpoint puts its own Cache-Control here (a document of a past instant is immutable).</summary>
    public const string CacheControlItem = "cache-control";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !request.Path.StartsWithSegments("/v1")
            || context.GetEndpoint()?.Metadata.GetMetadata<SelfCachingAttribute>() is not null)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK)
        {
            // The endpoint's own tag when it set one, else the hash of what it wrote.
            if (!EntityTag.TryParse(response.Headers.ETag.ToString(), out var etag))
            {
                etag = EntityTag.ForContent(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }

            // A document of a past instant (asOf) says so itself; everything else is revalidated before each use.
            var policy = CachePolicy.Revalidated.WithCacheControl(context.Items[CacheControlItem] as string);
            if (ConditionalGet.TryNotModified(context, etag, policy))
            {
                context.RequestServices.GetService<ElectionMetrics>()?.NotModified();
                return;
            }
        }

        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
