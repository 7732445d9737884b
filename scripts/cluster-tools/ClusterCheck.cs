// The measuring side of `scripts/cluster --check`, as a .NET file-based app (no packages). Loopback only.
//
//   ClusterCheck freshness --key KEY --writes 100 --seat CODE URL1 URL2 URL3
//       Corrects one seat WRITES times (after --warmup W uncounted ones), each time through the next instance in turn
//       (GET its ETag, POST a revision with If-Match, one more vote for the leader). Every instance's event stream
//       (/events) is open throughout: an instance sends the new revision the moment the snapshot it serves documents
//       from has it. From the POST's answer to the last instance's event is write-to-visible across the instances;
//       each instance must then also serve the document with the new ETag.
//       Prints `freshness writes=N p50_ms= p99_ms= max_ms= failed= writer_p50_ms= writer_p99_ms=`; the writer_ figures
//       are the same measure on the instance that took the write (which knows at once): the floor of the method.
//   ClusterCheck load --seconds 12 --clients 8 --key KEY --seat CODE URL
//       Bounded load through the load balancer: CLIENTS loops of GETs (tally, constituency list, a constituency,
//       with and without If-None-Match) and one writer correcting the seat every 200 ms, for SECONDS seconds.
//       Prints `load reads= read_failed= writes= write_failed=` and one line per failure.
//   ClusterCheck converge --seat CODE --within-ms 5000 URL1 URL2 ...
//       Succeeds when every instance serves the same ETag of the seat's document (the newest) within the time.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

var (mode, options, urls) = Args.Parse(args);
using var handler = new SocketsHttpHandler
{
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    UseProxy = false,
    MaxConnectionsPerServer = 64,
    PooledConnectionLifetime = TimeSpan.FromSeconds(2),
};
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
var election = options.GetValueOrDefault("election", "ge2017");
var seat = options.GetValueOrDefault("seat", "E14000810");
var key = options.GetValueOrDefault("key", "");
string SeatPath(Uri baseUri) => new Uri(baseUri, $"v1/elections/{election}/constituencies/{seat}").ToString();

switch (mode)
{
    case "freshness":
        return await Freshness();
    case "load":
        return await Load();
    case "converge":
        return await Converge();
    default:
        Console.Error.WriteLine("usage: ClusterCheck freshness|load|converge [--option value ...] URL...");
        return 2;
}

