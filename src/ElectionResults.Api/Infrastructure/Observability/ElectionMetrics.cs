using System.Diagnostics.Metrics;
using ElectionResults.Api.Infrastructure.Database;

namespace ElectionResults.Api.Infrastructure.Observability;

/// <summary>
/// The service's own instruments, on one meter (<see cref="MeterName"/>). Prometheus sees the dots as underscores and
/// counters with a <c>_total</c> suffix (README, "Metrics", lists every series). Tags are few and bounded: operation
/// names, HTTP statuses, import formats.
/// </summary>
public sealed class ElectionMetrics
{
    public const string MeterName = "ElectionResults";

    private readonly Counter<long> _declarations;
    private readonly Counter<long> _writesAccepted;
    private readonly Counter<long> _writesRefused;
    private readonly Counter<long> _imports;
    private readonly Counter<long> _importRows;
    private readonly Counter<long> _documentsServed;
    private readonly Counter<long> _notModified;
    private readonly UpDownCounter<long> _clients;

    public ElectionMetrics(IMeterFactory meterFactory, ChangeListener listener)
    {
        var meter = meterFactory.Create(MeterName);
        _declarations = meter.CreateCounter<long>("elections.declarations.accepted",
            description: "Declarations accepted: kind=declaration (a seat's first revision) or correction (any later revision: corrections and recounts).");
        _writesAccepted = meter.CreateCounter<long>("elections.writes.accepted",
            description: "Writes accepted (2xx), by operation.");
        _writesRefused = meter.CreateCounter<long>("elections.writes.refused",
            description: "Writes refused, by HTTP status and operation (401, 403, 409, 412, 422, 429, 503, ...).");
        _imports = meter.CreateCounter<long>("elections.imports",
            description: "Imports by format and outcome: applied (wrote something), unchanged (the same file again) or rejected (422).");
        _importRows = meter.CreateCounter<long>("elections.imports.rows",
            description: "Data rows read by accepted imports, by format.");
        _documentsServed = meter.CreateCounter<long>("elections.documents.served",
            description: "Polled documents answered (200 or 304): source=memory (front door, no routing or query) or rendered (through the endpoint).");
        _notModified = meter.CreateCounter<long>("elections.documents.not_modified",
            description: "304 Not Modified answers, by source (memory, rendered).");
        _clients = meter.CreateUpDownCounter<long>("elections.clients.connected",
            description: "Clients holding a connection open: kind=sse (event streams) or long-poll (change feed with wait).");
        meter.CreateObservableGauge("elections.changes.newest_age", () => listener.SinceNewestChange.TotalSeconds, unit: "s",
            description: "Seconds since this instance heard of the newest data version (a notification, or a write of its own).");
        meter.CreateObservableGauge("elections.change_listener.connected", () => listener.IsListening ? 1 : 0,
            description: "1 while this instance's change listener is connected (documents served from memory), else 0.");
    }

    public void DeclarationAccepted(int? revision) =>
        _declarations.Add(1, new KeyValuePair<string, object?>("kind", revision is > 1 ? "correction" : "declaration"));

    public void WriteAccepted(string operation) => _writesAccepted.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void WriteRefused(int status, string operation) =>
        _writesRefused.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("operation", operation));

    public void Imported(string format, string outcome, int rows)
    {
        _imports.Add(1, new KeyValuePair<string, object?>("format", format), new KeyValuePair<string, object?>("outcome", outcome));
        if (rows > 0)
        {
            _importRows.Add(rows, new KeyValuePair<string, object?>("format", format));
        }
    }

    public void DocumentServed(bool fromMemory, bool notModified)
    {
        var source = new KeyValuePair<string, object?>("source", fromMemory ? "memory" : "rendered");
        _documentsServed.Add(1, source);
        if (notModified)
        {
            _notModified.Add(1, source);
        }
    }

    /// <summary>A 304 from the buffering ETag middleware (GETs that are not pre-rendered documents).</summary>
    public void NotModified() => _notModified.Add(1, new KeyValuePair<string, object?>("source", "rendered"));

    /// <summary>Counts a connected client until the returned handle is disposed.</summary>
    public IDisposable ClientConnected(string kind)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        _clients.Add(1, tag);
        return new Connected(_clients, tag);
    }

    private sealed class Connected(UpDownCounter<long> clients, KeyValuePair<string, object?> tag) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clients.Add(-1, tag);
            }
        }
    }
}
