namespace ElectionResults.Api.ReadModel;

/// <summary>
/// How a response may be stored by browsers and CDNs, decided here for every kind of GET: the <c>Cache-Control</c> and
/// the <c>Vary</c> it is sent with.
/// </summary>
/// <param name="CacheControl">The Cache-Control header.</param>
/// <param name="Vary">The Vary header: what else a cache must match on.</param>
/// <param name="Compressed">True when the representation may be sent gzip- or brotli-coded (then Vary names Accept-Encoding).</param>
public readonly record struct CachePolicy(string CacheControl, string Vary, bool Compressed)
{
    /// <summary>A cache may reuse a document for a second without asking again.</summary>
    public const string OneSecond = "public, max-age=1";

    /// <summary>A cache must ask again before each use (and an event stream is never stored).</summary>
    public const string NoCache = "no-cache";

    /// <summary>A document of a past instant (asOf) never changes.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>Documents rendered from the read model (endpoints and the front door): JSON or CSV, plain, gzip or brotli.</summary>
    public static readonly CachePolicy Documents = new(OneSecond, "Accept, Accept-Encoding", Compressed: true);

    /// <summary>Every other GET under <c>/v1</c> (<see cref="TaggedJson"/>: read per request): revalidated before each use, never compressed.</summary>
    public static readonly CachePolicy Revalidated = new(NoCache, "Accept", Compressed: false);

    /// <summary>The pages and their assets: revalidated before each use, plain or gzip.</summary>
    public static readonly CachePolicy Pages = new(NoCache, "Accept-Encoding", Compressed: true);

    /// <summary>This policy with another Cache-Control (a document of a past instant); null keeps it.</summary>
    public CachePolicy WithCacheControl(string? cacheControl) => cacheControl is null ? this : this with { CacheControl = cacheControl };

    /// <summary>The Cache-Control of a document as of <paramref name="asOf"/>: immutable once it is in the past.</summary>
    public static string ForInstant(DateTimeOffset asOf, DateTimeOffset now) => asOf <= now ? Immutable : OneSecond;
}

/// <summary>
/// The one conditional-GET step of every path that answers a GET with a tagged representation (the documents, whether
/// the front door or an endpoint sends them, the other JSON GETs, the pages): it sends the validator and the caching headers,
/// and answers If-None-Match with 304 Not Modified when it names the representation.
/// </summary>
public static class ConditionalGet
{
    /// <summary>
    /// Sets <c>ETag</c>, <c>Cache-Control</c> and <c>Vary</c>; when If-None-Match names <paramref name="etag"/> (weak
    /// comparison, any coding of the same content, or <c>*</c>) sets 304 with no body and returns true. Otherwise
    /// the caller sends the body.
    /// </summary>
    public static bool TryNotModified(HttpContext context, EntityTag etag, CachePolicy policy)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.CacheControl = policy.CacheControl;
        headers.Vary = policy.Vary;
        headers.ETag = etag.ToString();
        if (!EntityTag.AnyMatches(context.Request.Headers.IfNoneMatch, etag, EntityTagComparison.Weak))
        {
            return false;
        }

        response.StatusCode = StatusCodes.Status304NotModified;
        response.ContentLength = null;
        headers.ContentType = default;
        headers.ContentEncoding = default;
        return true;
    }
}
