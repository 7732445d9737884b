using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Infrastructure.Observability;

/// <summary>
/// The service's own instruments, on one meter (<see cref="MeterName"/>). Prometheus sees the dots as underscores and
/// counters with a <c>_total</c> suffix (README, "Metrics", lists every series). Tags are few and bounded: operation
/// names, HTTP statuses, import formats.
/// The meter is the process's, not the host's: OpenTelemetry listens to meters by name across the process, and a meter
/// disposed with one host (several run side by side in the integration tests) would end the series of the others.
/// The gauges report on the process's version clock (a service process has one; should several hosts share a
/// process, as in the tests, the freshest and any connected one).
/// </summary>
public sealed class ElectionMetrics : IDisposable
{
    public const string MeterName = "ElectionResults";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<VersionClock, byte> Clocks = new();

    private static readonly Counter<long> Declarations = Meter.CreateCounter<long>("elections.declarations.accepted",
        description: "Declarations accepted: kind=declaration (a seat's first revision) or correction (any later revision: corrections and recounts).");

    private static readonly Counter<long> WritesAccepted = Meter.CreateCounter<long>("elections.writes.accepted",
        description: "Writes accepted (2xx), by operation.");

    private static readonly Counter<long> WritesRefused = Meter.CreateCounter<long>("elections.writes.refused",
        description: "Writes refused, by HTTP status and operation (401, 403, 409, 412, 422, 429, 503, ...).");

    private static readonly Counter<long> Imports = Meter.CreateCounter<long>("elections.imports",
        description: "Imports by format and outcome: applied (wrote something), unchanged (the same file again) or rejected (422).");

    private static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("elections.imports.rows",
        description: "Data rows read by accepted imports, by format.");

    // Documents are counted on the hottest path there is (every poll), so they are plain counts, incremented without a lock
    // and read by observable counters when the meter is collected: a counter's Add with a tag would look the tag up on every
    // request, which measured about 4% of a front-door answer's CPU. One count per Index(fromMemory, notModified).
    private static readonly long[] DocumentCounts = new long[4];

    private static readonly KeyValuePair<string, object?> FromMemory = new("source", "memory");
    private static readonly KeyValuePair<string, object?> Rendered = new("source", "rendered");

    private static readonly ObservableCounter<long> DocumentsServed = Meter.CreateObservableCounter("elections.documents.served",
        () => new[]
        {
            new Measurement<long>(Count(fromMemory: true, notModified: false) + Count(fromMemory: true, notModified: true), FromMemory),
            new Measurement<long>(Count(fromMemory: false, notModified: false) + Count(fromMemory: false, notModified: true), Rendered),
        },
        description: "Polled documents answered (200 or 304): source=memory (front door, no routing or query) or rendered (through the endpoint).");

    private static readonly ObservableCounter<long> NotModifiedAnswers = Meter.CreateObservableCounter("elections.documents.not_modified",
        () => new[]
        {
            new Measurement<long>(Count(fromMemory: true, notModified: true), FromMemory),
            new Measurement<long>(Count(fromMemory: false, notModified: true), Rendered),
        },
        description: "304 Not Modified answers, by source (memory, rendered).");

    private static readonly UpDownCounter<long> Clients = Meter.CreateUpDownCounter<long>("elections.clients.connected",
        description: "Clients holding a connection open: kind=sse (event streams) or long-poll (change feed with wait).");

    private static readonly ObservableGauge<double> NewestAge = Meter.CreateObservableGauge("elections.changes.newest_age",
        () => Clocks.Keys.Select(c => c.SinceNewestChange.TotalSeconds).DefaultIfEmpty(0).Min(), unit: "s",
        description: "Seconds since this instance heard of the newest data version (a notification, or a write of its own).");

    private static readonly ObservableGauge<int> ListenerConnected = Meter.CreateObservableGauge("elections.change_listener.connected",
        () => Clocks.Keys.Any(c => c.IsListening) ? 1 : 0,
        description: "1 while this instance's change listener is connected (documents served from memory), else 0.");

    private readonly VersionClock _clock;

    public ElectionMetrics(VersionClock clock)
    {
        _clock = clock;
        Clocks[clock] = 0;
        GC.KeepAlive(NewestAge);
        GC.KeepAlive(ListenerConnected);
        GC.KeepAlive(DocumentsServed);
        GC.KeepAlive(NotModifiedAnswers);
    }

    public void Dispose() => Clocks.TryRemove(_clock, out _);

    public void DeclarationAccepted(int? revision) =>
        Declarations.Add(1, new KeyValuePair<string, object?>("kind", revision is > 1 ? "correction" : "declaration"));

    public void WriteAccepted(string operation) => WritesAccepted.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void WriteRefused(int status, string operation) =>
        WritesRefused.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("operation", operation));

    public void Imported(string format, string outcome, int rows)
    {
        Imports.Add(1, new KeyValuePair<string, object?>("format", format), new KeyValuePair<string, object?>("outcome", outcome));
        if (rows > 0)
        {
            ImportRows.Add(rows, new KeyValuePair<string, object?>("format", format));
        }
    }

    /// <summary>Counts a polled document answered (200 or 304), by the front door (<paramref name="fromMemory"/>) or an endpoint.</summary>
    public static void DocumentServed(bool fromMemory, bool notModified) => Interlocked.Increment(ref DocumentCounts[Index(fromMemory, notModified)]);

    private static long Count(bool fromMemory, bool notModified) => Volatile.Read(ref DocumentCounts[Index(fromMemory, notModified)]);

    private static int Index(bool fromMemory, bool notModified) => (fromMemory ? 2 : 0) + (notModified ? 1 : 0);

    /// <summary>Counts a connected client until the returned handle is disposed.</summary>
    public IDisposable ClientConnected(string kind)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        Clients.Add(1, tag);
        return new Connected(tag);
    }

    private sealed class Connected(KeyValuePair<string, object?> tag) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Clients.Add(-1, tag);
            }
        }
    }
}
