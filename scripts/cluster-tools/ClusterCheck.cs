// The measuring side of `scripts/cluster --check`, as a .NET file-based app (no packages). Loopback only.
//
//   ClusterCheck freshness --key KEY --writes 100 --seat CODE URL1 URL2 URL3
//       Corrects one seat WRITES times (after --warmup W uncounted ones), each time through the next instance in turn
//       (GET its ETag, POST a revision with If-Match, one more vote for the leader). Every instance holds a long poll
//       on the change feed meanwhile; from the moment the POST returns until each has answered and serves the new
//       ETag, the slowest one is recorded: write-to-visible across the instances.
//       Prints `freshness writes=N p50_ms= p99_ms= max_ms= failed= writer_p50_ms= writer_p99_ms=`; the writer_ figures
//       are the same measure on the instance that took the write (which knows at once): the floor of the method.
//   ClusterCheck load --seconds 12 --clients 8 --key KEY --seat CODE URL
//       Bounded load through the load balancer: CLIENTS loops of GETs (tally, constituency list, a constituency,
//       with and without If-None-Match) and one writer correcting the seat every 200 ms, for SECONDS seconds.
//       Prints `load reads= read_failed= writes= write_failed=` and one line per failure.
//   ClusterCheck converge --seat CODE --within-ms 5000 URL1 URL2 ...
//       Succeeds when every instance serves the same ETag of the seat's document (the newest) within the time.
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
    var delays = new List<double>(writes);
    var own = new List<double>(writes);
    var failed = 0;
    for (var i = -warmup; i < writes; i++)
    {
        var writer = urls[(i + warmup) % urls.Count];
        // Each instance holds a long poll on the change feed from the cursor before the write: it answers the moment
        // that instance's snapshot has the new revision. Then the document itself must carry the new ETag.
        var cursor = await CursorAsync(writer);
        var etag = cursor is null ? null : await CorrectAsync(writer, $"cluster check {i + 1}");
        if (etag is null)
        {
            failed += i >= 0 ? 1 : 0;
            continue;
        }

        var written = Stopwatch.GetTimestamp();
        var seen = await Task.WhenAll(urls.Select(u => VisibleAsync(u, cursor!.Value, etag, written)));
        if (i < 0)
        {
            continue;
        }

        if (seen.Any(s => s is null))
        {
            Console.WriteLine($"write {i + 1} through {writer.Authority}: not served everywhere within 5 s");
            failed++;
            continue;
        }

        delays.Add(seen.Max(s => s!.Value));
        own.Add(seen[(i + warmup) % urls.Count]!.Value);
    }

    delays.Sort();
    own.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"freshness writes={writes} instances={urls.Count} p50_ms={Percentile(delays, 0.50):F1} p99_ms={Percentile(delays, 0.99):F1} max_ms={(delays.Count > 0 ? delays[^1] : double.NaN):F1} failed={failed} writer_p50_ms={Percentile(own, 0.50):F1} writer_p99_ms={Percentile(own, 0.99):F1}"));
    return 0;
}

async Task<long?> CursorAsync(Uri instance)
{
    try
    {
        using var response = await http.GetAsync(new Uri(instance, $"v1/elections/{election}/changes?since=0"));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("cursor").GetInt64();
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
    {
        Console.WriteLine($"cursor: {instance.Authority}: {ex.Message}");
        return null;
    }
}

// Milliseconds from the write's answer until INSTANCE serves the document with ETAG, or null after 5 s.
async Task<double?> VisibleAsync(Uri instance, long cursor, string etag, long since)
{
    var timeout = TimeSpan.FromSeconds(5);
    try
    {
        using (var changes = await http.GetAsync(new Uri(instance, $"v1/elections/{election}/changes?since={cursor}&wait=5")))
        {
            changes.EnsureSuccessStatusCode();
        }

        var heard = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
        while (Stopwatch.GetElapsedTime(since) < timeout)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, SeatPath(instance));
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotModified || response.Headers.ETag?.Tag == etag)
            {
                // The feed answers from the same snapshot as the document: normally the first GET already matches.
                return Math.Max(heard, Stopwatch.GetElapsedTime(since).TotalMilliseconds);
            }

            await Task.Delay(1);
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        Console.WriteLine($"visible: {instance.Authority}: {ex.Message}");
    }

    return null;
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

// A correction through INSTANCE: the document's ETag as If-Match, one more vote for the leader. Returns the new ETag.
async Task<string?> CorrectAsync(Uri instance, string reason)
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

        return response.Headers.ETag?.Tag;
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
