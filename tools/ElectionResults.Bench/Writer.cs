using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ElectionResults.Bench;

/// <summary>What the writer of one run measured (times in ms; null when nothing was measured).</summary>
internal sealed record WriterStats(
    int Scheduled, int Attempted, int Ok, int Errors, int SkippedBehind, int StartedLate50Ms, string PostStatuses,
    double CompletedPerSecond, double? PostP50, double? PostP99, double? PostMax, double? VisibleP50, double? VisibleP99,
    double? VisibleMax, int EtagMismatches, IReadOnlyList<string> ErrorKinds);

/// <summary>Where the writer writes and watches, how fast, for how long, from which seat of the list.</summary>
internal sealed record WriterOptions(Uri Write, Uri Watch, string Key, string Election, double Rate, double Seconds, int Offset, string? Csv);

/// <summary>
/// The writer and watcher of the write runs. At a fixed rate (open loop: a write starts on schedule even while earlier
/// ones are still running) it corrects one seat after another on instance A: GET the constituency (ETag, candidates),
/// then POST a new revision with If-Match and a reason, adding one vote to the leading candidate (every candidacy named
/// exactly once, so the declaration stays valid and the winner does not change). Each seat is corrected at most once
/// per run, starting <see cref="WriterOptions.Offset"/> seats into the (spread-out) list, so that consecutive runs
/// correct different seats. Right after the POST returns it polls instance B's copy of that constituency
/// (If-None-Match with the new ETag, every 2 ms) until B serves the new revision, and records the delay:
/// write-to-visible on another instance. With a CSV file, one row per write.
/// </summary>
internal sealed class Writer(HttpClient http, WriterOptions options)
{
    private const int MaxInFlight = 64;
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(2);
    private readonly long _origin = Stopwatch.GetTimestamp();
    private int _inFlight;
    private int _etagMismatches;

    /// <summary>One write: when it was due and started, how long its GET and POST took, and when B showed it.</summary>
    private sealed record WriteResult(
        int Index, string Code, double DueMs, double StartMs, double ReadMs, double PostMs, int PostStatus, int Revision,
        double? VisibleMs, string? Error);

