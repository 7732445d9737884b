using System.IO.Compression;
using ElectionResults.Api.Infrastructure.Observability;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// A document rendered once per data version: its bytes as sent, gzip and brotli forms (made when first asked for), and a strong
/// ETag for each (the same hash, suffixed per coding, as a strong tag must differ between codings).
/// Serving it allocates almost nothing and touches no database.
/// </summary>
public sealed class RenderedDocument
{
    public RenderedDocument(byte[] body, string contentType)
    {
        Body = body;
        ContentType = contentType;
        var hash = ETags.For(body).Trim('"');
        ETag = $"\"{hash}\"";
        GzipETag = $"\"{hash}-gz\"";
        BrotliETag = $"\"{hash}-br\"";
        // Compressed forms are made on first demand: after a write, the documents nobody asks for cost nothing.
        _gzip = new Lazy<byte[]>(() => Compress(body, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        _brotli = new Lazy<byte[]>(() => Compress(body, s => new BrotliStream(s, new BrotliCompressionOptions { Quality = 5 }, leaveOpen: true)));
    }

    private readonly Lazy<byte[]> _gzip;
    private readonly Lazy<byte[]> _brotli;

    public byte[] Body { get; }

    public byte[] Gzip => _gzip.Value;

    public byte[] Brotli => _brotli.Value;

    public string ContentType { get; }

    /// <summary>
    /// When the document stops being current although no data changed (a tally's count of seats expected within the
    /// hour grows with the clock); null for documents that depend on the data alone.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public string ETag { get; }

    public string GzipETag { get; }

    public string BrotliETag { get; }

    /// <summary>True when If-None-Match names any coding of this document: the client's copy is current.</summary>
    public bool IsMatchedBy(HttpRequest request)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        foreach (var value in header)
        {
            if (value is null)
            {
                continue;
            }

            if (value.Contains(ETag.AsSpan(0, ETag.Length - 1), StringComparison.Ordinal) || value.Trim() == "*")
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Compress(byte[] body, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var stream = encoder(output))
        {
            stream.Write(body);
        }

        return output.ToArray();
    }
}

/// <summary>Marks endpoints that write their own ETag and body, so <see cref="ETagMiddleware"/> does not buffer them.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class SelfCachingAttribute : Attribute;

/// <summary>
/// Sends a <see cref="RenderedDocument"/>: 304 when If-None-Match matches, else the brotli, gzip or
/// plain bytes as Accept-Encoding allows, with ETag, Cache-Control and Vary.
/// </summary>
/// <remarks>A document of a past instant (asOf) is sent with its own <paramref name="cacheControl"/> and is not remembered by the front door.</remarks>
public sealed class DocumentResult(RenderedDocument document, long? version = null, string? cacheControl = null) : IResult
{
    /// <summary>How long a cache (browser, CDN) may reuse a document without asking again.</summary>
    public const string CacheControl = "public, max-age=1";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (version is { } current)
        {
            httpContext.RequestServices.GetRequiredService<HotDocuments>().Remember(httpContext.Request, current, document);
        }

        return Send(httpContext, document, fromMemory: false, cacheControl);
    }

    /// <summary>Sends the document; <c>fromMemory</c> is true when the front door (<see cref="HotDocumentsMiddleware"/>) answers, false for an endpoint.</summary>
    public static Task Send(HttpContext httpContext, RenderedDocument document, bool fromMemory, string? cacheControl = null)
    {
        var response = httpContext.Response;
        var headers = response.Headers;
        var (body, etag, coding) = Choose(httpContext.Request, document);
        headers.CacheControl = cacheControl ?? CacheControl;
        headers.Vary = "Accept, Accept-Encoding";
        headers.ETag = etag;
        var notModified = document.IsMatchedBy(httpContext.Request);
        httpContext.RequestServices.GetService<ElectionMetrics>()?.DocumentServed(fromMemory, notModified);
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = document.ContentType;
        if (coding is not null)
        {
            headers.ContentEncoding = coding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }

    private static (byte[] Body, string ETag, string? Coding) Choose(HttpRequest request, RenderedDocument document)
    {
        var accept = request.Headers.AcceptEncoding;
        if (accept.Count == 0)
        {
            return (document.Body, document.ETag, null);
        }

        var value = accept.ToString();
        if (Accepts(value, "br"))
        {
            return (document.Brotli, document.BrotliETag, "br");
        }

        return Accepts(value, "gzip") ? (document.Gzip, document.GzipETag, "gzip") : (document.Body, document.ETag, null);
    }

    private static bool Accepts(string header, string coding)
    {
        if (!header.Contains(coding, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Rare: an explicit q=0 refuses the coding.
        return !StringWithQualityHeaderValue.TryParseList(header.Split(','), out var values)
            || values.Any(v => v.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);
    }
}
