using System.Security.Cryptography;
using ElectionResults.Api.Infrastructure.Observability;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>Strong entity tags: a hash of the exact bytes of a representation.</summary>
public static class ETags
{
    public static string For(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    /// <summary>If-None-Match uses weak comparison (RFC 9110 §13.1.2); "*" matches any current representation.</summary>
    public static bool NoneMatchHits(HttpRequest request, string etag)
    {
        var tags = request.GetTypedHeaders().IfNoneMatch;
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
    }

    /// <summary>The If-Match tags of a request (strong comparison applies); empty when the header is absent.</summary>
    public static IReadOnlyList<EntityTagHeaderValue> IfMatch(HttpRequest request) => request.GetTypedHeaders().IfMatch.ToArray();

    /// <summary>
    /// Strong comparison against the current identity ETag. A tag of a compressed coding of the same
    /// document (<c>"…-gz"</c>, <c>"…-br"</c>) names the same content, so it matches too.
    /// </summary>
    public static bool Matches(IReadOnlyList<EntityTagHeaderValue> ifMatch, string currentEtag) =>
        ifMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any)
            || (!tag.IsWeak && StripCoding(tag.Tag.ToString()) == currentEtag));

    private static string StripCoding(string tag) =>
        tag.EndsWith("-gz\"", StringComparison.Ordinal) || tag.EndsWith("-br\"", StringComparison.Ordinal) ? tag[..^4] + "\"" : tag;
}

/// <summary>
/// Gives every successful GET a strong ETag computed from the bytes sent, and answers a matching
/// If-None-Match with 304 and no body. Representations are small (a tally is a few kilobytes), so
/// buffering them costs little.
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
            var etag = response.Headers.ETag.ToString();
            if (string.IsNullOrEmpty(etag))
            {
                etag = ETags.For(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                response.Headers.ETag = etag;
            }

            // A document of a past instant (asOf) says so itself; everything else is revalidated before each use.
            response.Headers.CacheControl = context.Items[CacheControlItem] as string ?? "no-cache";
            response.Headers.Vary = "Accept";
            if (ETags.NoneMatchHits(request, etag))
            {
                context.RequestServices.GetService<ElectionMetrics>()?.NotModified();
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = default;
                return;
            }
        }

        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
