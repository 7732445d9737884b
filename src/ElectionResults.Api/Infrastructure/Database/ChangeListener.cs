using System.Collections.Concurrent;
using System.Globalization;
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
    private const int ScopesKept = 10_000;

    /// <summary>What each recent version changed, as notified; a version missing here is treated as "anything".</summary>
    private readonly ConcurrentDictionary<long, ChangeScope> _scopes = new();

    private long _knownVersion;
    private long _knownSince = System.Diagnostics.Stopwatch.GetTimestamp();
    private volatile bool _listening;
    private bool _lost;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while notifications are being received, so <see cref="KnownVersion"/> is current.</summary>
    public bool IsListening => _listening;

    /// <summary>The newest data version this process has seen committed.</summary>
    public long KnownVersion => Interlocked.Read(ref _knownVersion);

    /// <summary>How long ago this process first heard of <see cref="KnownVersion"/> (or started, before it heard of any).</summary>
    public TimeSpan SinceNewestChange => System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _knownSince));

    /// <summary>Records a version seen committed with what it changed (a notification, or a write of this process).</summary>
    public void Observe(long version, ChangeScope scope)
    {
        _scopes[version] = scope;
        if (_scopes.Count > ScopesKept * 2)
        {
            foreach (var old in _scopes.Keys.Where(v => v < version - ScopesKept))
            {
                _scopes.TryRemove(old, out _);
            }
        }

        Observe(version);
    }

    /// <summary>
    /// The seats changed by every version after <paramref name="after"/> up to <paramref name="upTo"/>, when each of
    /// them is known to have changed only one seat's declarations; false when any may have changed more.
    /// </summary>
    public bool TryGetSeatChanges(long after, long upTo, out IReadOnlyList<ChangeScope> seats)
    {
        var found = new List<ChangeScope>();
        seats = found;
        if (upTo - after > 1_000)
        {
            return false;
        }

        for (var version = after + 1; version <= upTo; version++)
        {
            if (!_scopes.TryGetValue(version, out var scope) || scope.Code is null)
            {
                return false;
            }

            found.Add(scope);
        }

        return true;
    }

    /// <summary>Records a version seen committed (by a query: what it changed is unknown).</summary>
    public void Observe(long version)
    {
        var current = Interlocked.Read(ref _knownVersion);
        while (version > current)
        {
            var seen = Interlocked.CompareExchange(ref _knownVersion, version, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _knownSince, System.Diagnostics.Stopwatch.GetTimestamp());
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
                    Observe((long)(await read.ExecuteScalarAsync(stoppingToken))!);
                }

                // The first connection is routine (Debug, to keep the start quiet); coming back after a loss is news.
                logger.Log(_lost ? LogLevel.Information : LogLevel.Debug, "Listening for changes on {Channel}", Channel);
                _lost = false;
                _listening = true;
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
                if (_listening)
                {
                    _lost = true;
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

/// <summary>
/// What a write changed: one seat's declarations (<see cref="ElectionId"/> and <see cref="Code"/>), or, with
/// both null, anything. Sent as the notification's payload after the version: <c>"42 ge2017 E14000810"</c> or <c>"42"</c>.
/// </summary>
public sealed record ChangeScope(string? ElectionId, string? Code)
{
    public static readonly ChangeScope Anything = new(null, null);

    public static ChangeScope Seat(string electionId, string code) => new(electionId, code);

    public static bool TryParse(string payload, out long version, out ChangeScope scope)
    {
        var parts = payload.Split(' ');
        scope = parts.Length == 3 ? Seat(parts[1], parts[2]) : Anything;
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
