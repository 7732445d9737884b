using ElectionResults.Api.Infrastructure.Database;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Features.Replays;

/// <summary>
/// Plays the replays in the background. Every instance runs one, but a replay is played by exactly one: the instance that
/// holds its lease (a row in <c>replays</c>, renewed on every round), and each revision is claimed in the same transaction
/// that publishes it. An instance that stops gives its leases up; one that dies loses them when they lapse, and another
/// instance carries on from the plan in the database.
/// </summary>
public sealed class ReplayPlayer(ReplayStore store, IOptions<ReplayOptions> options, TimeProvider time, ILogger<ReplayPlayer> logger) : BackgroundService
{
    /// <summary>This process's name in the leases.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Play)
        {
            return;
        }

        store.Changed += Wake;
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = poll;
                try
                {
                    if (await store.PublishDueAsync(Owner, lease, stoppingToken) is { } next)
                    {
                        var until = next - time.GetUtcNow();
                        wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < poll ? until : poll;
                    }
                }
                catch (Exception ex) when (DatabaseErrors.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Replays: the database cannot be reached; trying again.");
                    wait = TimeSpan.FromSeconds(1);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    // Never take the instance down (a schema still being migrated, a replay reset under our feet): try again.
                    logger.LogWarning(ex, "Replays: a round failed; trying again.");
                    wait = TimeSpan.FromSeconds(1);
                }

                // The wait runs on the registered clock (as do the due times), so a test's fake clock drives the player.
                using var timeout = new CancellationTokenSource(wait, time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                try
                {
                    await _wake.WaitAsync(either.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The wait is over.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            store.Changed -= Wake;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!options.Value.Play)
        {
            return;
        }

        try
        {
            await store.ReleaseAsync(Owner, cancellationToken);
        }
        catch (Exception ex)
        {
            // Stopping never fails for this: the leases lapse by themselves.
            logger.LogDebug(ex, "Replays: the leases were not given up; they lapse by themselves.");
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
