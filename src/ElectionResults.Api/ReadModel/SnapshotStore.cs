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
    private readonly VersionedCache<string, ElectionSnapshot> _elections;

    public SnapshotStore(NpgsqlDataSource dataSource, VersionClock clock, SeatChangeLog changes, TimeProvider time, ILogger<SnapshotStore> logger)
    {
        _dataSource = dataSource;
        _changes = changes;
        _elections = new VersionedCache<string, ElectionSnapshot>(dataSource, clock, changes, time, logger, PatchSeatsAsync);
    }

    /// <summary>The current snapshot of an election, or null when there is no such election.</summary>
    public ValueTask<ElectionSnapshot?> GetAsync(string electionId, CancellationToken ct) => _elections.GetAsync(electionId, LoadAsync, ct);

    /// <summary>True while a snapshot of the election (or the knowledge that there is none) is kept.</summary>
    public bool IsLoaded(string electionId) => _elections.Contains(electionId);

    /// <summary>Counts a read of the election's documents answered without asking for its snapshot (by the front door).</summary>
    public void MarkRead(string electionId) => _elections.Touch(electionId);

    /// <summary>Drops the snapshots not read for <paramref name="idle"/>; returns their elections.</summary>
    public IReadOnlyList<string> EvictIdle(TimeSpan idle) => _elections.EvictIdle(idle);

    private static Task<ElectionSnapshot?> LoadAsync(string electionId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        SnapshotLoader.LoadAsync(connection, tx, electionId, ct);

    /// <summary>
    /// A snapshot brought up to date after declarations in some seats: only those seats are read (a millisecond
    /// or two instead of a whole election), everything else and every unaffected rendered document is kept.
    /// A seat of the previous election counts too (it changes this one's gains and share changes). If more was
    /// committed meanwhile and not all of it was a seat's declaration, the whole election is read instead.
    /// </summary>
    private async Task<Versioned<ElectionSnapshot>?> PatchSeatsAsync(
        string electionId, Versioned<ElectionSnapshot> cached, IReadOnlyList<ChangeScope> changes, long version, CancellationToken ct)
    {
        if (cached.Value is not { } snapshot)
        {
            // Still no such election: a seat's declaration cannot create one.
            return cached with { Version = version };
        }

        var election = snapshot.Election;
        bool Concerns(ChangeScope change) => change.ElectionId == election.Id || change.ElectionId == election.PreviousElectionId;
        var codes = changes.Where(Concerns).Select(c => c.Code!).ToHashSet(StringComparer.Ordinal);
        if (codes.Count == 0)
        {
            return new Versioned<ElectionSnapshot>(version, snapshot.WithSeats(version, []));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var loadedVersion = await SnapshotLoader.VersionAsync(connection, tx, ct);
        if (!_changes.TryGetSeatChanges(version, loadedVersion, out var later))
        {
            return new Versioned<ElectionSnapshot>(loadedVersion, await SnapshotLoader.LoadAsync(connection, tx, electionId, ct));
        }

        codes.UnionWith(later.Where(Concerns).Select(c => c.Code!));
        var partial = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, codes);
        await tx.CommitAsync(ct);
        return new Versioned<ElectionSnapshot>(loadedVersion, partial is null ? null : snapshot.WithSeats(loadedVersion, partial.Seats));
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
