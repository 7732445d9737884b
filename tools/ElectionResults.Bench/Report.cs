using System.Globalization;
using System.Text;

namespace ElectionResults.Bench;

/// <summary>Whether a goal was met in this run.</summary>
internal enum Verdict
{
    NotMeasured,
    Met,
    NotMet,
}

/// <summary>The goals, as pure functions of the figures.</summary>
internal static class Goals
{
    public const double HotRatio = 1.0;
    public const double HotP99Ms = 5;
    public const double WriteP99Ms = 100;
    public const double LinearTolerance = 1.5;
    public const double ArchiveTolerance = 1.2;

    /// <summary>The API's requests/s over nginx's; null when nginx measured nothing.</summary>
    public static double? Ratio(double api, double baseline) => baseline > 0 ? api / baseline : null;

    /// <summary>A hot document meets its goal at ≥ 1.00x nginx with the API's p99 under 5 ms (and no errors).</summary>
    public static Verdict Hot(HotRow row)
    {
        var ratio = Ratio(row.Api.Wrk.Rps, row.Nginx.Wrk.Rps);
        return ratio is null ? Verdict.NotMeasured
            : Math.Round(ratio.Value, 2) >= HotRatio && row.Api.Wrk.P99Us < HotP99Ms * 1000 && row.Api.Wrk.Errors == 0 ? Verdict.Met
            : Verdict.NotMet;
    }

    public static Verdict Below(double? value, double limit) =>
        value is null || double.IsNaN(value.Value) ? Verdict.NotMeasured : value < limit ? Verdict.Met : Verdict.NotMet;

    /// <summary>Bytes per seat between two memory figures (kB), over the seats added; null when one is missing.</summary>
    public static double? PerSeat(long? afterKb, long? beforeKb, int seats) =>
        afterKb is null || beforeKb is null || seats <= 0 ? null : (afterKb.Value - beforeKb.Value) * 1024.0 / seats;

    /// <summary>Linear in seats: the big election's cost per seat is at most 1.5 times the real elections' own.</summary>
    public static Verdict Linear(double? perSeatBig, double? perSeatReal) =>
        perSeatBig is null || perSeatReal is null || perSeatReal <= 0 ? Verdict.NotMeasured
            : perSeatBig <= LinearTolerance * perSeatReal ? Verdict.Met : Verdict.NotMet;

    /// <summary>At most 1.2 times the reference figure.</summary>
    public static Verdict NoMoreThan(long? value, long? reference) =>
        value is null || reference is null ? Verdict.NotMeasured : value <= ArchiveTolerance * reference ? Verdict.Met : Verdict.NotMet;

    public static Verdict All(params Verdict[] verdicts) =>
        verdicts.Length == 0 || verdicts.Contains(Verdict.NotMeasured) ? Verdict.NotMeasured
            : verdicts.All(v => v == Verdict.Met) ? Verdict.Met : Verdict.NotMet;
}

