using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ElectionResults.Bench;

/// <summary>The measuring subcommands: each runs its part of the bench and writes its raw JSON file.</summary>
internal sealed class Runs(HttpClient http, Args args)
{
    private readonly string _raw = args.Required("raw");
    private readonly IReadOnlyList<int> _ours = args.Pids("ours");
    private readonly WrkSettings _wrk = WrkSettings.From(args);

    /// <summary>
    /// hot: the national tally, a region tally, a constituency and the constituency list on the API (front door), on
    /// nginx serving the same bytes (/NAME.json) and, for the national tally, on the OutputCache probe and on the
    /// instance without the front door (routed); plain, with Accept-Encoding: gzip, and 304 (If-None-Match). With
    /// --cpu-api, --cpu-nginx, --cpu-probe and --cpu-routed (process ids), each run also measures its server's CPU per answer.
    /// </summary>
    public async Task HotAsync()
    {
        var api = args.Required("api").TrimEnd('/');
        var nginx = args.Required("nginx").TrimEnd('/');
        var probe = args.Optional("probe")?.TrimEnd('/');
        var routed = args.Optional("routed")?.TrimEnd('/');
        var election = args.Optional("election") ?? "ge2017";
        var region = args.Required("region");
        var seat = args.Required("seat");
        var seconds = args.Double("duration", 8);
        var warmup = args.Double("warmup", 2);
        var (apiPids, nginxPids, probePids, routedPids) = (args.Pids("cpu-api"), args.Pids("cpu-nginx"), args.Pids("cpu-probe"), args.Pids("cpu-routed"));
        (string Key, string Label, string Path)[] documents =
        [
            ("tally", $"national tally ({election})", $"/v1/elections/{election}/tally"),
            ("region", $"region tally ({region})", $"/v1/elections/{election}/areas/{region}/tally"),
            ("constituency", $"constituency {seat}", $"/v1/elections/{election}/constituencies/{seat}"),
            ("list", "constituency list", $"/v1/elections/{election}/constituencies"),
        ];

        var load = (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3);
        var rows = new List<HotRow>();
        foreach (var variant in new[] { "plain", "gzip", "304" })
        {
            foreach (var (key, label, path) in documents)
            {
                var file = $"/{key}.json";
                var apiRun = await MeasureAsync($"{key}-{variant}-api", api + path, variant, warmup, seconds, apiPids);
                var nginxRun = await MeasureAsync($"{key}-{variant}-nginx", nginx + file, variant, 1, seconds, nginxPids);
                Run? probeRun = key == "tally" && probe is not null
                    ? await MeasureAsync($"{key}-{variant}-probe", probe + file, variant, warmup, seconds, probePids)
                    : null;
                var bytes = variant == "304" ? 0 : await BytesAsync(api + path, variant);
                rows.Add(new HotRow(key, label, variant, bytes, apiRun, nginxRun, probeRun));
                if (key == "tally" && routed is not null)
                {
                    var routedRun = await MeasureAsync($"{key}-{variant}-routed", routed + path, variant, warmup, seconds, routedPids);
                    rows.Add(new HotRow("routed-tally", $"national tally ({election}), routed (no front door)", variant, bytes, routedRun, nginxRun, null));
                }
            }
        }

        await Raw.WriteAsync(_raw, "hot.json", new HotResults(_wrk.Threads, _wrk.Connections, seconds, warmup, string.Join(' ', load), rows));
    }

    private async Task<Run> MeasureAsync(string name, string url, string variant, double warmup, double seconds, IReadOnlyList<int> server)
    {
        List<string> headers = variant switch
        {
            "gzip" => ["Accept-Encoding: gzip"],
            "304" => [$"If-None-Match: {await EtagAsync(url)}"],
            _ => [],
        };
        await Console.Error.WriteLineAsync($"  {name} ...");
        await Wrk.RunAsync(_raw, name + "-warmup", _wrk, warmup, url, headers, [], _ours);
        return await Wrk.RunAsync(_raw, name, _wrk, seconds, url, headers, [], _ours, server);
    }

