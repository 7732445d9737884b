using Npgsql;

namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The current <see cref="ElectionSnapshot"/> of each election that is being read, loaded on first demand
/// (<see cref="SnapshotLoader"/>) and kept up to date as writes are heard of: after a seat's declaration only that seat
/// is read again, and every rendered document it does not affect is kept. Nothing is loaded before it is asked for, and a
/// snapshot nobody has read for <see cref="ReadModelOptions.EvictIdleAfterSeconds"/> is dropped (<see cref="IdleEviction"/>),
/// so that finished elections cost no memory or CPU until they are read again.
/// </summary>
public sealed class SnapshotStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SeatChangeLog _changes;
    private readonly VersionClock _clock;
    private readonly VersionedCache<SnapshotKey, ElectionSnapshot> _elections;

    public SnapshotStore(NpgsqlDataSource dataSource, VersionClock clock, SeatChangeLog changes, TimeProvider time, ILogger<SnapshotStore> logger)
    {
        _dataSource = dataSource;
        _changes = changes;
        _clock = clock;
        _elections = new VersionedCache<SnapshotKey, ElectionSnapshot>(dataSource, clock, changes, time, logger, PatchSeatsAsync);
    }

    /// <summary>
    /// An election's snapshot, compared with its own baseline (<paramref name="Baseline"/> null) or with another election's
    /// result in the same seats (<c>?baseline=</c>, checked by the caller).
    /// </summary>
    private readonly record struct SnapshotKey(string ElectionId, string? Baseline)
    {
        public override string ToString() => Baseline is null ? ElectionId : $"{ElectionId} (against {Baseline})";
    }

    /// <summary>The current snapshot of an election, or null when there is no such election.</summary>
    public ValueTask<ElectionSnapshot?> GetAsync(string electionId, CancellationToken ct) => _elections.GetAsync(new SnapshotKey(electionId, null), LoadAsync, ct);

    /// <summary>
    /// The current snapshot of an election with its seats compared with <paramref name="baselineElectionId"/>'s result in
    /// the same seats instead of its own baseline; null when there is no such election. The caller checks that the baseline
    /// exists and has this election's seats (<see cref="Features.Baselines.BaselineParameter"/>).
    /// </summary>
    public ValueTask<ElectionSnapshot?> GetComparedAsync(string electionId, string baselineElectionId, CancellationToken ct) =>
        _elections.GetAsync(new SnapshotKey(electionId, baselineElectionId), LoadAsync, ct);

    /// <summary>True while a snapshot of the election (or the knowledge that there is none) is kept.</summary>
    public bool IsLoaded(string electionId) => _elections.Contains(new SnapshotKey(electionId, null));

    /// <summary>Counts a read of the election's documents answered without asking for its snapshot (by the front door).</summary>
    public void MarkRead(string electionId) => _elections.Touch(new SnapshotKey(electionId, null));

    /// <summary>Drops the snapshots not read for <paramref name="idle"/>; returns what they were of.</summary>
    public IReadOnlyList<string> EvictIdle(TimeSpan idle) => _elections.EvictIdle(idle).Select(k => k.ToString()).ToArray();

    private static Task<ElectionSnapshot?> LoadAsync(SnapshotKey key, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        SnapshotLoader.LoadAsync(connection, tx, key.ElectionId, ct, baseline: key.Baseline);

    /// <summary>
    /// A snapshot brought up to date after declarations in some seats: only those seats are read (a millisecond
    /// or two instead of a whole election), everything else and every unaffected rendered document is kept.
    /// A seat of the baseline election counts too (it changes this one's gains and share changes). If more was
    /// committed meanwhile and not all of it was a seat's declaration, the whole election is read instead.
    /// </summary>
    private async Task<Versioned<ElectionSnapshot>?> PatchSeatsAsync(
        SnapshotKey key, Versioned<ElectionSnapshot> cached, IReadOnlyList<ChangeScope> changes, long version, CancellationToken ct)
    {
        if (cached.Value is not { } snapshot)
        {
            // Still no such election: a seat's declaration cannot create one.
            return cached with { Version = version };
        }

        var election = snapshot.Election;
        bool Concerns(ChangeScope change) =>
            change.ElectionId == election.Id || (election.Baseline is { Notional: false } baseline && change.ElectionId == baseline.ElectionId);
        var codes = changes.Where(Concerns).Select(c => c.Code!).ToHashSet(StringComparer.Ordinal);
        if (codes.Count == 0)
        {
            return new Versioned<ElectionSnapshot>(version, snapshot.WithSeats(version, []));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var loadedVersion = await SnapshotLoader.VersionAsync(connection, tx, ct);
        if (await SeatChangesAsync(version, loadedVersion, ct) is not { } later)
        {
            return new Versioned<ElectionSnapshot>(loadedVersion, await SnapshotLoader.LoadAsync(connection, tx, key.ElectionId, ct, baseline: key.Baseline));
        }

        codes.UnionWith(later.Where(Concerns).Select(c => c.Code!));
        var partial = await SnapshotLoader.LoadAsync(connection, tx, key.ElectionId, ct, codes, baseline: key.Baseline);
        await tx.CommitAsync(ct);
        return new Versioned<ElectionSnapshot>(loadedVersion, partial is null ? null : snapshot.WithSeats(loadedVersion, partial.Seats));
    }

    /// <summary>
    /// How long a patch waits for the notifications of versions the database has committed but this instance has not yet
    /// heard of. They are on their way (every commit notifies), and the wait is far shorter than reading a whole election
    /// again: a second at 6,500 seats on a busy machine, with every reader of the election queued behind it.
    /// </summary>
    public static readonly TimeSpan NotificationGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The seats changed by the versions after <paramref name="after"/> up to <paramref name="upTo"/>; null when any of them
    /// may have changed more than a seat's declarations, or was not heard of within <see cref="NotificationGrace"/>.
    /// </summary>
    /// <remarks>
    /// The database is often a commit ahead of the notifications: a write committed between the notification that started
    /// this refresh and the refresh's read of the version. Its notification comes a moment later.
    /// </remarks>
    private async Task<IReadOnlyList<ChangeScope>?> SeatChangesAsync(long after, long upTo, CancellationToken ct)
    {
        if (_changes.TryGetSeatChanges(after, upTo, out var seats))
        {
            return seats;
        }

        return _clock.IsListening && _clock.KnownVersion < upTo && await _clock.WaitForVersionAsync(upTo, NotificationGrace, ct)
            && _changes.TryGetSeatChanges(after, upTo, out seats)
            ? seats
            : null;
    }
}

/// <summary>
/// Reference documents that belong to no election (the parties, the lists of elections), each read once per data version
/// and kept while only seats' declarations change (their keys say they do not depend on seats).
/// </summary>
public sealed class ReferenceDocuments(NpgsqlDataSource dataSource, VersionClock clock, SeatChangeLog changes, TimeProvider time, ILogger<ReferenceDocuments> logger)
{
    private static readonly HashSet<string> NoAreas = [];

    private readonly VersionedCache<DocumentKey, RenderedDocument> _documents = new(dataSource, clock, changes, time, logger, KeepUnaffected);

    /// <summary>
    /// The current document of <paramref name="key"/>, rendered by <paramref name="render"/> (in a repeatable-read
    /// transaction that has just read the data version) when it is not current.
    /// </summary>
    public async ValueTask<RenderedDocument> GetAsync(
        DocumentKey key, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<RenderedDocument?>> render, CancellationToken ct) =>
        (await _documents.GetAsync(key, (_, connection, tx, token) => render(connection, tx, token), ct))!;

    private static Task<Versioned<RenderedDocument>?> KeepUnaffected(
        DocumentKey key, Versioned<RenderedDocument> cached, IReadOnlyList<ChangeScope> changes, long version, CancellationToken ct)
    {
        var seats = changes.Select(c => c.Code!).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(key.IsAffectedBy(seats, NoAreas) ? null : cached with { Version = version });
    }
}