/// <summary>Numbers as the report prints them.</summary>
internal static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Verdict(Verdict verdict) => verdict switch
    {
        Bench.Verdict.Met => "met",
        Bench.Verdict.NotMet => "**not met**",
        _ => "not measured",
    };

    public static string Rps(double rps) => rps.ToString("N0", Inv);

    public static string Ratio(double? ratio) => ratio is { } r ? r.ToString("F2", Inv) + "x" : "—";

    public static string MsFromUs(long us) => (us / 1000.0).ToString("F2", Inv) + " ms";

    public static string Ms(double? ms) => ms is { } v && !double.IsNaN(v) ? v.ToString("F1", Inv) + " ms" : "—";

    public static string Mb(long? kb) => kb is { } v ? (v / 1024.0).ToString("F0", Inv) + " MB" : "—";

    public static string Bytes(double? bytes) => bytes is { } b ? b.ToString("N0", Inv) + " B" : "—";

    /// <summary>Microseconds with one decimal, or a dash when not measured.</summary>
    public static string Us(double? us) => us is { } v && !double.IsNaN(v) ? v.ToString("F1", Inv) + " µs" : "—";

    public static string Percent(double percent) => percent.ToString("F0", Inv) + "%";

    public static string Number(long? n) => n is { } v ? v.ToString("N0", Inv) : "—";

    /// <summary>Collections (of which generation 2) and the pause they cost, or a dash.</summary>
    public static string Gc(GcFigures? gc) =>
        gc is null ? "—" : string.Create(Inv, $"{gc.Collections} collections ({gc.Gen2Collections} gen2), {gc.PauseMs:F0} ms paused");

    /// <summary>A markdown table; columns whose header starts with '&gt;' are right-aligned (the '&gt;' is dropped).</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers.Select(h => h.TrimStart('>'))).Append(" |\n");
        text.Append('|').AppendJoin("|", headers.Select(h => h.StartsWith('>') ? "---:" : "---")).Append("|\n");
        foreach (var row in rows)
        {
            if (row.Count != headers.Count)
            {
                throw new ArgumentException($"a row of {row.Count} cells in a table of {headers.Count} columns", nameof(rows));
            }

            text.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        }

        return text.ToString();
    }
}

/// <summary>The markdown report, from the raw results of one run.</summary>
internal static class Report
{
    private static readonly string[] Variants = ["plain", "gzip", "304"];

    /// <summary>All that one run measured.</summary>
    internal sealed record Inputs(
        HotResults? Hot, IReadOnlyList<WritesResult> Writes, IReadOnlyDictionary<string, MemoryResult> Memory,
        ArchiveResult? Archive, IReadOnlyList<ColdResult> Cold, string Live, int SyntheticSeats);

    public static Inputs Load(string raw, string live, int syntheticSeats)
    {
        var writes = Directory.GetFiles(raw, "writes-*.json").Order(StringComparer.Ordinal)
            .Select(f => Raw.Read<WritesResult>(raw, Path.GetFileName(f))!)
            .OrderBy(w => w.Election == live ? 1 : 0).ToList();
        var memory = Directory.GetFiles(raw, "memory-*.json").Select(f => Raw.Read<MemoryResult>(raw, Path.GetFileName(f))!)
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        var cold = Directory.GetFiles(raw, "cold-*.json").Order(StringComparer.Ordinal).Select(f => Raw.Read<ColdResult>(raw, Path.GetFileName(f))!).ToList();
        return new Inputs(Raw.Read<HotResults>(raw, "hot.json"), writes, memory, Raw.Read<ArchiveResult>(raw, "archive.json"), cold, live, syntheticSeats);
    }

    public static string Render(Inputs inputs, string title, string machine)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n").Append(machine).Append("\n\n");
        text.Append("Every API figure is set against nginx serving the very same bytes as static files, measured in the same run on the\n")
            .Append("same machine: the ratio is the API's requests/s over nginx's. \"CPU taken by others\" is the share of the machine's CPU\n")
            .Append("that processes outside the bench took during that run; runs where it is high are noisy.\n\n");
        text.Append("## Goals\n\n").Append(GoalTable(inputs)).Append('\n');
        if (inputs.Hot is { } hot)
        {
            text.Append(HotSection(hot));
        }

        if (inputs.Writes.Count > 0)
        {
            text.Append(WritesSection(inputs.Writes));
        }

        if (inputs.Memory.Keys.Any(k => !k.EndsWith("-empty", StringComparison.Ordinal)))
        {
            text.Append(ScaleSection(inputs));
        }

        if (inputs.Cold.Count > 0)
        {
            text.Append("## Cold start\n\nProcess start (dotnet) to the first 200 of the election's tally, with the database already populated.\n\n")
                .Append(Format.Table(["election", ">runs (ms)", ">median"], inputs.Cold.Select(c => (IReadOnlyList<string>)
                [
                    c.Election, string.Join(", ", c.Ms), c.Ms.Count == 0 ? "—" : Format.Number(c.Ms.Order().ElementAt((c.Ms.Count - 1) / 2)) + " ms",
                ]))).Append('\n');
        }

