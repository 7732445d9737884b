using System.Collections.Concurrent;
using System.Data;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;

namespace ElectionResults.Api.ReadModel;

/// <summary>A cached value (null: "there is no such thing") as of a committed data version.</summary>
public sealed record Versioned<T>(long Version, T? Value) where T : class;

/// <summary>
/// Values read from the database, one per key, each kept until a write changes the data version. Whether a value is
/// current is decided without a query while the change listener vouches for the <see cref="VersionClock"/>; otherwise by
/// one single-row read of <c>data_version</c>. When only seats' declarations changed since a value was read, the owner's
/// patcher may update it instead of reading it again. When PostgreSQL cannot be reached at all, the last value is served
/// (stale-if-error): no write can commit without the database, so what readers see is what was last committed as far as
/// this instance can know.
/// </summary>
/// <remarks>
/// Loads are single-flight per key: one slot per key holds the value, the time it was last read and the gate that
/// loaders of that key queue at. A slot lives as long as its value: <see cref="EvictIdle"/> drops both, so gates do
/// not pile up for keys nobody reads any more.
/// </remarks>
internal sealed class VersionedCache<TKey, T>(
    NpgsqlDataSource dataSource, VersionClock clock, SeatChangeLog changes, TimeProvider time, ILogger logger,
    VersionedCache<TKey, T>.Patcher patch)
    where TKey : notnull
    where T : class
{
    /// <summary>Reads the value of <paramref name="key"/> in the caller's transaction.</summary>
    public delegate Task<T?> Loader(TKey key, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct);

    /// <summary>
    /// Brings a cached value to <paramref name="version"/> when every version since it changed only the given seats'
    /// declarations; null when it cannot, and the value is read afresh.
    /// </summary>
    public delegate Task<Versioned<T>?> Patcher(TKey key, Versioned<T> cached, IReadOnlyList<ChangeScope> changes, long version, CancellationToken ct);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
        Justification = "The gate's wait handle is never asked for, so it holds nothing to release; a slot dropped by eviction may still be awaited by a late reader.")]
    private sealed class Slot(long now)
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile Versioned<T>? Current;
        public long LastRead = now;
    }

    private readonly ConcurrentDictionary<TKey, Slot> _slots = new();

    /// <summary>The current value. The fast path (listener connected, value current) completes synchronously with no query and no allocation.</summary>
    public ValueTask<T?> GetAsync(TKey key, Loader load, CancellationToken ct)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            MarkRead(slot);
            if (clock.IsListening && slot.Current is { } cached && cached.Version >= clock.KnownVersion)
            {
                return ValueTask.FromResult(cached.Value);
            }
        }
        else
        {
            slot = _slots.GetOrAdd(key, _ => new Slot(time.GetTimestamp()));
        }

        return new ValueTask<T?>(RefreshAsync(key, slot, load, ct));
    }

    /// <summary>True while a value (or a "no such thing") of <paramref name="key"/> is kept.</summary>
    public bool Contains(TKey key) => _slots.ContainsKey(key);

    /// <summary>Counts a read of <paramref name="key"/> that did not come through <see cref="GetAsync"/> (the front door's).</summary>
    public void Touch(TKey key)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            MarkRead(slot);
        }
    }

    /// <summary>
    /// Notes the time of a read, at most ten times a second per slot: readers on every core would otherwise all write
    /// to the same field on every hit.
    /// </summary>
    private void MarkRead(Slot slot)
    {
        var now = time.GetTimestamp();
        if (now - Volatile.Read(ref slot.LastRead) > time.TimestampFrequency / 10)
        {
            Volatile.Write(ref slot.LastRead, now);
        }
    }

    /// <summary>Drops the values not read for <paramref name="idle"/> or longer (and not being loaded); returns their keys.</summary>
    public IReadOnlyList<TKey> EvictIdle(TimeSpan idle)
    {
        var now = time.GetTimestamp();
        var evicted = new List<TKey>();
        foreach (var (key, slot) in _slots)
        {
            if (time.GetElapsedTime(Volatile.Read(ref slot.LastRead), now) >= idle && slot.Gate.CurrentCount > 0
                && _slots.TryRemove(KeyValuePair.Create(key, slot)))
            {
                evicted.Add(key);
            }
        }

        return evicted;
    }

    private async Task<T?> RefreshAsync(TKey key, Slot slot, Loader load, CancellationToken ct)
    {
        long version;
        if (clock.IsListening)
        {
            version = clock.KnownVersion;
        }
        else
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                version = await SnapshotLoader.VersionAsync(connection, null, ct);
                clock.Observe(version);
            }
            catch (Exception ex) when (DatabaseErrors.IsUnavailable(ex) && slot.Current is { } last)
            {
                return ServeStale(key, last);
            }
        }

        await slot.Gate.WaitAsync(ct);
        try
        {
            var cached = slot.Current;
            if (cached is not null && cached.Version >= version)
            {
                return cached.Value;
            }

            try
            {
                // Only seats' declarations changed since the cached value: update it instead of reading everything.
                if (cached is not null && clock.IsListening && changes.TryGetSeatChanges(cached.Version, version, out var seats)
                    && await patch(key, cached, seats, version, ct) is { } patched)
                {
                    slot.Current = patched;
                    return patched.Value;
                }

                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                // The version first: what is loaded after it in the same snapshot is at least that new.
                var loadedVersion = await SnapshotLoader.VersionAsync(connection, tx, ct);
                var value = await load(key, connection, tx, ct);
                await tx.CommitAsync(ct);
                slot.Current = new Versioned<T>(loadedVersion, value);
                return value;
            }
            catch (Exception ex) when (DatabaseErrors.IsUnavailable(ex) && slot.Current is { } last)
            {
                return ServeStale(key, last);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private T? ServeStale(TKey key, Versioned<T> last)
    {
        logger.LogWarning("Database unreachable; serving the last {Key} (version {Version}).", key, last.Version);
        return last.Value;
    }
}
