using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The front door for polled documents. Each document an endpoint serves from a snapshot is remembered
/// under its exact request (path, query, CSV or not) with the snapshot's data version; a later request
/// for the same thing is answered here, before routing and the rest of the pipeline, as long as the
/// <see cref="VersionClock"/> vouches that nothing newer has been committed. Anything else (a stale version, a
/// listener that is not listening, private reads) goes through the normal pipeline, which renders and
/// remembers again. It asks the pipeline's own policies: the global read rate limiter, and whether reads are public.
/// A hit counts as a read of its election, so that a snapshot polled only through here is not evicted.
/// </summary>
public sealed class HotDocuments(
    VersionClock clock, SnapshotStore snapshots, PublicReadsRequirement publicReads, IOptions<RateLimiterOptions> limits, IOptions<ReadModelOptions> options,
    TimeProvider time)
{
    private readonly bool _enabled = options.Value.FrontDoor;

    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry> _documents = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<HttpContext>? _limiter = limits.Value.GlobalLimiter;

    /// <summary>A remembered document: as of a data version, of an election (null for reference documents).</summary>
    private sealed record Entry(long Version, RenderedDocument Document, string? ElectionId);

    public void Remember(HttpRequest request, long version, RenderedDocument document, string? electionId = null)
    {
        if (!_enabled || !HttpMethods.IsGet(request.Method) || (_documents.Count >= MaxEntries && !_documents.ContainsKey(Key(request))))
        {
            return;
        }

        _documents[Key(request)] = new Entry(version, document, electionId);
    }

    /// <summary>The current document for this request, when there is one and nothing newer may exist.</summary>
    public RenderedDocument? Find(HttpContext context)
    {
        var request = context.Request;
        if (!clock.IsListening || !publicReads.AllowsAnonymousReads || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !_documents.TryGetValue(Key(request), out var entry) || entry.Version < clock.KnownVersion
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

        if (entry.ElectionId is { } electionId)
        {
            snapshots.MarkRead(electionId);
        }

        return entry.Document;
    }

    /// <summary>Forgets the documents of elections whose snapshots are no longer kept (<see cref="IdleEviction"/>).</summary>
    public int ForgetUnloaded()
    {
        var forgotten = 0;
        foreach (var (key, entry) in _documents)
        {
            if (entry.ElectionId is { } electionId && !snapshots.IsLoaded(electionId) && _documents.TryRemove(KeyValuePair.Create(key, entry)))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    private static string Key(HttpRequest request) =>
        string.Concat(request.Path.Value, request.QueryString.Value, Csv.IsWanted(request) ? " csv" : "");
}

public sealed class HotDocumentsMiddleware(RequestDelegate next, HotDocuments documents)
{
    public Task InvokeAsync(HttpContext context) =>
        documents.Find(context) is { } document ? DocumentResult.Send(context, document, CachePolicy.Documents, fromMemory: true) : next(context);
}