        if (inputs.Archive is { } archive)
        {
            text.Append(ArchiveSection(archive, inputs.Live));
        }

        return text.ToString();
    }

    /// <summary>One line per goal of the issue: the figure it is judged on and whether it was met.</summary>
    internal static string GoalTable(Inputs inputs)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (inputs.Hot is { } hot)
        {
            var front = hot.Rows.Where(r => r.Document != "routed-tally").ToList();
            var worst = front.MinBy(r => Goals.Ratio(r.Api.Wrk.Rps, r.Nginx.Wrk.Rps) ?? 0)!;
            var slowest = front.MaxBy(r => r.Api.Wrk.P99Us)!;
            var met = front.Count(r => Goals.Hot(r) == Verdict.Met);
            rows.Add(
            [
                $"every hot document ≥ {Goals.HotRatio:F2}x nginx with p99 < {Goals.HotP99Ms} ms at {hot.Connections} connections (plain, gzip, 304)",
                $"{met} of {front.Count} rows met; lowest ratio {Format.Ratio(Goals.Ratio(worst.Api.Wrk.Rps, worst.Nginx.Wrk.Rps))} ({worst.Label}, {worst.Variant}); " +
                $"highest API p99 {Format.MsFromUs(slowest.Api.Wrk.P99Us)} ({slowest.Label}, {slowest.Variant})",
                Format.Verdict(Goals.All([.. front.Select(Goals.Hot)])),
            ]);
        }

        var big = inputs.Writes.FirstOrDefault(w => w.Election == inputs.Live);
        var bigLabel = $"at {inputs.SyntheticSeats:N0} seats under {big?.Connections ?? 64} pollers and {big?.Rate ?? 10} writes/s";
        rows.Add([$"{bigLabel}: write→visible p99 < {Goals.WriteP99Ms} ms on a second instance", big is null ? "—" : Format.Ms(big.Mixed.VisibleP99), Format.Verdict(Goals.Below(big?.Mixed.VisibleP99, Goals.WriteP99Ms))]);
        rows.Add([$"{bigLabel}: POST p99 < {Goals.WriteP99Ms} ms", big is null ? "—" : Format.Ms(big.Mixed.PostP99), Format.Verdict(Goals.Below(big?.Mixed.PostP99, Goals.WriteP99Ms))]);

        var (what, real, synthetic) = PerSeat(inputs);
        rows.Add(
        [
            $"memory linear in seats (cost per seat of the {inputs.SyntheticSeats:N0}-seat election ≤ {Goals.LinearTolerance}x the real elections')",
            real is null && synthetic is null ? "—" : $"{what}: {Format.Bytes(synthetic)} per seat at {inputs.SyntheticSeats:N0} seats, {Format.Bytes(real)} per seat for ge2015 + ge2017",
            Format.Verdict(Goals.Linear(synthetic, real)),
        ]);

        if (inputs.Archive is { } archive)
        {
            var (start, live, evicted) = (Stage(archive, "start"), Stage(archive, "live"), Stage(archive, "evicted"));
            var empty = inputs.Memory.GetValueOrDefault("b-empty") ?? inputs.Memory.GetValueOrDefault("a-empty");
            // The managed heap after a full GC when every figure has it (it does not depend on when the GC last ran).
            var heap = start?.HeapKb is not null && live?.HeapKb is not null && evicted?.HeapKb is not null && empty?.HeapKb is not null;
            Func<long?, long?, long?> pick = (rss, managed) => heap ? managed : rss;
            var (atStart, atEmpty, atEvicted, atLive) =
                (pick(start?.RssKb, start?.HeapKb), pick(empty?.RssKb, empty?.HeapKb), pick(evicted?.RssKb, evicted?.HeapKb), pick(live?.RssKb, live?.HeapKb));
            rows.Add(
            [
                $"a finished election costs nothing until read (fresh instance ≤ {Goals.ArchiveTolerance}x an empty one; after the idle eviction ≤ {Goals.ArchiveTolerance}x the live one alone)",
                $"{(heap ? "managed heap" : "working set")} {Format.Mb(atStart)} at start with {archive.Finished} finished elections (empty database: {Format.Mb(atEmpty)}); " +
                $"{Format.Mb(atEvicted)} after the eviction against {Format.Mb(atLive)} with the live one; {Format.Number(archive.IdleCpuMs)} ms CPU in {archive.IdleSeconds} s idle",
                Format.Verdict(Goals.All(Goals.NoMoreThan(atStart, atEmpty), Goals.NoMoreThan(atEvicted, atLive))),
            ]);
        }
        else
        {
            rows.Add(["a finished election costs nothing until read", "— (mode archive not run)", Format.Verdict(Verdict.NotMeasured)]);
        }

        return Format.Table(["goal", "this run", "result"], rows);
    }

    private static ArchiveStage? Stage(ArchiveResult archive, string label) => archive.Stages.FirstOrDefault(s => s.Label == label);

    /// <summary>
    /// Bytes per seat of instance B: of the real elections (from the empty instance over 1,300 seats) and of the
    /// synthetic one (from the real elections' figure over its seats); the managed heap when measured, else VmRSS.
    /// </summary>
    internal static (string What, double? Real, double? Synthetic) PerSeat(Inputs inputs)
    {
        var empty = inputs.Memory.GetValueOrDefault("b-empty");
        var real = inputs.Memory.GetValueOrDefault("b-real");
        var synthetic = inputs.Memory.GetValueOrDefault("b-synthetic");
        var useHeap = empty?.HeapKb is not null && real?.HeapKb is not null && (synthetic is null || synthetic.HeapKb is not null);
        Func<MemoryResult?, long?> figure = useHeap ? m => m?.HeapKb : m => m?.RssKb;
        return (useHeap ? "managed heap of B" : "working set of B",
            Goals.PerSeat(figure(real), figure(empty), real?.Seats ?? 0),
            Goals.PerSeat(figure(synthetic), figure(real), synthetic?.Seats ?? 0));
    }

    internal static string HotSection(HotResults hot)
    {
        var text = new StringBuilder("## Hot documents: the API against nginx serving the same bytes\n\n");
        text.Append(CultureInfo.InvariantCulture,
                $"wrk -t{hot.Threads} -c{hot.Connections} -d{hot.Seconds}s --latency on 127.0.0.1, after a {hot.WarmupSeconds} s warm-up (1 s for nginx); load average before: {hot.LoadBefore}.\n")
            .Append("plain: no Accept-Encoding; gzip: Accept-Encoding: gzip (nginx's gzip_static sends the API's own gzip bytes); 304: If-None-Match with\n")
            .Append("each server's own ETag. \"routed (no front door)\" is an instance started with ReadModel__FrontDoor=false, against the\n")
            .Append("same nginx run as the front door's row. \"CPU per answer\" is the server's own CPU time over the run (its processes, from\n")
            .Append("/proc) divided by its answers: what one answer costs it, whatever wrk and the neighbours took of the shared cores.\n")
            .Append("Goal: ≥ 1.00x nginx and API p99 < 5 ms.\n\n");
        var rows = Variants.SelectMany(v => hot.Rows.Where(r => r.Variant == v)).OrderBy(r => DocumentOrder(r.Document)).ToList();
        text.Append(Format.Table(
            ["document", "variant", ">bytes", ">API req/s", ">nginx req/s", ">API / nginx", ">API p99", ">nginx p99", "goal", ">errors", ">CPU taken by others (API / nginx)", ">CPU per answer (API / nginx)"],
            rows.Select(HotCells))).Append('\n');
        if (CpuRatioRange(rows) is { } range)
        {
            text.Append(CultureInfo.InvariantCulture, $"Per answer, the API spent {Format.Ratio(range.Low)} to {Format.Ratio(range.High)} nginx's CPU (rows with both measured).\n\n");
        }

        var front = hot.Rows.Where(r => r.Document == "tally").ToDictionary(r => r.Variant, StringComparer.Ordinal);
        var routed = hot.Rows.Where(r => r.Document == "routed-tally").ToDictionary(r => r.Variant, StringComparer.Ordinal);
        if (routed.Count > 0)
        {
            text.Append("Front door against the routed endpoint, national tally: ")
                .AppendJoin("; ", Variants.Where(v => front.ContainsKey(v) && routed.ContainsKey(v)).Select(v =>
                    $"{v} {Format.Rps(front[v].Api.Wrk.Rps)} against {Format.Rps(routed[v].Api.Wrk.Rps)} req/s " +
                    $"({Format.Ratio(Goals.Ratio(front[v].Api.Wrk.Rps, routed[v].Api.Wrk.Rps))})"))
                .Append(".\n\n");
        }

        var probed = hot.Rows.Where(r => r.Probe is not null).ToList();
        if (probed.Count > 0)
        {
            text.Append("The framework's own answer (scripts/bench-tools/OutputCacheProbe: ASP.NET Core's output caching with an ETag, the same bytes):\n\n")
                .Append(Format.Table(["document", "variant", ">OutputCache req/s", ">API req/s", ">API / OutputCache", ">OutputCache p99", ">CPU per answer (OutputCache / API)"],
                    probed.Select(r => (IReadOnlyList<string>)
                    [
                        r.Label, r.Variant, Format.Rps(r.Probe!.Wrk.Rps), Format.Rps(r.Api.Wrk.Rps),
                        Format.Ratio(Goals.Ratio(r.Api.Wrk.Rps, r.Probe.Wrk.Rps)), Format.MsFromUs(r.Probe.Wrk.P99Us),
                        $"{Format.Us(r.Probe.ServerCpuUsPerAnswer)} / {Format.Us(r.Api.ServerCpuUsPerAnswer)}",
                    ]))).Append('\n');
        }

        return text.ToString();
    }

    internal static IReadOnlyList<string> HotCells(HotRow r) =>
    [
        r.Label, r.Variant, r.Variant == "304" ? "—" : Format.Number(r.Bytes), Format.Rps(r.Api.Wrk.Rps), Format.Rps(r.Nginx.Wrk.Rps),
        Format.Ratio(Goals.Ratio(r.Api.Wrk.Rps, r.Nginx.Wrk.Rps)), Format.MsFromUs(r.Api.Wrk.P99Us), Format.MsFromUs(r.Nginx.Wrk.P99Us),
        Format.Verdict(Goals.Hot(r)), Format.Number(r.Api.Wrk.Errors + r.Nginx.Wrk.Errors),
        $"{Format.Percent(r.Api.OtherCpuPercent)} / {Format.Percent(r.Nginx.OtherCpuPercent)}",
        $"{Format.Us(r.Api.ServerCpuUsPerAnswer)} / {Format.Us(r.Nginx.ServerCpuUsPerAnswer)}",
    ];

    /// <summary>
    /// The lowest and highest ratio of the API's CPU per answer to nginx's, over the front door's rows that measured both.
    /// </summary>
    internal static (double Low, double High)? CpuRatioRange(IEnumerable<HotRow> rows)
    {
        var ratios = rows
            .Where(r => r.Document != "routed-tally" && r.Api.ServerCpuUsPerAnswer > 0 && r.Nginx.ServerCpuUsPerAnswer > 0)
            .Select(r => r.Api.ServerCpuUsPerAnswer!.Value / r.Nginx.ServerCpuUsPerAnswer!.Value)
            .ToList();
        return ratios.Count == 0 ? null : (ratios.Min(), ratios.Max());
    }

    private static int DocumentOrder(string document) => document switch
    {
        "tally" => 0,
        "routed-tally" => 1,
        "region" => 2,
        "constituency" => 3,
        _ => 4,
    };

    internal static string WritesSection(IReadOnlyList<WritesResult> writes)
    {
        var first = writes[0];
        var text = new StringBuilder("## Writes: instance A takes the corrections and the pollers, instance B is watched\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Corrections at {first.Rate}/s to A (GET, then POST with If-Match), each polled on B until B serves it (write→visible); alone for {first.AloneSeconds} s,\n" +
            $"then for {first.MixedSeconds - 2} s while {first.Connections} wrk pollers on A ({first.Pollers}) cycle the election's tally, a region tally, a constituency and the list.\n\n");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var w in writes)
        {
            rows.Add(WriterCells(w.Election, "writes alone", w.Alone, "—", w.AloneOtherCpuPercent));
            rows.Add(WriterCells(w.Election, $"under {w.Connections} pollers", w.Mixed,
                $"{Format.Rps(w.PollerRun.Wrk.Rps)} req/s, p99 {Format.MsFromUs(w.PollerRun.Wrk.P99Us)}, {w.PollerRun.Wrk.Errors} errors", w.PollerRun.OtherCpuPercent));
        }

        text.Append(Format.Table(
            ["election", "run", ">writes ok / errors of scheduled", ">POST p50 / p99", ">write→visible on B p50 / p99", ">pollers on A", ">CPU taken by others"], rows));
        text.Append("\nCPU per correction with no pollers, A (the write and its reads) / B (the watcher's reads) / PostgreSQL: ")
            .AppendJoin("; ", writes.Select(w => $"{w.Election} {Format.Ms(w.CpuPerWriteMsA)} / {Format.Ms(w.CpuPerWriteMsB)} / {Format.Ms(w.CpuPerWriteMsPostgres)}"))
            .Append(".\n");
        var collected = writes.Where(w => w.MixedGcA is not null || w.MixedGcB is not null).ToList();
        if (collected.Count > 0)
        {
            text.Append("Garbage collection during the run under pollers (each instance's runtime meter), A / B: ")
                .AppendJoin("; ", collected.Select(w => $"{w.Election} {Format.Gc(w.MixedGcA)} / {Format.Gc(w.MixedGcB)}"))
                .Append(".\n");
        }

        var errors = writes.SelectMany(w => w.Alone.ErrorKinds.Concat(w.Mixed.ErrorKinds)).Distinct().ToList();
        if (errors.Count > 0)
        {
            text.Append("\nWrite errors (first kinds):\n\n").AppendJoin("", errors.Select(e => $"- {e}\n"));
        }

        return text.Append('\n').ToString();
    }

    private static IReadOnlyList<string> WriterCells(string election, string run, WriterStats s, string pollers, double other) =>
    [
        election, run, $"{s.Ok} / {s.Errors} of {s.Scheduled}", $"{Format.Ms(s.PostP50)} / {Format.Ms(s.PostP99)}",
        $"{Format.Ms(s.VisibleP50)} / {Format.Ms(s.VisibleP99)}", pollers, Format.Percent(other),
    ];

    private static string ScaleSection(Inputs inputs)
    {
        var m = inputs.Memory;
        var text = new StringBuilder("## Scale: memory against seats\n\n");
        text.Append("Working set is VmRSS after fetching every document of the elections on the instance (A also served the hot runs); the\n")
            .Append("managed heap is B's after a full GC (induced by dotnet-gcdump; \"—\" without it). Bytes per seat: the growth from the row\n")
            .Append("above over the seats added; the candidates import is ge2017's for the real elections. Memory is linear in seats when\n")
            .Append("the two bytes-per-seat figures are close.\n\n");
        var rows = new List<IReadOnlyList<string>>();
        void Row(string label, string key, string? before, string? election)
        {
            var a = m.GetValueOrDefault("a-" + key);
            var b = m.GetValueOrDefault("b-" + key);
            if (a is null && b is null)
            {
                return;
            }

            var previous = before is null ? null : m.GetValueOrDefault("b-" + before);
            var seats = b?.Seats ?? a?.Seats ?? 0;
            var w = election is null ? null : inputs.Writes.FirstOrDefault(x => x.Election == election);
            rows.Add(
            [
                label, Format.Number(seats), Format.Number(b?.Candidacies ?? a?.Candidacies),
                a?.ImportMs is { } import ? Format.Number(import) + " ms" : "—", $"{Format.Mb(a?.RssKb)} / {Format.Mb(b?.RssKb)}", Format.Mb(b?.HeapKb),
                previous is null ? "—" : $"{Format.Bytes(Goals.PerSeat(b?.RssKb, previous.RssKb, seats))} / {Format.Bytes(Goals.PerSeat(b?.HeapKb, previous.HeapKb, seats))}",
                w is null ? "—" : $"{Format.Ms(w.Mixed.VisibleP50)} / {Format.Ms(w.Mixed.VisibleP99)}",
                w is null ? "—" : $"{Format.Ms(w.Mixed.PostP50)} / {Format.Ms(w.Mixed.PostP99)}",
            ]);
        }

        Row("freshly started, empty database", "empty", null, null);
        Row("ge2015 + ge2017", "real", "empty", "ge2017");
        Row($"+ {inputs.Live} (synthetic)", "synthetic", "real", inputs.Live);
        text.Append(Format.Table(
            ["elections", ">seats added", ">candidacies", ">candidates import (HTTP)", ">working set A / B", ">managed heap B", ">bytes per seat, working set / heap (B)", ">write→visible p50 / p99 (under pollers)", ">POST p50 / p99 (under pollers)"],
            rows));
        var (what, real, synthetic) = PerSeat(inputs);
        text.Append(CultureInfo.InvariantCulture,
            $"\nPer seat ({what}): **{Format.Bytes(synthetic)}** for the {inputs.SyntheticSeats:N0}-seat election against {Format.Bytes(real)} for the real elections" +
            $"{(real is > 0 && synthetic is not null ? $" ({synthetic / real:F2} times)" : "")}.\n\n");
        return text.ToString();
    }

    private static string ArchiveSection(ArchiveResult archive, string live)
    {
        var text = new StringBuilder($"## Archive: {archive.Finished} finished elections beside the live one\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"A fresh instance C with ReadModel__EvictIdleAfterSeconds={archive.EvictSeconds}; \"read\" is the tally and the constituency list, and the\nfirst tally of an election is its load on demand.\n\n");
        var firsts = archive.FinishedFirstReadMs.Order().ToList();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["start"] = "after start, nothing read",
            ["live"] = $"after reading the live one ({live}; first tally {archive.LiveFirstReadMs} ms)",
            ["all-read"] = $"after reading the finished ones too (first tally p50 {(firsts.Count > 0 ? firsts[(firsts.Count - 1) / 2] : 0)} ms, max {(firsts.Count > 0 ? firsts[^1] : 0)} ms)",
            ["evicted"] = $"after {archive.IdleSeconds} s idle, the live one read every second (CPU of C meanwhile: {archive.IdleCpuMs} ms)",
        };
        text.Append(Format.Table(["instance C", ">working set (peak)", ">managed heap after a full GC", ">CPU of C in the 2 quiet seconds before"],
            archive.Stages.Select(s => (IReadOnlyList<string>)
            [
                labels.GetValueOrDefault(s.Label, s.Label), s.Label == "all-read" ? $"{Format.Mb(s.RssKb)} ({Format.Mb(s.HwmKb)})" : Format.Mb(s.RssKb), Format.Mb(s.HeapKb),
                Format.Number(s.CpuMs) + " ms",
            ])));
        return text.Append(CultureInfo.InvariantCulture, $"\nA finished election read again after the eviction: first tally {archive.RereadMs} ms.\n\n").ToString();
    }
}
