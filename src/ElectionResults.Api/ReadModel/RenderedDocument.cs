using System.IO.Compression;
using ElectionResults.Api.Infrastructure.Observability;
using Microsoft.Net.Http.Headers;

namespace ElectionResults.Api.ReadModel;

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
        ETag = EntityTag.ForContent(body);
        GzipETag = ETag.WithCoding(EntityTag.GzipCoding);
        BrotliETag = ETag.WithCoding(EntityTag.BrotliCoding);
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

    public EntityTag ETag { get; }

    public EntityTag GzipETag { get; }

    public EntityTag BrotliETag { get; }

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

/// <summary>
/// Sends a <see cref="RenderedDocument"/>: 304 when If-None-Match names it (<see cref="ConditionalGet"/>), else the
/// brotli, gzip or plain bytes as Accept-Encoding allows, with the ETag of that coding and the documents'
/// <see cref="CachePolicy"/> (with <paramref name="cacheControl"/> instead of its Cache-Control when given: a document of a
/// past instant is immutable). The one way a document leaves the read model, from an endpoint (<see cref="ElectionRead"/>)
/// or from the front door (<see cref="HotDocumentsMiddleware"/>).
/// </summary>
public sealed class DocumentResult(RenderedDocument document, string? cacheControl = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => Send(httpContext, document, CachePolicy.Documents.WithCacheControl(cacheControl));

    /// <summary>
    /// Sends the document under <paramref name="policy"/> (compressed when the policy allows it and the client asks);
    /// <c>fromMemory</c> is true when the front door (<see cref="HotDocumentsMiddleware"/>) answers, false for an endpoint.
    /// </summary>
    public static Task Send(HttpContext httpContext, RenderedDocument document, CachePolicy policy, bool fromMemory = false)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(document);
        var response = httpContext.Response;
        var coding = policy.Compressed ? Choose(httpContext.Request) : null;
        var etag = coding switch { Brotli => document.BrotliETag, Gzip => document.GzipETag, _ => document.ETag };
        var notModified = ConditionalGet.TryNotModified(httpContext, etag, policy);
        ElectionMetrics.DocumentServed(fromMemory, notModified);
        if (notModified)
        {
            return Task.CompletedTask;
        }

        var body = coding switch { Brotli => document.Brotli, Gzip => document.Gzip, _ => document.Body };
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = document.ContentType;
        if (coding is not null)
        {
            response.Headers.ContentEncoding = coding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }

    private const string Brotli = "br";
    private const string Gzip = "gzip";

    /// <summary>The content coding to send: brotli, else gzip, when Accept-Encoding allows it; null for the plain bytes.</summary>
    private static string? Choose(HttpRequest request)
    {
        var accept = request.Headers.AcceptEncoding;
        if (accept.Count == 0)
        {
            return null;
        }

        var value = accept.ToString();
        if (Accepts(value, Brotli))
        {
            return Brotli;
        }

        return Accepts(value, Gzip) ? Gzip : null;
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
