using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// The front door for polled documents. Each document an endpoint serves from a snapshot is remembered
/// under its exact request (path, query, CSV or not) with the snapshot's data version; a later request
/// for the same thing is answered here, before routing and the rest of the pipeline, as long as the
/// change listener vouches that nothing newer has been committed. Anything else (a stale version, a
/// listener that is not listening, private reads) goes through the normal pipeline, which renders and
/// remembers again. The read rate limit still applies.
/// </summary>
public sealed class HotDocuments(ChangeListener listener, PublicReadsRequirement publicReads, IOptions<RateLimiterOptions> limits, TimeProvider time)
{
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, (long Version, RenderedDocument Document)> _documents = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<HttpContext>? _limiter = limits.Value.GlobalLimiter;

    public void Remember(HttpRequest request, long version, RenderedDocument document)
    {
        if (!HttpMethods.IsGet(request.Method) || (_documents.Count >= MaxEntries && !_documents.ContainsKey(Key(request))))
        {
            return;
        }

        _documents[Key(request)] = (version, document);
    }

    /// <summary>The current document for this request, when there is one and nothing newer may exist.</summary>
    public RenderedDocument? Find(HttpContext context)
    {
        var request = context.Request;
        if (!listener.IsListening || !publicReads.AllowsAnonymousReads || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !_documents.TryGetValue(Key(request), out var entry) || entry.Version < listener.KnownVersion
            || (entry.Document.ExpiresAt is { } expires && time.GetUtcNow() >= expires))
        {
            return null;
        }

        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire(context);
            if (!lease.IsAcquired)
            {
                // The rate limiter further down answers 429 properly.
                return null;
            }
        }

        return entry.Document;
    }

    private static string Key(HttpRequest request) =>
        string.Concat(request.Path.Value, request.QueryString.Value, Csv.IsWanted(request) ? " csv" : "");
}

public sealed class HotDocumentsMiddleware(RequestDelegate next, HotDocuments documents)
{
    public Task InvokeAsync(HttpContext context) =>
        documents.Find(context) is { } document ? DocumentResult.Send(context, document, fromMemory: true) : next(context);
}
