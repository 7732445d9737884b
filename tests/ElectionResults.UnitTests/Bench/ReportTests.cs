using ElectionResults.Bench;

namespace ElectionResults.UnitTests.Bench;

public sealed class ReportTests
{
    private static Run Run(double rps, long p99Us, long errors = 0) =>
        new("run", new WrkResult(1000, 1_000_000, rps, p99Us / 2, p99Us, p99Us, p99Us * 2, 10_000, 0, 0, 0, errors, 0), 3);

    private static HotRow Row(double api, double nginx, long apiP99Us, string document = "tally", string variant = "plain") =>
        new(document, "national tally (ge2017)", variant, 4321, Run(api, apiP99Us), Run(nginx, 900), null);

    [Fact]
    public void The_ratio_is_the_apis_requests_over_nginxs()
    {
        Assert.Equal(1.5, Goals.Ratio(30_000, 20_000));
        Assert.Null(Goals.Ratio(30_000, 0));
        Assert.Equal("1.50x", Format.Ratio(Goals.Ratio(30_000, 20_000)));
        Assert.Equal("—", Format.Ratio(null));
    }

    [Fact]
    public void A_hot_document_meets_its_goal_only_at_nginxs_rate_or_better_with_a_p99_under_5_ms()
    {
        Assert.Equal(Verdict.Met, Goals.Hot(Row(api: 20_000, nginx: 20_000, apiP99Us: 4_999)));
        Assert.Equal(Verdict.NotMet, Goals.Hot(Row(api: 19_000, nginx: 20_000, apiP99Us: 1_000)));
        Assert.Equal(Verdict.NotMet, Goals.Hot(Row(api: 40_000, nginx: 20_000, apiP99Us: 5_000)));
        Assert.Equal(Verdict.NotMeasured, Goals.Hot(Row(api: 40_000, nginx: 0, apiP99Us: 1_000)));
    }

    [Fact]
    public void A_hot_document_with_errors_does_not_meet_its_goal()
    {
        var row = Row(api: 40_000, nginx: 20_000, apiP99Us: 1_000) with { Api = Run(40_000, 1_000, errors: 1) };
        Assert.Equal(Verdict.NotMet, Goals.Hot(row));
    }

    [Fact]
    public void Write_goals_need_a_figure_under_the_limit()
    {
        Assert.Equal(Verdict.Met, Goals.Below(99.9, 100));
        Assert.Equal(Verdict.NotMet, Goals.Below(100, 100));
        Assert.Equal(Verdict.NotMeasured, Goals.Below(null, 100));
    }

    [Fact]
    public void Bytes_per_seat_is_the_growth_over_the_seats_and_linear_means_within_one_and_a_half_times()
    {
        Assert.Equal(2048, Goals.PerSeat(afterKb: 3000, beforeKb: 1000, seats: 1000));
        Assert.Null(Goals.PerSeat(afterKb: null, beforeKb: 1000, seats: 1000));
        Assert.Equal(Verdict.Met, Goals.Linear(perSeatBig: 1500, perSeatReal: 1000));
        Assert.Equal(Verdict.NotMet, Goals.Linear(perSeatBig: 1501, perSeatReal: 1000));
    }

    [Fact]
    public void Several_goals_are_met_only_when_each_is()
    {
        Assert.Equal(Verdict.Met, Goals.All(Verdict.Met, Verdict.Met));
        Assert.Equal(Verdict.NotMet, Goals.All(Verdict.Met, Verdict.NotMet));
        Assert.Equal(Verdict.NotMeasured, Goals.All(Verdict.Met, Verdict.NotMeasured));
    }

