using System.Collections.Concurrent;
using System.Data;
using Dapper;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.TimeTravel;

/// <summary>
/// Snapshots of elections as published at an instant, computed from the revisions (<see cref="SnapshotLoader.LoadAsync"/> with
/// asOf). The state at a past instant does not change when the desk publishes now, so computed snapshots are kept (a bounded
/// number) under the election, the instant and a fingerprint of the revisions published by then (their count and newest
/// id): only what could change the past (a file's backdated declaration, a rehearsal reset and replayed) makes a new one.
/// The current state's snapshots and their hot path are not involved.
/// </summary>
public sealed class PastSnapshots(NpgsqlDataSource dataSource)
{
    private const int MaxEntries = 64;

    private readonly ConcurrentDictionary<string, ElectionSnapshot> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>
    /// The current snapshot (the hot path, untouched) without <paramref name="asOf"/>; the state at that instant with it. With
    /// <paramref name="baseline"/> the seats are compared with that election's result instead of the election's own baseline.
    /// </summary>
    public ValueTask<ElectionSnapshot?> StateAsync(SnapshotStore current, string electionId, DateTimeOffset? asOf, string? baseline, CancellationToken ct) =>
        (asOf, baseline) switch
        {
            ({ } instant, _) => new ValueTask<ElectionSnapshot?>(GetAsync(electionId, instant, ct, baseline)),
            (null, null) => current.GetAsync(electionId, ct),
            (null, { } other) => current.GetComparedAsync(electionId, other, ct),
        };

    /// <summary>The election as published at <paramref name="asOf"/> (compared with <paramref name="baseline"/> when given); null when there is no such election.</summary>
    public async Task<ElectionSnapshot?> GetAsync(string electionId, DateTimeOffset asOf, CancellationToken ct, string? baseline = null)
    {
        const string fingerprint = """
            SELECT count(*) || ':' || COALESCE(max(id), 0)
            FROM declarations WHERE election_id = @electionId AND published_at <= @asOf
            """;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var parameters = new { electionId, asOf = asOf.UtcDateTime };
        var published = await connection.ExecuteScalarAsync<string>(new CommandDefinition(fingerprint, parameters, tx, cancellationToken: ct));
        var key = $"{electionId} {asOf.UtcTicks} {published} {baseline}";
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var snapshot = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, asOf: asOf, baseline: baseline);
        await tx.CommitAsync(ct);
        // Nothing published yet (or no such election) is not kept: the seats may still be being set up.
        if (snapshot is not null && !published!.StartsWith("0:", StringComparison.Ordinal) && _cache.TryAdd(key, snapshot))
        {
            _order.Enqueue(key);
            while (_order.Count > MaxEntries && _order.TryDequeue(out var oldest))
            {
                _cache.TryRemove(oldest, out _);
            }
        }

        return snapshot;
    }
}