    /// <summary>The server's ETag of the URL, after checking that it answers 304 to it.</summary>
    private async Task<string> EtagAsync(string url)
    {
        using var response = await http.GetAsync(new Uri(url));
        var etag = response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"{url} sends no ETag");
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var answer = await http.SendAsync(conditional);
        return answer.StatusCode == HttpStatusCode.NotModified
            ? etag
            : throw new InvalidOperationException($"{url} answers {(int)answer.StatusCode}, not 304, to its ETag {etag}");
    }

    private async Task<long> BytesAsync(string url, string variant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (variant == "gzip")
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        }

        using var response = await http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    /// <summary>
    /// writes ELECTION: corrections to A at --rate for --alone seconds with no pollers (with the CPU per correction of
    /// A, B and PostgreSQL), then --connections wrk pollers on A cycling the --path documents for --mixed seconds, with
    /// the corrections running from the second second to two seconds before the end.
    /// </summary>
    public async Task WritesAsync()
    {
        var election = args.Positional.FirstOrDefault() ?? throw new UsageException("writes ELECTION");
        var write = new Uri(args.Required("write").TrimEnd('/') + "/");
        var watch = new Uri(args.Required("watch").TrimEnd('/') + "/");
        var key = args.Required("key");
        var rate = args.Double("rate", 10);
        var alone = args.Double("alone", 5);
        var mixed = args.Double("mixed", 20);
        var headers = args.All("header");
        var paths = args.All("path");
        var a = args.Pids("cpu-a");
        var b = args.Pids("cpu-b");
        var postgres = args.Pids("cpu-postgres");

        await Console.Error.WriteLineAsync($"Writes alone ({election}): {rate}/s to A for {alone} s with no pollers, watched on B ...");
        var (a0, b0, pg0) = (ProcessStats.TreeCpuMs(a), ProcessStats.TreeCpuMs(b), ProcessStats.TreeCpuMs(postgres));
        var window = CpuWindow.Start(_ours);
        var aloneStats = await new Writer(http, new WriterOptions(write, watch, key, election, rate, alone, 0, Path.Combine(_raw, $"writes-{election}-alone.csv"))).RunAsync();
        var aloneOther = window.OtherPercent();
        double? PerWrite(IReadOnlyList<int> pids, long before) =>
            pids.Count == 0 || aloneStats.Ok == 0 ? null : (ProcessStats.TreeCpuMs(pids) - before) / (double)aloneStats.Ok;
        var (cpuA, cpuB, cpuPg) = (PerWrite(a, a0), PerWrite(b, b0), PerWrite(postgres, pg0));
        await Task.Delay(1000);

        await Console.Error.WriteLineAsync($"Mixed run ({election}): {_wrk.Connections} pollers on A for {mixed} s; {rate} writes/s to A for {mixed - 2} s, watched on B ...");
        var (gcA0, gcB0) = (await GcAsync(write), await GcAsync(watch));
        var pollers = Wrk.RunAsync(_raw, $"{election}-mixed", _wrk, mixed, write.ToString().TrimEnd('/'), headers, paths, _ours);
        await Task.Delay(1000);
        var offset = (int)Math.Round(rate * alone);
        var mixedStats = await new Writer(http, new WriterOptions(write, watch, key, election, rate, mixed - 2, offset, Path.Combine(_raw, $"writes-{election}.csv"))).RunAsync();
        var pollerRun = await pollers;
        var (gcA, gcB) = (GcFigures.Between(gcA0, await GcAsync(write)), GcFigures.Between(gcB0, await GcAsync(watch)));

        var kind = headers.Count == 0 ? "plain GETs" : "GETs with " + string.Join(", ", headers);
        await Raw.WriteAsync(_raw, $"writes-{election}.json", new WritesResult(
            election, rate, alone, mixed, _wrk.Connections, kind, aloneStats, aloneOther, cpuA, cpuB, cpuPg, mixedStats, pollerRun, gcA, gcB));
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  write-to-visible p99 {mixedStats.VisibleP99:F1} ms, POST p99 {mixedStats.PostP99:F1} ms, pollers {pollerRun.Wrk.Rps:F0} req/s"));
    }

    /// <summary>The instance's garbage collections so far, from its /metrics; null when it has none to give.</summary>
    private async Task<GcFigures?> GcAsync(Uri instance)
    {
        try
        {
            return GcFigures.Parse(await http.GetStringAsync(new Uri(instance, "metrics")));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// writer NAME --write URL_A --watch URL_B --key KEY [--election ID] [--rate N] [--seconds N] [--offset N]: the
    /// writer and watcher alone (see <see cref="Writer"/>), into writer-NAME.json and writes-NAME.csv.
    /// </summary>
    public async Task WriterAsync()
    {
        var name = args.Positional.FirstOrDefault() ?? throw new UsageException("writer NAME");
        var options = new WriterOptions(
            new Uri(args.Required("write").TrimEnd('/') + "/"), new Uri(args.Required("watch").TrimEnd('/') + "/"), args.Required("key"),
            args.Optional("election") ?? "ge2017", args.Double("rate", 10), args.Double("seconds", 20), args.Int("offset", 0),
            Path.Combine(_raw, $"writes-{name}.csv"));
        var stats = await new Writer(http, options).RunAsync();
        await Raw.WriteAsync(_raw, $"writer-{name}.json", stats);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {stats.Ok} of {stats.Scheduled} writes, write-to-visible p99 {stats.VisibleP99:F1} ms, POST p99 {stats.PostP99:F1} ms"));
    }

    /// <summary>
    /// memory NAME --pid PID: the instance's VmRSS, VmHWM and managed heap (with --gcdump); with --warm URL, after
    /// fetching the tally, the list and every constituency document of the --elections there first.
    /// </summary>
    public async Task MemoryAsync()
    {
        var name = args.Positional.FirstOrDefault() ?? throw new UsageException("memory NAME");
        var pid = args.Pids("pid").Single();
        var documents = 0;
        if (args.Optional("warm") is { } warm)
        {
            foreach (var election in args.List("elections"))
            {
                documents += await WarmAsync(warm.TrimEnd('/'), election);
            }
        }

        await Task.Delay(documents > 0 ? 2000 : 1000);
        var result = new MemoryResult(
            name, ProcessStats.StatusKb(pid, "VmRSS"), ProcessStats.StatusKb(pid, "VmHWM"),
            await ProcessStats.HeapKbAsync(args.Optional("gcdump"), pid, _raw),
            args.Optional("seats") is { } seats ? int.Parse(seats, CultureInfo.InvariantCulture) : null,
            args.Long("candidacies"), args.Long("import-ms"), documents);
        await Raw.WriteAsync(_raw, $"memory-{name}.json", result);
        await Console.Error.WriteLineAsync($"  {name}: {documents} constituency documents fetched; VmRSS {Format.Mb(result.RssKb)}, managed heap {Format.Mb(result.HeapKb)}");
    }

    /// <summary>GETs the election's tally, its list and every constituency document; returns how many constituencies.</summary>
    private async Task<int> WarmAsync(string baseUrl, string election)
    {
        await GetAsync($"{baseUrl}/v1/elections/{election}/tally");
        using var list = JsonDocument.Parse(await GetAsync($"{baseUrl}/v1/elections/{election}/constituencies"));
        var codes = list.RootElement.GetProperty("constituencies").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        foreach (var code in codes)
        {
            await GetAsync($"{baseUrl}/v1/elections/{election}/constituencies/{code}");
        }

        return codes.Count;
    }

    private async Task<byte[]> GetAsync(string url)
    {
        using var response = await http.GetAsync(new Uri(url));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The tally's round trip in ms, then the constituency list (an election "read").</summary>
    private async Task<long> ReadElectionAsync(string baseUrl, string election)
    {
        var started = Stopwatch.GetTimestamp();
        await GetAsync($"{baseUrl}/v1/elections/{election}/tally");
        var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await GetAsync($"{baseUrl}/v1/elections/{election}/constituencies");
        return ms;
    }

    /// <summary>
    /// archive --url C --pid PID --live ID --finished ID,ID...: instance C's memory after start, after reading the live
    /// election, after reading every finished one, and after --idle seconds (the live one read every second) in which
    /// the finished ones should be evicted, with C's CPU time meanwhile; then one finished election read again.
    /// </summary>
    public async Task ArchiveAsync()
    {
        var url = args.Required("url").TrimEnd('/');
        var pid = args.Pids("pid").Single();
        var live = args.Required("live");
        var finished = args.List("finished");
        var idle = args.Int("idle", 35);
        var gcdump = args.Optional("gcdump");
        var stages = new List<ArchiveStage>();
        async Task Stage(string label)
        {
            var cpu = ProcessStats.TreeCpuMs([pid]);
            await Task.Delay(2000);
            cpu = ProcessStats.TreeCpuMs([pid]) - cpu;
            stages.Add(new ArchiveStage(label, ProcessStats.StatusKb(pid, "VmRSS"), await ProcessStats.HeapKbAsync(gcdump, pid, _raw), ProcessStats.StatusKb(pid, "VmHWM"), cpu));
            await Console.Error.WriteLineAsync($"  instance C {label}: VmRSS {Format.Mb(stages[^1].RssKb)}");
        }

        await Stage("start");
        var liveMs = await ReadElectionAsync(url, live);
        await Stage("live");
        var firstReads = new List<long>();
        foreach (var election in finished)
        {
            firstReads.Add(await ReadElectionAsync(url, election));
        }

        await Stage("all-read");
        await Console.Error.WriteLineAsync($"  {idle} s idle, the live one read every second ...");
        var cpu0 = ProcessStats.TreeCpuMs([pid]);
        for (var i = 0; i < idle; i++)
        {
            await GetAsync($"{url}/v1/elections/{live}/tally");
            await Task.Delay(1000);
        }

        var idleCpu = ProcessStats.TreeCpuMs([pid]) - cpu0;
        await Stage("evicted");
        var reread = finished.Count > 0 ? await ReadElectionAsync(url, finished[0]) : 0;
        await Raw.WriteAsync(_raw, "archive.json", new ArchiveResult(
            finished.Count, args.Int("evict-seconds", 0), idle, liveMs, firstReads, reread, idleCpu, stages));
    }

    /// <summary>
    /// cold-start NAME --dll API.dll --election ID: --runs times, starts a fresh instance (the environment's settings,
    /// a free port) and times process start to the first 200 of the election's tally, polled every 10 ms.
    /// </summary>
    public async Task ColdStartAsync()
    {
        var name = args.Positional.FirstOrDefault() ?? throw new UsageException("cold-start NAME");
        var dll = args.Required("dll");
        var election = args.Required("election");
        var times = new List<long>();
        for (var run = 0; run < args.Int("runs", 3); run++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("sh") { UseShellExecute = false };
            foreach (var arg in new[] { "-c", "exec dotnet \"$0\" >>\"$1\" 2>&1", dll, Path.Combine(_raw, $"api-cold-{name}.log") })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["Database__MigrateOnStartup"] = "false";
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the API did not start");
            try
            {
                var url = new Uri($"http://127.0.0.1:{port}/v1/elections/{election}/tally");
                while (true)
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"the cold-start instance exited (see api-cold-{name}.log)");
                    }

                    if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(120))
                    {
                        throw new InvalidOperationException($"no 200 from {election}'s tally within 120 s of the start");
                    }

                    try
                    {
                        using var response = await http.GetAsync(url);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Not listening yet.
                    }

                    await Task.Delay(10);
                }

                times.Add((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        await Raw.WriteAsync(_raw, $"cold-{name}.json", new ColdResult(name, election, times));
        await Console.Error.WriteLineAsync($"  cold start with {election}: {string.Join(' ', times)} ms");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