    [Fact]
    public void A_table_has_a_header_an_alignment_row_and_one_line_per_row()
    {
        var table = Format.Table(["document", ">req/s"], [["tally", "1,234"], ["a|b", "5"]]);
        Assert.Equal("| document | req/s |\n|---|---:|\n| tally | 1,234 |\n| a\\|b | 5 |\n", table);
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Format.Table(["a", "b"], [["only one"]]));
    }

    [Fact]
    public void A_hot_row_shows_both_rates_the_ratio_both_p99s_and_the_goal()
    {
        var cells = Report.HotCells(Row(api: 30_000, nginx: 20_000, apiP99Us: 2_500));
        Assert.Equal(
            ["national tally (ge2017)", "plain", "4,321", "30,000", "20,000", "1.50x", "2.50 ms", "0.90 ms", "met", "0", "3% / 3%", "— / —"],
            cells);
        Assert.Equal("**not met**", Report.HotCells(Row(api: 10_000, nginx: 20_000, apiP99Us: 2_500))[8]);
    }

    [Fact]
    public void A_hot_row_shows_each_servers_cpu_per_answer_when_it_was_measured()
    {
        var row = Row(api: 30_000, nginx: 20_000, apiP99Us: 2_500);
        row = row with { Api = row.Api with { ServerCpuUsPerAnswer = 26.94 }, Nginx = row.Nginx with { ServerCpuUsPerAnswer = 18.2 } };
        Assert.Equal("26.9 µs / 18.2 µs", Report.HotCells(row)[^1]);
    }

    [Fact]
    public void Cpu_per_answer_is_the_servers_cpu_over_the_answers()
    {
        // 1,350 ms of CPU over 50,000 answers: 27 µs each.
        Assert.Equal(27.0, ElectionResults.Bench.Run.PerAnswerUs(1_350, 50_000));
        Assert.Null(ElectionResults.Bench.Run.PerAnswerUs(1_350, 0));
    }

    [Fact]
    public void The_cpu_ratio_range_covers_the_front_doors_rows_that_measured_both_servers()
    {
        static HotRow Measured(string document, double api, double? nginx)
        {
            var row = Row(api: 1, nginx: 1, apiP99Us: 1_000, document: document);
            return row with { Api = row.Api with { ServerCpuUsPerAnswer = api }, Nginx = row.Nginx with { ServerCpuUsPerAnswer = nginx } };
        }

        var range = Report.CpuRatioRange(
        [
            Measured("tally", 30, 20),
            Measured("list", 180, 60),
            Measured("region", 99, null),
            Measured("routed-tally", 500, 20),
        ]);
        Assert.Equal((1.5, 3.0), range);
        Assert.Null(Report.CpuRatioRange([Measured("tally", 30, null)]));
    }

    [Fact]
    public void The_goal_table_names_the_lowest_ratio_and_leaves_the_routed_rows_out()
    {
        var hot = new HotResults(2, 64, 3, 1, "0.1 0.2 0.3",
        [
            Row(api: 30_000, nginx: 20_000, apiP99Us: 1_000),
            Row(api: 15_000, nginx: 20_000, apiP99Us: 1_000, document: "list", variant: "gzip"),
            Row(api: 1_000, nginx: 20_000, apiP99Us: 9_000, document: "routed-tally"),
        ]);
        var inputs = new Report.Inputs(hot, [], new Dictionary<string, MemoryResult>(), null, [], "synth-01", 6500);
        var goals = Report.GoalTable(inputs);
        var hotLine = goals.Split('\n').Single(l => l.Contains("every hot document", StringComparison.Ordinal));
        Assert.Contains("1 of 2 rows met", hotLine, StringComparison.Ordinal);
        Assert.Contains("lowest ratio 0.75x", hotLine, StringComparison.Ordinal);
        Assert.Contains("highest API p99 1.00 ms", hotLine, StringComparison.Ordinal);
        Assert.EndsWith("| **not met** |", hotLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_per_seat_come_from_the_managed_heap_when_every_figure_has_it()
    {
        var memory = new Dictionary<string, MemoryResult>
        {
            ["b-empty"] = new("b-empty", 100_000, null, 10_000, 0, null, null, 0),
            ["b-real"] = new("b-real", 200_000, null, 11_300, 1300, 8000, null, 1300),
            ["b-synthetic"] = new("b-synthetic", 300_000, null, 17_800, 6500, 40_000, null, 6500),
        };
        var inputs = new Report.Inputs(null, [], memory, null, [], "synth-01", 6500);
        var (what, real, synthetic) = Report.PerSeat(inputs);
        Assert.Equal("managed heap of B", what);
        Assert.Equal(1024, real);
        Assert.Equal(1024, synthetic);

        memory["b-synthetic"] = memory["b-synthetic"] with { HeapKb = null };
        Assert.Equal("working set of B", Report.PerSeat(inputs).What);
    }

    [Fact]
    public void A_finished_election_that_stays_in_memory_after_the_idle_eviction_misses_the_archive_goal()
    {
        var memory = new Dictionary<string, MemoryResult> { ["b-empty"] = new("b-empty", 100_000, null, 10_000, 0, null, null, 0) };
        ArchiveResult Archive(long evictedHeapKb) => new(9, 20, 35, 200, [40, 50], 30, 120,
        [
            new("start", 110_000, 10_500, null, 10),
            new("live", 150_000, 20_000, null, 10),
            new("all-read", 400_000, 90_000, 420_000, 10),
            new("evicted", 300_000, evictedHeapKb, null, 10),
        ]);
        string ArchiveLine(ArchiveResult archive) => Report.GoalTable(new Report.Inputs(null, [], memory, archive, [], "synth-01", 6500))
            .Split('\n').Single(l => l.Contains("finished election", StringComparison.Ordinal));

        var evicted = ArchiveLine(Archive(evictedHeapKb: 21_000));
        Assert.EndsWith("| met |", evicted, StringComparison.Ordinal);
        Assert.Contains("managed heap 10 MB at start", evicted, StringComparison.Ordinal);
        Assert.EndsWith("| **not met** |", ArchiveLine(Archive(evictedHeapKb: 60_000)), StringComparison.Ordinal);
    }
}
