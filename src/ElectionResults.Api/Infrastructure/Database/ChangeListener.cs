using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

/// <summary>
/// Keeps one connection listening on the <c>elections_changed</c> channel, which every write
/// transaction notifies on commit with the new data version. While it listens, readers know the
/// current version without asking the database, so cached documents are served with no query at
/// all and a write on any instance reaches this one within milliseconds. When the connection drops
/// it stops vouching (<see cref="IsListening"/> false, readers ask the database again) and, once
/// back, reads the version afresh so that nothing missed in between is trusted.
/// </summary>
public sealed class ChangeListener(NpgsqlDataSource dataSource, ILogger<ChangeListener> logger) : BackgroundService
{
    public const string Channel = "elections_changed";

    private long _knownVersion;
    private volatile bool _listening;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while notifications are being received, so <see cref="KnownVersion"/> is current.</summary>
    public bool IsListening => _listening;

    /// <summary>The newest data version this process has seen committed.</summary>
    public long KnownVersion => Interlocked.Read(ref _knownVersion);

    /// <summary>Records a version seen committed (by a notification, a write of this process or a query).</summary>
    public void Observe(long version)
    {
        var current = Interlocked.Read(ref _knownVersion);
        while (version > current)
        {
            var seen = Interlocked.CompareExchange(ref _knownVersion, version, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                return;
            }

            current = seen;
        }
    }

    /// <summary>Completes when a version newer than <paramref name="version"/> is seen, or when the timeout or token ends the wait.</summary>
    public async Task WaitForChangeAsync(long version, TimeSpan timeout, CancellationToken ct)
    {
        var changed = Volatile.Read(ref _changed).Task;
        if (KnownVersion > version)
        {
            return;
        }

        try
        {
            await changed.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // No change within the timeout: the caller answers with what it has.
        }
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
                    if (long.TryParse(e.Payload, out var version))
                    {
                        Observe(version);
                    }
                };

                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Listening first, then reading the version, so that no commit falls between the two.
                await using (var read = new NpgsqlCommand("SELECT version FROM data_version", connection))
                {
                    Observe((long)(await read.ExecuteScalarAsync(stoppingToken))!);
                }

                _listening = true;
                delay = TimeSpan.FromMilliseconds(250);
                logger.LogInformation("Listening for changes on {Channel}", Channel);
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
                if (_listening)
                {
                    logger.LogWarning("Change listener lost its connection ({Message}); readers will ask the database until it is back.", ex.Message);
                }

                _listening = false;
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }

        _listening = false;
    }
}
