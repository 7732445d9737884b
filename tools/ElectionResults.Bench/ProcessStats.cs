using System.Diagnostics;
using System.Globalization;

namespace ElectionResults.Bench;

/// <summary>Figures of processes and of the machine, read from /proc (Linux).</summary>
internal static class ProcessStats
{
    /// <summary>Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux the bench runs on).</summary>
    public const int TicksPerSecond = 100;

    /// <summary>The parent and the CPU ticks (utime + stime + cutime + cstime) of a /proc/PID/stat line.</summary>
    public static (int Parent, long Ticks) ParseStat(string stat)
    {
        // The command name (field 2) is in parentheses and may hold spaces: count the fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return ((int)F(4), F(14) + F(15) + F(16) + F(17));
    }

    /// <summary>The busy ticks of the whole machine (user, nice, system, irq, softirq, steal) from /proc/stat.</summary>
    public static long ParseMachineBusy(string procStat)
    {
        var line = procStat.Split('\n').First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    }

    /// <summary>A "Name:   N kB" figure of /proc/PID/status (VmRSS, VmHWM), in kB; null when absent.</summary>
    public static long? ParseStatusKb(string status, string name)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public static long? StatusKb(int pid, string name) =>
        TryRead($"/proc/{pid}/status") is { } text ? ParseStatusKb(text, name) : null;

    public static long MachineBusyMs() => ParseMachineBusy(File.ReadAllText("/proc/stat")) * 1000 / TicksPerSecond;

    /// <summary>
    /// CPU time in ms used so far by the processes and all their live descendants (and the children they reaped).
    /// </summary>
    public static long TreeCpuMs(IReadOnlyList<int> roots)
    {
        var all = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                TryRead($"{dir}/stat") is { } stat)
            {
                all[pid] = ParseStat(stat);
            }
        }

        return SumTree(all, roots) * 1000 / TicksPerSecond;
    }

    /// <summary>The ticks of the roots and of every process below them in the parent links.</summary>
    public static long SumTree(IReadOnlyDictionary<int, (int Parent, long Ticks)> processes, IReadOnlyList<int> roots)
    {
        var children = processes.ToLookup(p => p.Value.Parent, p => p.Key);
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots);
        long ticks = 0;
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            if (!seen.Add(pid) || !processes.TryGetValue(pid, out var process))
            {
                continue;
            }

            ticks += process.Ticks;
            foreach (var child in children[pid])
            {
                stack.Push(child);
            }
        }

        return ticks;
    }

    /// <summary>
    /// The share of the machine's CPU (all cores) that processes other than ours took, in percent: the machine's busy time less ours, over the elapsed time of every core.
    /// </summary>
    public static double OtherPercent(long machineBusyMs, long oursMs, double elapsedMs, int cores) =>
        elapsedMs <= 0 ? 0 : Math.Max(0, (machineBusyMs - oursMs) * 100.0 / (elapsedMs * cores));

    /// <summary>
    /// The managed heap of a .NET process after a full, blocking GC (which dotnet-gcdump collect induces), in kB;
    /// null without dotnet-gcdump or when it fails.
    /// </summary>
    public static async Task<long?> HeapKbAsync(string? gcdump, int pid, string scratch)
    {
        if (string.IsNullOrEmpty(gcdump))
        {
            return null;
        }

        var file = Path.Combine(scratch, $"heap-{pid}.gcdump");
        try
        {
            var (collected, _) = await RunAsync(gcdump, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file);
            if (collected != 0)
            {
                return null;
            }

            var (status, report) = await RunAsync(gcdump, "report", file);
            var line = report.Split('\n').FirstOrDefault(l => l.Contains("GC Heap bytes", StringComparison.Ordinal));
            return status == 0 && line is not null &&
                long.TryParse(line.Trim().Split(' ')[0].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out var bytes)
                ? bytes / 1024
                : null;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Status, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // the process went away meanwhile
        }
    }
}

/// <summary>A stretch of time over which the CPU taken by processes outside the bench is measured.</summary>
internal sealed class CpuWindow
{
    private readonly IReadOnlyList<int> _ours;
    private readonly long _busy;
    private readonly long _oursMs;
    private readonly long _start;

    private CpuWindow(IReadOnlyList<int> ours)
    {
        _ours = ours;
        _busy = ProcessStats.MachineBusyMs();
        _oursMs = ProcessStats.TreeCpuMs(ours);
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts a window; <paramref name="ours"/> are the bench's processes (with their descendants).</summary>
    public static CpuWindow Start(IReadOnlyList<int> ours) => new(ours);

    public double OtherPercent() =>
        ProcessStats.OtherPercent(
            ProcessStats.MachineBusyMs() - _busy, ProcessStats.TreeCpuMs(_ours) - _oursMs,
            Stopwatch.GetElapsedTime(_start).TotalMilliseconds, Environment.ProcessorCount);
}
