// The measuring and reporting half of scripts/bench (the script starts the processes and calls this tool):
//
//   ElectionResults.Bench hot        --raw DIR --api URL --nginx URL [--probe URL] [--routed URL] --region ID --seat CODE
//   ElectionResults.Bench writes ID  --raw DIR --write URL_A --watch URL_B --key KEY --path PATH... [--header H]
//                                    [--cpu-a PID] [--cpu-b PID] [--cpu-postgres PID]
//   ElectionResults.Bench writer NAME --raw DIR --write URL_A --watch URL_B --key KEY [--election ID] [--rate N]
//                                    [--seconds N] [--offset N]    (the writer and watcher alone)
//   ElectionResults.Bench memory NAME --raw DIR --pid PID [--warm URL --elections ID,ID] [--gcdump PATH] [--seats N]
//   ElectionResults.Bench archive    --raw DIR --url URL_C --pid PID --live ID --finished ID,ID... [--idle S]
//   ElectionResults.Bench cold-start NAME --raw DIR --dll API.dll --election ID [--runs N]
//   ElectionResults.Bench report     --raw DIR --out FILE.md [--commit TEXT] [--modes TEXT] [--live ID] [--seats N]
//
// Every measuring subcommand writes its raw results as JSON into the raw directory; report reads them and writes the
// markdown report (and prints it). Common options: --threads, --connections, --duration, --warmup, --rate, --alone,
// --mixed (seconds), --lua DIR (wrk's scripts, default scripts/bench-tools), --ours PID,PID (the bench's processes:
// their descendants included, they are left out of "CPU taken by others").
using System.Net;
using ElectionResults.Bench;

if (args.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: ElectionResults.Bench hot|writes|writer|memory|archive|cold-start|report [options] (see Program.cs)");
    return 2;
}

using var handler = new SocketsHttpHandler
{
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    UseProxy = false,
    MaxConnectionsPerServer = 256,
};
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

try
{
    var options = new Args(args.Skip(1));
    var runs = args[0] == "report" ? null : new Runs(http, options);
    switch (args[0])
    {
        case "hot": await runs!.HotAsync(); break;
        case "writes": await runs!.WritesAsync(); break;
        case "writer": await runs!.WriterAsync(); break;
        case "memory": await runs!.MemoryAsync(); break;
        case "archive": await runs!.ArchiveAsync(); break;
        case "cold-start": await runs!.ColdStartAsync(); break;
        case "report": await WriteReportAsync(options); break;
        default: throw new UsageException($"unknown subcommand {args[0]}");
    }

    return 0;
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"bench: {ex.Message}");
    return 2;
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"bench {args[0]}: {ex.Message}");
    return 1;
}

static async Task WriteReportAsync(Args options)
{
    var raw = options.Required("raw");
    var inputs = Report.Load(raw, options.Optional("live") ?? "synth-01", options.Int("seats", 6500));
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    var memory = ProcessStats.ParseStatusKb(File.ReadAllText("/proc/meminfo"), "MemTotal") / 1048576.0;
    var machine = $"Commit {options.Optional("commit") ?? "unknown"}; {Environment.ProcessorCount} cores ({cpu}), {memory:F0} GiB; modes: {options.Optional("modes") ?? "all"}. " +
        "The API in Release, PostgreSQL a throwaway cluster (fsync off); wrk, the servers under test, the other API instances and " +
        "PostgreSQL share these cores. Raw results: " + Path.GetFileName(Path.GetFullPath(raw).TrimEnd('/')) + "/ beside this file.";
    var text = Report.Render(inputs, $"ElectionResults benchmark, {DateTime.Now:yyyy-MM-dd HH:mm}", machine);
    if (options.Optional("out") is { } file)
    {
        await File.WriteAllTextAsync(file, text);
    }

    Console.Write(text);
}