async Task<int> Freshness()
{
    var writes = int.Parse(options.GetValueOrDefault("writes", "100"), CultureInfo.InvariantCulture);
    var warmup = int.Parse(options.GetValueOrDefault("warmup", "0"), CultureInfo.InvariantCulture);

    // One event stream per instance, open for the whole run: an instance sends the seat's new revision the moment its
    // snapshot (from which it serves the documents) has it. Arrival times by (instance, revision).
    var heard = new ConcurrentDictionary<(int Instance, int Revision), long>();
    using var streams = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None }) { Timeout = Timeout.InfiniteTimeSpan };
    using var stop = new CancellationTokenSource();
    var connected = urls.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
    var listeners = urls.Select((u, i) => Task.Run(() => ListenAsync(streams, u, i, heard, connected[i], stop.Token))).ToArray();
    await Task.WhenAny(Task.WhenAll(connected.Select(c => c.Task)), Task.Delay(TimeSpan.FromSeconds(10)));
    if (!connected.All(c => c.Task.IsCompleted))
    {
        Console.WriteLine("freshness: the event streams did not open");
        return 1;
    }

    var delays = new List<double>(writes);
    var own = new List<double>(writes);
    var failed = 0;
    for (var i = -warmup; i < writes; i++)
    {
        var writerIndex = (i + warmup) % urls.Count;
        var writer = urls[writerIndex];
        var written = await CorrectAsync(writer, $"cluster check {i + 1}");
        var answered = Stopwatch.GetTimestamp();
        if (written is not { } write)
        {
            failed += i >= 0 ? 1 : 0;
            continue;
        }

        // Wait (at most 5 s) until every instance has sent the revision, then read the document from each.
        var waitUntil = answered + 5 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < waitUntil && Enumerable.Range(0, urls.Count).Any(n => !heard.ContainsKey((n, write.Revision))))
        {
            await Task.Delay(1);
        }

        var served = await Task.WhenAll(urls.Select(ServedETagAsync));
        if (i < 0)
        {
            continue;
        }

        if (Enumerable.Range(0, urls.Count).Any(n => !heard.ContainsKey((n, write.Revision))) || served.Any(e => e != write.ETag))
        {
            Console.WriteLine($"write {i + 1} through {writer.Authority}: not served everywhere within 5 s ({string.Join(", ", served.Select(e => e ?? "none"))})");
            failed++;
            continue;
        }

        // An instance may send it before the writer's answer arrives: that is a delay of 0.
        double Delay(int n) => Math.Max(0, Stopwatch.GetElapsedTime(answered, heard[(n, write.Revision)]).TotalMilliseconds);
        delays.Add(Enumerable.Range(0, urls.Count).Max(Delay));
        own.Add(Delay(writerIndex));
    }

    await stop.CancelAsync();
    await Task.WhenAll(listeners);
    delays.Sort();
    own.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"freshness writes={writes} instances={urls.Count} p50_ms={Percentile(delays, 0.50):F1} p99_ms={Percentile(delays, 0.99):F1} max_ms={(delays.Count > 0 ? delays[^1] : double.NaN):F1} failed={failed} writer_p50_ms={Percentile(own, 0.50):F1} writer_p99_ms={Percentile(own, 0.99):F1}"));
    return 0;
}

// Reads INSTANCE's event stream of the election, recording when each revision of the seat arrives.
async Task ListenAsync(HttpClient client, Uri instance, int index, ConcurrentDictionary<(int, int), long> heard, TaskCompletionSource connected, CancellationToken ct)
{
    try
    {
        using var response = await client.GetAsync(new Uri(instance, $"v1/elections/{election}/events"), HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var at = Stopwatch.GetTimestamp();
            using var json = JsonDocument.Parse(line[6..]);
            if (json.RootElement.GetProperty("code").GetString() == seat)
            {
                heard.TryAdd((index, json.RootElement.GetProperty("revision").GetInt32()), at);
            }
        }
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
    {
        // The run is over.
    }
    catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
    {
        Console.WriteLine($"events: {instance.Authority}: {ex.Message}");
    }
}

async Task<string?> ServedETagAsync(Uri instance)
{
    try
    {
        using var response = await http.GetAsync(SeatPath(instance));
        return response.StatusCode == HttpStatusCode.OK ? response.Headers.ETag?.Tag : null;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return null;
    }
}

async Task<int> Load()
{
    var seconds = double.Parse(options.GetValueOrDefault("seconds", "12"), CultureInfo.InvariantCulture);
    var clients = int.Parse(options.GetValueOrDefault("clients", "8"), CultureInfo.InvariantCulture);
    var balancer = urls[0];
    var paths = new[] { $"v1/elections/{election}/tally", $"v1/elections/{election}/constituencies", $"v1/elections/{election}/constituencies/{seat}", $"v1/elections/{election}/areas/east-midlands/tally" };
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    long reads = 0, readFailed = 0, writes = 0, writeFailed = 0;

    async Task Reader(int client)
    {
        string? etag = null;
        for (var i = client; Stopwatch.GetTimestamp() < deadline; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(balancer, paths[i % paths.Length]));
            if (i % 2 == 0 && etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            Interlocked.Increment(ref reads);
            try
            {
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotModified))
                {
                    Interlocked.Increment(ref readFailed);
                    Console.WriteLine($"read failed: GET {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}");
                }

                etag = response.Headers.ETag?.Tag;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref readFailed);
                Console.WriteLine($"read failed: GET {request.RequestUri!.AbsolutePath}: {ex.Message}");
            }
        }
    }

    async Task Writer()
    {
        for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            Interlocked.Increment(ref writes);
            if (await CorrectAsync(balancer, $"cluster load {i + 1}") is null)
            {
                Interlocked.Increment(ref writeFailed);
            }

            await Task.Delay(200);
        }
    }

    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Reader(c))).Append(Task.Run(Writer)));
    Console.WriteLine($"load reads={reads} read_failed={readFailed} writes={writes} write_failed={writeFailed}");
    return 0;
}

