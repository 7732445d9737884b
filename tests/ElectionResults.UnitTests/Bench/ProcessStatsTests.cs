using ElectionResults.Bench;

namespace ElectionResults.UnitTests.Bench;

public sealed class ProcessStatsTests
{
    [Fact]
    public void The_stat_line_is_counted_after_the_command_name_even_with_spaces_and_parentheses_in_it()
    {
        // Fields 14 to 17 (utime, stime, cutime, cstime) are 100, 20, 3 and 4; the parent (field 4) is 42.
        const string stat = "1234 (dotnet (my app)) S 42 1234 1234 0 -1 4194560 100 0 0 0 100 20 3 4 20 0 10 0 500 1000 200";
        var (parent, ticks) = ProcessStats.ParseStat(stat);
        Assert.Equal(42, parent);
        Assert.Equal(127, ticks);
    }

    [Fact]
    public void The_machine_is_busy_in_user_nice_system_irq_softirq_and_steal_but_not_idle_or_iowait()
    {
        const string procStat = """
            cpu  1000 50 300 9000 700 10 20 5 0 0
            cpu0 500 25 150 4500 350 5 10 3 0 0
            intr 12345
            """;
        Assert.Equal(1000 + 50 + 300 + 10 + 20 + 5, ProcessStats.ParseMachineBusy(procStat));
    }

    [Fact]
    public void Status_figures_are_read_in_kilobytes_by_name()
    {
        const string status = "Name:\tdotnet\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t20\n";
        Assert.Equal(102400, ProcessStats.ParseStatusKb(status, "VmRSS"));
        Assert.Equal(204800, ProcessStats.ParseStatusKb(status, "VmHWM"));
        Assert.Null(ProcessStats.ParseStatusKb(status, "VmSwap"));
    }

    [Fact]
    public void A_tree_sums_the_roots_and_every_descendant_and_nothing_else()
    {
        var processes = new Dictionary<int, (int Parent, long Ticks)>
        {
            [1] = (0, 1000), // init: not ours
            [10] = (1, 5), // the bench's shell
            [11] = (10, 7), // an API instance
            [12] = (11, 11), // a child of it
            [20] = (1, 100), // someone else's process
            [30] = (1, 3), // the postmaster
            [31] = (30, 2), // a backend
        };
        Assert.Equal(5 + 7 + 11 + 3 + 2, ProcessStats.SumTree(processes, [10, 30]));
        Assert.Equal(0, ProcessStats.SumTree(processes, [99]));
    }

    [Fact]
    public void Other_processes_take_the_machines_busy_time_less_ours_over_all_cores()
    {
        // 2 cores for 1 s: 2000 ms available; the machine was busy 1500 ms, of which ours 1000 ms.
        Assert.Equal(25, ProcessStats.OtherPercent(1500, 1000, 1000, 2));
        Assert.Equal(0, ProcessStats.OtherPercent(900, 1000, 1000, 2));
    }
}
