using System.Diagnostics;
using System.Globalization;

namespace ElectionResults.Bench;

/// <summary>What one wrk run measured: the BENCH line that scripts/bench-tools/report.lua prints.</summary>
internal sealed record WrkResult(
    long Requests, long DurationUs, double Rps, long P50Us, long P90Us, long P99Us, long MaxUs, long Bytes,
    long ErrorsConnect, long ErrorsRead, long ErrorsWrite, long ErrorsStatus, long ErrorsTimeout)
{
    public long Errors => ErrorsConnect + ErrorsRead + ErrorsWrite + ErrorsStatus + ErrorsTimeout;
}

/// <summary>
/// A measured run: wrk's figures, the share of the machine's CPU that other processes took meanwhile and, when the
/// server's processes were named, the CPU time they spent per answer (µs; null when not measured).
/// </summary>
internal sealed record Run(string Name, WrkResult Wrk, double OtherCpuPercent, double? ServerCpuUsPerAnswer = null)
{
    /// <summary>CPU time per answer in µs: the server's CPU over the run divided by the answers; null without answers.</summary>
    public static double? PerAnswerUs(long serverCpuMs, long answers) => answers > 0 ? serverCpuMs * 1000.0 / answers : null;
}

/// <summary>How wrk is run: threads, connections, seconds, the directory of the lua scripts.</summary>
internal sealed record WrkSettings(int Threads, int Connections, string LuaDir)
{
    public static WrkSettings From(Args args) =>
        new(args.Int("threads", 2), args.Int("connections", 64), args.Optional("lua") ?? "scripts/bench-tools");
}

/// <summary>Runs wrk (the load generator) and parses its result.</summary>
internal static class Wrk
{
    /// <summary>
    /// Parses the line "BENCH key=value ..." out of wrk's output; null when there is none. Unknown keys are ignored,
    /// missing ones are 0.
    /// </summary>
    public static WrkResult? Parse(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in line["BENCH ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        long L(string key) => values.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        var rps = values.TryGetValue("rps", out var r) ? double.Parse(r, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(
            L("requests"), L("duration_us"), rps, L("p50_us"), L("p90_us"), L("p99_us"), L("max_us"), L("bytes"),
            L("errors_connect"), L("errors_read"), L("errors_write"), L("errors_status"), L("errors_timeout"));
    }

    /// <summary>The command line: report.lua for one URL, or mixed.lua cycling through <paramref name="paths"/>.</summary>
    public static List<string> Arguments(WrkSettings settings, double seconds, string url, IReadOnlyList<string> headers, IReadOnlyList<string> paths)
    {
        var script = paths.Count > 0 ? "mixed.lua" : "report.lua";
        List<string> args =
        [
            $"-t{settings.Threads}", $"-c{settings.Connections}", string.Create(CultureInfo.InvariantCulture, $"-d{seconds}s"), "--latency",
            "-s", Path.Combine(settings.LuaDir, script),
        ];
        foreach (var header in headers)
        {
            args.Add("-H");
            args.Add(header);
        }

        args.Add(url);
        if (paths.Count > 0)
        {
            args.Add("--");
            args.AddRange(paths);
        }

        return args;
    }

    /// <summary>
    /// Runs wrk for <paramref name="seconds"/> and keeps its output in RAW/wrk-NAME.log; throws when it fails or prints
    /// no BENCH line. The CPU other processes took is measured over the run (<paramref name="ours"/>: the bench's processes),
    /// and so is the CPU of <paramref name="server"/> (the server under test and its descendants) when it is given.
    /// </summary>
    public static async Task<Run> RunAsync(
        string raw, string name, WrkSettings settings, double seconds, string url, IReadOnlyList<string> headers,
        IReadOnlyList<string> paths, IReadOnlyList<int> ours, IReadOnlyList<int>? server = null)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in Arguments(settings, seconds, url, headers, paths))
        {
            start.ArgumentList.Add(arg);
        }

        var window = CpuWindow.Start(ours);
        var serverCpu = server is { Count: > 0 } ? ProcessStats.TreeCpuMs(server) : (long?)null;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var other = window.OtherPercent();
        var serverCpuMs = serverCpu is { } before ? ProcessStats.TreeCpuMs(server!) - before : (long?)null;
        var output = await stdout + await stderr;
        await File.WriteAllTextAsync(Path.Combine(raw, $"wrk-{name}.log"), output);
        if (process.ExitCode != 0 || Parse(output) is not { } result)
        {
            throw new InvalidOperationException($"wrk {name} failed (exit {process.ExitCode}):\n{output}");
        }

        return new Run(name, result, other, serverCpuMs is { } ms ? Run.PerAnswerUs(ms, result.Requests) : null);
    }
}