    public async Task<WriterStats> RunAsync()
    {
        var codes = await DeclaredSeatsAsync();
        var count = (int)Math.Round(options.Rate * options.Seconds);
        if (codes.Count < options.Offset + count)
        {
            throw new InvalidOperationException($"only {codes.Count} declared seats for {count} writes from seat {options.Offset}");
        }

        var tasks = new List<Task<WriteResult>>(count);
        var skipped = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var wait = (i * 1000.0 / options.Rate) - Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            if (Volatile.Read(ref _inFlight) >= MaxInFlight)
            {
                skipped++;
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            var index = i;
            var code = codes[options.Offset + i];
            var dueMs = Now();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    return await WriteAsync(index, code, dueMs);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }));
        }

        var results = await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (options.Csv is { } file)
        {
            await File.WriteAllTextAsync(file, Csv(results));
        }

        return Stats(results, count, skipped, elapsed);
    }

    private async Task<List<string>> DeclaredSeatsAsync()
    {
        using var response = await http.GetAsync(new Uri(options.Write, $"v1/elections/{options.Election}/constituencies?status=declared"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var codes = json.RootElement.GetProperty("constituencies").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();

        // Spread the writes over the country rather than down the alphabet: every 7th seat, wrapping round.
        var spread = new List<string>(codes.Count);
        for (var offset = 0; offset < 7; offset++)
        {
            for (var i = offset; i < codes.Count; i += 7)
            {
                spread.Add(codes[i]);
            }
        }

        return spread;
    }

    private async Task<WriteResult> WriteAsync(int index, string code, double dueMs)
    {
        var startMs = Now();
        var path = $"v1/elections/{options.Election}/constituencies/{code}";
        string etag;
        byte[] body;
        try
        {
            using var read = await http.GetAsync(new Uri(options.Write, path));
            if (read.StatusCode != HttpStatusCode.OK || read.Headers.ETag is null)
            {
                return new WriteResult(index, code, dueMs, startMs, Now() - startMs, 0, 0, 0, null, $"GET answered {(int)read.StatusCode}");
            }

            etag = read.Headers.ETag.Tag;
            using var document = JsonDocument.Parse(await read.Content.ReadAsByteArrayAsync());
            body = Correction(document.RootElement, index);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new WriteResult(index, code, dueMs, startMs, Now() - startMs, 0, 0, 0, null, "GET failed: " + ex.Message);
        }

        var readMs = Now() - startMs;
        var postStart = Now();
        int status;
        int revision;
        string? newEtag;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Write, path + "/declarations"));
            request.Headers.Add("X-Api-Key", options.Key);
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                var snippet = Encoding.UTF8.GetString(text, 0, Math.Min(text.Length, 200)).ReplaceLineEndings(" ");
                return new WriteResult(index, code, dueMs, startMs, readMs, Now() - postStart, status, 0, null, $"POST answered {status}: {snippet}");
            }

            newEtag = response.Headers.ETag?.Tag;
            using var created = JsonDocument.Parse(text);
            revision = created.RootElement.GetProperty("revision").GetInt32();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new WriteResult(index, code, dueMs, startMs, readMs, Now() - postStart, 0, 0, null, "POST failed: " + ex.Message);
        }

        var postMs = Now() - postStart;
        var returned = Now();
        var visible = await WatchAsync(path, newEtag, revision);
        return visible is { } at
            ? new WriteResult(index, code, dueMs, startMs, readMs, postMs, status, revision, at - returned, null)
            : new WriteResult(index, code, dueMs, startMs, readMs, postMs, status, revision, null,
                $"revision {revision} not visible on the other instance within {WatchTimeout.TotalSeconds} s");
    }

    /// <summary>Polls instance B until it serves the revision just written; returns when (ms since start), or null on timeout.</summary>
    private async Task<double?> WatchAsync(string path, string? newEtag, int revision)
    {
        var deadline = Now() + WatchTimeout.TotalMilliseconds;
        while (Now() < deadline)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Watch, path));
                if (newEtag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", newEtag);
                }

                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return Now();
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                    if (document.RootElement.GetProperty("revision").GetInt32() >= revision)
                    {
                        // Visible, but B's bytes differ from what A answered the POST with: worth reporting.
                        Interlocked.Increment(ref _etagMismatches);
                        return Now();
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Try again until the deadline.
            }

            await Task.Delay(WatchInterval);
        }

        return null;
    }

    /// <summary>The seat's current declaration with one more vote for the leading candidate, as a correction.</summary>
    private static byte[] Correction(JsonElement seat, int index)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "declared");
            json.WriteStartArray("votes");
            var first = true;
            foreach (var candidate in seat.GetProperty("candidates").EnumerateArray())
            {
                json.WriteStartObject();
                json.WriteNumber("candidateId", candidate.GetProperty("id").GetInt64());
                // Candidates are listed most votes first: the leader gains a vote, so the winner stays the winner.
                json.WriteNumber("votes", candidate.GetProperty("votes").GetInt64() + (first ? 1 : 0));
                json.WriteEndObject();
                first = false;
            }

            json.WriteEndArray();
            if (seat.TryGetProperty("invalidVotes", out var invalid) && invalid.ValueKind == JsonValueKind.Number)
            {
                json.WriteNumber("invalidVotes", invalid.GetInt64());
            }

            if (seat.TryGetProperty("declaredAt", out var declaredAt) && declaredAt.ValueKind == JsonValueKind.String)
            {
                json.WriteString("declaredAt", declaredAt.GetString());
            }
            else
            {
                json.WriteString("declaredAt", DateTimeOffset.UtcNow);
            }

            json.WriteString("source", "scripts/bench writer");
            json.WriteString("reason", $"Benchmark correction {index + 1}: one more vote for the leading candidate");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private double Now() => Stopwatch.GetElapsedTime(_origin).TotalMilliseconds;

    private WriterStats Stats(WriteResult[] results, int scheduled, int skipped, double elapsed)
    {
        var ok = results.Where(r => r.Error is null).ToArray();
        double[] visible = [.. ok.Select(r => r.VisibleMs!.Value).Order()];
        double[] posts = [.. results.Where(r => r.PostStatus == 201).Select(r => r.PostMs).Order()];
        return new WriterStats(
            scheduled, results.Length, ok.Length, results.Length - ok.Length + skipped, skipped,
            results.Count(r => r.StartMs - r.DueMs > 50),
            string.Join(",", results.GroupBy(r => r.PostStatus).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}")),
            Math.Round(ok.Length / elapsed, 2),
            Percentiles.Of(posts, 50), Percentiles.Of(posts, 99), posts.Length > 0 ? posts[^1] : null,
            Percentiles.Of(visible, 50), Percentiles.Of(visible, 99), visible.Length > 0 ? visible[^1] : null,
            _etagMismatches,
            [.. results.Where(r => r.Error is not null).Select(r => r.Error!).Distinct().Take(5)]);
    }

    private static string Csv(WriteResult[] results)
    {
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("index,code,due_ms,start_ms,read_ms,post_ms,post_status,revision,visible_ms,error\n");
        foreach (var r in results)
        {
            csv.Append(inv, $"{r.Index},{r.Code},{r.DueMs:F1},{r.StartMs:F1},{r.ReadMs:F1},{r.PostMs:F1},{r.PostStatus},{r.Revision},{r.VisibleMs:F1},\"{r.Error?.Replace("\"", "'", StringComparison.Ordinal)}\"\n");
        }

        return csv.ToString();
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
