using Npgsql;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// Keeps one connection listening on the <c>elections_changed</c> channel, which every write transaction notifies on
/// commit with the new data version and what it changed. That is all it does: each notification goes to the
/// <see cref="VersionClock"/> and the <see cref="SeatChangeLog"/>. While it listens, readers know the current version
/// without asking the database, so cached documents are served with no query at all and a write on any instance reaches
/// this one within milliseconds. When the connection drops it stops vouching (<see cref="VersionClock.IsListening"/>
/// false, readers ask the database again) and, once back, reads the version afresh so that nothing missed in between is
/// trusted.
/// </summary>
public sealed class ChangeListener(NpgsqlDataSource dataSource, VersionClock clock, SeatChangeLog changes, TimeProvider time,
    ILogger<ChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "elections_changed";

    private bool _lost;

    /// <summary>True while notifications are being received (<see cref="VersionClock.IsListening"/>).</summary>
    public bool IsListening => clock.IsListening;

    /// <summary>Records a version seen committed with what it changed: a notification, or a write of this process on commit.</summary>
    public void Observe(long version, ChangeScope scope)
    {
        changes.Record(version, scope);
        clock.Observe(version);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (ChangeScope.TryParse(e.Payload, out var version, out var scope))
                    {
                        Observe(version, scope);
                    }
                };

                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Listening first, then reading the version, so that no commit falls between the two.
                await using (var read = new NpgsqlCommand("SELECT version FROM data_version", connection))
                {
                    clock.Observe((long)(await read.ExecuteScalarAsync(stoppingToken))!);
                }

                // The first connection is routine (Debug, to keep the start quiet); coming back after a loss is news.
                logger.Log(_lost ? LogLevel.Information : LogLevel.Debug, "Listening for changes on {Channel}", Channel);
                _lost = false;
                clock.SetListening(true);
                delay = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Wakes on each notification; after 2 quiet seconds a probe notices a dead connection.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException or IOException)
            {
                if (clock.IsListening)
                {
                    _lost = true;
                    logger.LogWarning("Change listener lost its connection ({Message}); readers will ask the database until it is back.", ex.Message);
                }

                clock.SetListening(false);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }

        clock.SetListening(false);
    }
}