async Task<int> Converge()
{
    var within = TimeSpan.FromMilliseconds(double.Parse(options.GetValueOrDefault("within-ms", "5000"), CultureInfo.InvariantCulture));
    var started = Stopwatch.GetTimestamp();
    string?[] etags = [];
    while (Stopwatch.GetElapsedTime(started) < within)
    {
        etags = await Task.WhenAll(urls.Select(async u =>
        {
            try
            {
                using var response = await http.GetAsync(SeatPath(u));
                return response.StatusCode == HttpStatusCode.OK ? response.Headers.ETag?.Tag : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }));
        if (etags.All(e => e is not null && e == etags[0]))
        {
            Console.WriteLine($"converge instances={urls.Count} etag={etags[0]} after_ms={Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0}");
            return 0;
        }

        await Task.Delay(50);
    }

    Console.WriteLine($"converge failed: {string.Join(" ", urls.Zip(etags, (u, e) => $"{u.Authority}={e ?? "none"}"))}");
    return 1;
}

// A correction through INSTANCE: the document's ETag as If-Match, one more vote for the leader. Returns the new ETag
// and revision number.
async Task<(string ETag, int Revision)?> CorrectAsync(Uri instance, string reason)
{
    try
    {
        using var read = await http.GetAsync(SeatPath(instance));
        if (read.StatusCode != HttpStatusCode.OK || read.Headers.ETag is null)
        {
            Console.WriteLine($"write failed: GET through {instance.Authority} answered {(int)read.StatusCode}");
            return null;
        }

        using var document = JsonDocument.Parse(await read.Content.ReadAsByteArrayAsync());
        var root = document.RootElement;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "declared");
            json.WriteStartArray("votes");
            var first = true;
            foreach (var candidate in root.GetProperty("candidates").EnumerateArray())
            {
                json.WriteStartObject();
                json.WriteNumber("candidateId", candidate.GetProperty("id").GetInt64());
                // Candidates are listed most votes first: the leader gains a vote, so the winner stays the winner.
                json.WriteNumber("votes", candidate.GetProperty("votes").GetInt64() + (first ? 1 : 0));
                json.WriteEndObject();
                first = false;
            }

            json.WriteEndArray();
            json.WriteString("declaredAt", root.GetProperty("declaredAt").GetString());
            json.WriteString("source", "scripts/cluster check");
            json.WriteString("reason", reason);
            json.WriteEndObject();
        }

        var body = buffer.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, SeatPath(instance) + "/declarations");
        request.Headers.Add("X-Api-Key", key);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(read.Headers.ETag.Tag));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Console.WriteLine($"write failed: POST through {instance.Authority} answered {(int)response.StatusCode}");
            return null;
        }

        using var created = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return response.Headers.ETag is { } etag ? (etag.Tag, created.RootElement.GetProperty("revision").GetInt32()) : null;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
    {
        Console.WriteLine($"write failed through {instance.Authority}: {ex.Message}");
        return null;
    }
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

internal static class Args
{
    public static (string Mode, Dictionary<string, string> Options, List<Uri> Urls) Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var urls = new List<Uri>();
        var mode = args.Length > 0 ? args[0] : "";
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                urls.Add(new Uri(args[i].TrimEnd('/') + "/"));
            }
        }

        return (mode, options, urls);
    }
}
