using System.Globalization;

namespace ElectionResults.Bench;

/// <summary>
/// An instance's garbage collections so far, from the runtime's meter on its <c>/metrics</c> (Prometheus text): the
/// collections of every generation, those of generation 2, and the time the process was paused for them.
/// </summary>
internal sealed record GcFigures(long Collections, long Gen2Collections, double PauseMs)
{
    private const string CollectionsSeries = "dotnet_gc_collections_total";
    private const string PauseSeries = "dotnet_gc_pause_time_seconds_total";
    private const string Gen2Label = "gc_heap_generation=\"gen2\"";

    /// <summary>The figures in a scrape; null when it has no pause series (an instance without the runtime's meter).</summary>
    public static GcFigures? Parse(string prometheusText)
    {
        ArgumentNullException.ThrowIfNull(prometheusText);
        long collections = 0, gen2 = 0;
        double? pauseSeconds = null;
        foreach (var line in prometheusText.Split('\n'))
        {
            if (Value(line, CollectionsSeries) is { } count)
            {
                collections += (long)count;
                gen2 += line.Contains(Gen2Label, StringComparison.Ordinal) ? (long)count : 0;
            }
            else if (Value(line, PauseSeries) is { } seconds)
            {
                pauseSeconds = (pauseSeconds ?? 0) + seconds;
            }
        }

        return pauseSeconds is { } pause ? new GcFigures(collections, gen2, pause * 1000) : null;
    }

    /// <summary>What happened between two scrapes of the same process; null when either is missing.</summary>
    public static GcFigures? Between(GcFigures? before, GcFigures? after) =>
        before is null || after is null
            ? null
            : new GcFigures(after.Collections - before.Collections, after.Gen2Collections - before.Gen2Collections, after.PauseMs - before.PauseMs);

    /// <summary>The sample's value when the line is a sample of <paramref name="series"/> (with or without labels).</summary>
    private static double? Value(string line, string series)
    {
        if (!line.StartsWith(series, StringComparison.Ordinal) || line.Length == series.Length || (line[series.Length] != '{' && line[series.Length] != ' '))
        {
            return null;
        }

        // NAME{labels} VALUE [TIMESTAMP]: label values may hold spaces, so the value follows the closing brace.
        var rest = line[(line[series.Length] == '{' ? line.LastIndexOf('}') + 1 : series.Length)..].Trim();
        var value = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }
}
