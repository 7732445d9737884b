using Microsoft.Extensions.Options;

namespace ElectionResults.Api.ReadModel;

/// <summary>Settings of the read model (section <c>ReadModel</c>).</summary>
public sealed class ReadModelOptions
{
    public const string Section = "ReadModel";

    /// <summary>
    /// An election's snapshot (and its documents in the front door) not read for this many seconds is dropped, and
    /// loaded again on the next read; 0 keeps every snapshot for the life of the process.
    /// </summary>
    public int EvictIdleAfterSeconds { get; set; } = 600;

    /// <summary>
    /// Whether current documents are answered before routing (<see cref="HotDocumentsMiddleware"/>); false sends every
    /// read through the routed endpoint, which serves the same bytes and ETags (scripts/bench measures both).
    /// </summary>
    public bool FrontDoor { get; set; } = true;
}

/// <summary>
/// Drops the snapshots of elections nobody reads (<see cref="ReadModelOptions.EvictIdleAfterSeconds"/>), and their
/// documents in the front door, so that an archive of finished elections costs no memory or CPU until one is read.
/// A sweep runs on a timer of the registered <see cref="TimeProvider"/>, a few times per idle period. A sweep that
/// dropped a snapshot ends with one aggressive full collection, which compacts the heap and gives the freed memory back
/// to the operating system: without it the working set stays at its peak (the GC keeps what it once committed). It is a
/// blocking collection of a few tens of milliseconds, and happens at most once a sweep, only when an election went idle.
/// </summary>
public sealed class IdleEviction(SnapshotStore snapshots, HotDocuments documents, IOptions<ReadModelOptions> options, TimeProvider time,
    ILogger<IdleEviction> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.EvictIdleAfterSeconds <= 0)
        {
            return;
        }

        var idle = TimeSpan.FromSeconds(options.Value.EvictIdleAfterSeconds);
        using var timer = new PeriodicTimer(SweepInterval(idle), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep(idle);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>A quarter of the idle time, between a quarter of a second and a minute.</summary>
    public static TimeSpan SweepInterval(TimeSpan idle) =>
        TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromMinutes(1).Ticks));

    /// <summary>Drops what has been idle for <paramref name="idle"/>; returns the elections dropped.</summary>
    public IReadOnlyList<string> Sweep(TimeSpan idle)
    {
        var evicted = snapshots.EvictIdle(idle);
        var forgotten = documents.ForgetUnloaded();
        if (evicted.Count > 0)
        {
            var before = GC.GetTotalMemory(forceFullCollection: false);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            logger.LogInformation(
                "Dropped the snapshots of {Elections} (not read for {Idle}) and {Documents} front-door documents; managed heap {Before} MB -> {After} MB.",
                string.Join(", ", evicted), idle, forgotten, before >> 20, GC.GetTotalMemory(forceFullCollection: false) >> 20);
        }

        return evicted;
    }
}
