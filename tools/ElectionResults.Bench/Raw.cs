using System.Text.Json;

namespace ElectionResults.Bench;

/// <summary>One hot document in one variant (plain, gzip, 304): the API's run, nginx's and the OutputCache probe's.</summary>
internal sealed record HotRow(string Document, string Label, string Variant, long Bytes, Run Api, Run Nginx, Run? Probe);

/// <summary>The hot runs (hot.json).</summary>
internal sealed record HotResults(int Threads, int Connections, double Seconds, double WarmupSeconds, string LoadBefore, IReadOnlyList<HotRow> Rows);

/// <summary>
/// The writes on one election (writes-ELECTION.json): alone, then under pollers, with the garbage collections of A and B
/// during the mixed run (null when an instance does not export the runtime's meter).
/// </summary>
internal sealed record WritesResult(
    string Election, double Rate, double AloneSeconds, double MixedSeconds, int Connections, string Pollers,
    WriterStats Alone, double AloneOtherCpuPercent, double? CpuPerWriteMsA, double? CpuPerWriteMsB, double? CpuPerWriteMsPostgres,
    WriterStats Mixed, Run PollerRun, GcFigures? MixedGcA = null, GcFigures? MixedGcB = null);

/// <summary>An instance's memory at one point (memory-NAME.json), with what it held then.</summary>
internal sealed record MemoryResult(string Name, long? RssKb, long? HwmKb, long? HeapKb, int? Seats, long? Candidacies, long? ImportMs, int Documents);

/// <summary>A memory figure of instance C in the archive run, with its CPU time over the 2 quiet seconds before it.</summary>
internal sealed record ArchiveStage(string Label, long? RssKb, long? HeapKb, long? HwmKb, long CpuMs);

/// <summary>The archive run (archive.json).</summary>
internal sealed record ArchiveResult(
    int Finished, int EvictSeconds, int IdleSeconds, long LiveFirstReadMs, IReadOnlyList<long> FinishedFirstReadMs,
    long RereadMs, long IdleCpuMs, IReadOnlyList<ArchiveStage> Stages);

/// <summary>Cold starts (cold-NAME.json): process start to the first 200 of the election's tally, per run.</summary>
internal sealed record ColdResult(string Name, string Election, IReadOnlyList<long> Ms);

/// <summary>The raw results: one JSON file per measurement in the raw directory.</summary>
internal static class Raw
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task WriteAsync<T>(string dir, string file, T value)
    {
        await File.WriteAllTextAsync(Path.Combine(dir, file), JsonSerializer.Serialize(value, Json));
    }

    public static T? Read<T>(string dir, string file)
        where T : class =>
        File.Exists(Path.Combine(dir, file)) ? JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(dir, file)), Json) : null;
}
