using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using ElectionResults.Api.Infrastructure.Observability;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// A document rendered once per data version: its bytes as sent, gzip and brotli forms (made when first asked for), and a strong
/// ETag for each (the same hash, suffixed per coding, as a strong tag must differ between codings).
/// Serving it allocates almost nothing and touches no database.
/// </summary>
/// <remarks>
/// The bytes are one array, or, for a long list, segments (<see cref="ListBlocks"/>): a list of 6,500 seats is 2.3 MB, and
/// one array of it per declaration would be a new object on the large-object heap each time, which only a full garbage
/// collection frees. In segments of blocks of items, a declaration makes one new block and shares the rest.
/// </remarks>
public sealed class RenderedDocument
{
    public RenderedDocument(byte[] body, string contentType)
        : this([body], contentType)
    {
    }

    /// <summary>A document whose bytes are <paramref name="segments"/> joined (sent one after the other, never joined).</summary>
    public RenderedDocument(IReadOnlyList<byte[]> segments, string contentType)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Segments = segments;
        _whole = segments.Count == 1 ? segments[0] : null;
        Length = segments.Sum(s => (long)s.Length);
        ContentType = contentType;
        ETag = EntityTag.ForContent(segments);
        GzipETag = ETag.WithCoding(EntityTag.GzipCoding);
        BrotliETag = ETag.WithCoding(EntityTag.BrotliCoding);
        // Compressed forms are made on first demand: after a write, the documents nobody asks for cost nothing.
        _gzip = new Lazy<byte[]>(() => Compress(segments, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        _brotli = new Lazy<byte[]>(() => Compress(segments, s => new BrotliStream(s, new BrotliCompressionOptions { Quality = 5 }, leaveOpen: true)));
    }

    private readonly Lazy<byte[]> _gzip;
    private readonly Lazy<byte[]> _brotli;

    /// <summary>The one segment of a document in one array (the hot path sends it as it is); null for a segmented one.</summary>
    private readonly byte[]? _whole;

    /// <summary>The bytes as sent, in order: one array for all but long lists.</summary>
    public IReadOnlyList<byte[]> Segments { get; }

    /// <summary>The length of the bytes as sent (the Content-Length without a coding).</summary>
    public long Length { get; }

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

    /// <summary>The bytes as sent, in one new array (for tests and small documents; serving never joins them).</summary>
    public byte[] ToArray()
    {
        var whole = new byte[Length];
        var at = 0;
        foreach (var segment in Segments)
        {
            segment.CopyTo(whole, at);
            at += segment.Length;
        }

        return whole;
    }

    /// <summary>Writes the bytes as sent (without a coding) to the response body.</summary>
    public Task WriteToAsync(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _whole is not null ? response.Body.WriteAsync(_whole, 0, _whole.Length) : WriteSegmentsAsync(response.BodyWriter, Segments);
    }

    /// <summary>
    /// Flushed to the connection every this many bytes, so that a slow client holds back the writing, not memory. (Kestrel
    /// completes the flush when the client has gone or is too slow: its minimum data rate.)
    /// </summary>
    private const int FlushEvery = 64 * 1024;

    private static async Task WriteSegmentsAsync(PipeWriter writer, IReadOnlyList<byte[]> segments)
    {
        var unflushed = 0;
        foreach (var segment in segments)
        {
            writer.Write(segment);
            unflushed += segment.Length;
            if (unflushed >= FlushEvery)
            {
                var flushed = await writer.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }

                unflushed = 0;
            }
        }

        await writer.FlushAsync();
    }

    private static byte[] Compress(IReadOnlyList<byte[]> segments, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var stream = encoder(output))
        {
            foreach (var segment in segments)
            {
                stream.Write(segment);
            }
        }

        return output.ToArray();
    }
}

/// <summary>
/// Sends a <see cref="RenderedDocument"/>: 304 when If-None-Match names it (<see cref="ConditionalGet"/>), else the
/// brotli, gzip or plain bytes as Accept-Encoding allows (<see cref="ContentCoding"/>), with the ETag of that coding and the documents'
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
        var coding = policy.Compressed ? ContentCoding.Choose(httpContext.Request.Headers.AcceptEncoding) : null;
        var etag = coding switch { ContentCoding.Brotli => document.BrotliETag, ContentCoding.Gzip => document.GzipETag, _ => document.ETag };
        var notModified = ConditionalGet.TryNotModified(httpContext, etag, policy);
        ElectionMetrics.DocumentServed(fromMemory, notModified);
        if (notModified)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = document.ContentType;
        if (coding is null)
        {
            response.ContentLength = document.Length;
            return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : document.WriteToAsync(response);
        }

        var body = coding == ContentCoding.Brotli ? document.Brotli : document.Gzip;
        response.Headers.ContentEncoding = coding;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }
}
