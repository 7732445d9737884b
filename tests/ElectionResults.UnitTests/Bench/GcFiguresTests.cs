using ElectionResults.Bench;

namespace ElectionResults.UnitTests.Bench;

public sealed class GcFiguresTests
{
    // As the API's /metrics writes the runtime's meter (OpenTelemetry's Prometheus exporter), with other series around it.
    private const string Scrape = """
        # TYPE dotnet_gc_collections_total counter
        # HELP dotnet_gc_collections_total The number of garbage collections that have occurred since the process has started.
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 41 1765075200000
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 7 1765075200000
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 2 1765075200000
        # TYPE dotnet_gc_pause_time_seconds_total counter
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.1875 1765075200000
        dotnet_gc_collections_total_other{otel_scope_name="x"} 1000
        elections_documents_served_total{source="memory"} 12
        """;

    [Fact]
    public void A_scrape_gives_every_generations_collections_those_of_generation_2_and_the_pause_in_milliseconds()
    {
        var gc = GcFigures.Parse(Scrape);
        Assert.Equal(new GcFigures(50, 2, 187.5), gc);
    }

    [Fact]
    public void A_scrape_without_the_runtimes_meter_gives_nothing()
    {
        Assert.Null(GcFigures.Parse("elections_documents_served_total{source=\"memory\"} 12\n"));
        Assert.Null(GcFigures.Parse(""));
    }

    [Fact]
    public void Between_two_scrapes_is_their_difference_and_nothing_when_one_is_missing()
    {
        var before = new GcFigures(50, 2, 187.5);
        var after = new GcFigures(58, 3, 250);
        Assert.Equal(new GcFigures(8, 1, 62.5), GcFigures.Between(before, after));
        Assert.Null(GcFigures.Between(null, after));
        Assert.Null(GcFigures.Between(before, null));
    }

    [Fact]
    public void The_writes_section_gives_each_instances_collections_under_pollers()
    {
        var stats = new WriterStats(10, 10, 10, 0, 0, 0, "201:10", 10, 20, 80, 90, 15, 60, 70, 0, []);
        var run = new Run("mixed", new WrkResult(1000, 1_000_000, 1000, 500, 900, 1000, 2000, 10_000, 0, 0, 0, 0, 0), 1);
        var withGc = new WritesResult("synth-01", 10, 5, 20, 64, "plain GETs", stats, 0, null, null, null, stats, run,
            new GcFigures(12, 1, 35.4), new GcFigures(30, 2, 148));
        var without = withGc with { Election = "ge2017", MixedGcA = null, MixedGcB = null };

        var section = Report.WritesSection([without, withGc]);

        var line = section.Split('\n').Single(l => l.StartsWith("Garbage collection", StringComparison.Ordinal));
        Assert.Contains("synth-01 12 collections (1 gen2), 35 ms paused / 30 collections (2 gen2), 148 ms paused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ge2017", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Garbage collection", Report.WritesSection([without]), StringComparison.Ordinal);
    }
}
