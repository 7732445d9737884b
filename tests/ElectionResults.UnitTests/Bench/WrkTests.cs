using ElectionResults.Bench;

namespace ElectionResults.UnitTests.Bench;

public sealed class WrkTests
{
    private const string Output = """
        Running 3s test @ http://127.0.0.1:5000/v1/elections/ge2017/tally
          2 threads and 64 connections
        BENCH requests=123456 duration_us=3001234 rps=41134.5 p50_us=812 p90_us=1500 p99_us=4321 max_us=20999 bytes=987654321 errors_connect=1 errors_read=2 errors_write=3 errors_status=4 errors_timeout=5
        """;

    [Fact]
    public void The_bench_line_is_read_field_by_field()
    {
        var result = Wrk.Parse(Output)!;
        Assert.Equal(123456, result.Requests);
        Assert.Equal(3001234, result.DurationUs);
        Assert.Equal(41134.5, result.Rps);
        Assert.Equal(812, result.P50Us);
        Assert.Equal(1500, result.P90Us);
        Assert.Equal(4321, result.P99Us);
        Assert.Equal(20999, result.MaxUs);
        Assert.Equal(987654321, result.Bytes);
        Assert.Equal(15, result.Errors);
    }

    [Fact]
    public void Output_without_a_bench_line_is_no_result()
    {
        Assert.Null(Wrk.Parse("unable to connect to 127.0.0.1:5000 Connection refused\n"));
    }

    [Fact]
    public void Missing_keys_are_zero_and_unknown_ones_are_ignored()
    {
        var result = Wrk.Parse("BENCH requests=10 rps=5.0 colour=blue\n")!;
        Assert.Equal(10, result.Requests);
        Assert.Equal(5.0, result.Rps);
        Assert.Equal(0, result.P99Us);
        Assert.Equal(0, result.Errors);
    }

    [Fact]
    public void One_url_runs_report_lua_with_the_headers_before_the_url()
    {
        var args = Wrk.Arguments(new WrkSettings(2, 64, "/lua"), 8, "http://h/x", ["Accept-Encoding: gzip"], []);
        Assert.Equal(["-t2", "-c64", "-d8s", "--latency", "-s", "/lua/report.lua", "-H", "Accept-Encoding: gzip", "http://h/x"], args);
    }

    [Fact]
    public void Paths_run_mixed_lua_and_follow_the_url_after_a_double_dash()
    {
        var args = Wrk.Arguments(new WrkSettings(1, 16, "lua"), 2.5, "http://h", [], ["/a", "/b"]);
        Assert.Equal(["-t1", "-c16", "-d2.5s", "--latency", "-s", Path.Combine("lua", "mixed.lua"), "http://h", "--", "/a", "/b"], args);
    }
}
