using System.Collections.Concurrent;
using System.Data;
using Dapper;
using Npgsql;

namespace ElectionResults.Api.Features.Figures;

/// <summary>
/// Loads <see cref="ElectionSnapshot"/>s and keeps the latest one per election. Every write bumps
/// <c>data_version</c> in its own transaction, so one indexed single-row read per request tells
/// whether the cached snapshot is still current, whichever API instance took the write.
/// </summary>
public sealed class SnapshotStore(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<string, ElectionSnapshot> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _loading = new(StringComparer.Ordinal);

    /// <summary>The current snapshot of an election, or null when there is no such election.</summary>
    public async Task<ElectionSnapshot?> GetAsync(string electionId, CancellationToken ct)
    {
        var version = await CurrentVersionAsync(ct);
        if (_cache.TryGetValue(electionId, out var cached) && cached.Version >= version)
        {
            return cached;
        }

        var gate = _loading.GetOrAdd(electionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue(electionId, out cached) && cached.Version >= version)
            {
                return cached;
            }

            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            var snapshot = await LoadAsync(connection, tx, electionId, ct);
            await tx.CommitAsync(ct);
            if (snapshot is null)
            {
                _cache.TryRemove(electionId, out _);
                return null;
            }

            _cache[electionId] = snapshot;
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<long> CurrentVersionAsync(CancellationToken ct)
    {
        const string sql = "SELECT version FROM data_version";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>Reads a snapshot inside the caller's transaction (the write path uses this to check If-Match under lock).</summary>
    public static async Task<ElectionSnapshot?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, CancellationToken ct)
    {
        const string sql = """
            SELECT version FROM data_version;

            SELECT id, name, polling_day AS PollingDay, kind, previous_election_id AS PreviousElectionId, is_test AS IsTest
            FROM elections WHERE id = @electionId;

            SELECT code, name, colour FROM parties;

            SELECT ec.constituency_code AS Code, c.name, ec.electorate
            FROM election_constituencies ec JOIN constituencies c ON c.code = ec.constituency_code
            WHERE ec.election_id = @electionId
            ORDER BY c.name, c.code;

            SELECT id, election_id AS ElectionId, constituency_code AS ConstituencyCode, name, party_code AS Party
            FROM candidacies
            WHERE election_id IN (@electionId, (SELECT previous_election_id FROM elections WHERE id = @electionId))
            ORDER BY id;

            SELECT id, name, kind FROM areas WHERE election_id = @electionId ORDER BY id;

            SELECT area_id AS AreaId, constituency_code AS ConstituencyCode FROM area_members WHERE election_id = @electionId;

            WITH current_revision AS (
                SELECT DISTINCT ON (election_id, constituency_code) *
                FROM declarations
                WHERE election_id IN (@electionId, (SELECT previous_election_id FROM elections WHERE id = @electionId))
                ORDER BY election_id, constituency_code, revision DESC
            )
            SELECT id, election_id AS ElectionId, constituency_code AS ConstituencyCode, revision, status,
                   invalid_votes AS InvalidVotes, declared_at AS DeclaredAt, source, entered_by AS EnteredBy, reason,
                   recorded_at AS RecordedAt,
                   COALESCE((SELECT array_agg(dv.candidacy_id ORDER BY dv.candidacy_id) FROM declaration_votes dv WHERE dv.declaration_id = current_revision.id), '{}') AS CandidacyIds,
                   COALESCE((SELECT array_agg(dv.votes ORDER BY dv.candidacy_id) FROM declaration_votes dv WHERE dv.declaration_id = current_revision.id), '{}') AS Votes
            FROM current_revision;
            """;

        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { electionId }, tx, cancellationToken: ct));
        var version = await grid.ReadSingleAsync<long>();
        var election = await grid.ReadSingleOrDefaultAsync<ElectionRow>();
        if (election is null)
        {
            return null;
        }

        var parties = (await grid.ReadAsync<PartyInfo>()).ToDictionary(p => p.Code, StringComparer.Ordinal);
        var seats = (await grid.ReadAsync<SeatRow>()).ToArray();
        var candidacies = (await grid.ReadAsync<CandidacyRow>()).ToArray();
        var areas = (await grid.ReadAsync<AreaRow>()).ToArray();
        var members = (await grid.ReadAsync<MemberRow>()).ToArray();
        var revisions = (await grid.ReadAsync<RevisionRow>()).ToArray();

        var candidatesBySeat = candidacies.ToLookup(c => (c.ElectionId, c.ConstituencyCode), c => new Candidacy(c.Id, c.Name, c.Party));
        var revisionBySeat = revisions.ToDictionary(r => (r.ElectionId, r.ConstituencyCode), r => r.ToInfo());
        var areasBySeat = members.ToLookup(m => m.ConstituencyCode, m => m.AreaId);

        PreviousSeat? PreviousOf(string code)
        {
            if (election.PreviousElectionId is not { } previousId || !revisionBySeat.TryGetValue((previousId, code), out var revision))
            {
                return null;
            }

            var figures = SeatState.FiguresFor(revision, candidatesBySeat[(previousId, code)].ToArray(), null, null);
            return figures is null ? null : new PreviousSeat(SeatState.VotesByParty(figures.Candidates), figures.Winner?.Party);
        }

        var seatStates = seats.Select(seat =>
        {
            var candidates = candidatesBySeat[(election.Id, seat.Code)].ToArray();
            revisionBySeat.TryGetValue((election.Id, seat.Code), out var current);
            var previous = PreviousOf(seat.Code);
            var areaIds = areasBySeat[seat.Code].Order(StringComparer.Ordinal).ToArray();
            return new SeatState(seat.Code, seat.Name, seat.Electorate, candidates, areaIds, current, previous,
                SeatState.FiguresFor(current, candidates, seat.Electorate, previous));
        }).ToArray();

        var membersByArea = members.ToLookup(m => m.AreaId, m => m.ConstituencyCode);
        var areaInfos = areas
            .Select(a => new AreaInfo(a.Id, a.Name, a.Kind, membersByArea[a.Id].Order(StringComparer.Ordinal).ToArray()))
            .ToArray();

        return new ElectionSnapshot(version, election.ToInfo(), parties, seatStates, areaInfos);
    }

    private sealed record ElectionRow(string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest)
    {
        public ElectionInfo ToInfo() => new(Id, Name, PollingDay, Kind, PreviousElectionId, IsTest);
    }

    private sealed record SeatRow(string Code, string Name, long? Electorate);

    private sealed record CandidacyRow(long Id, string ElectionId, string ConstituencyCode, string Name, string Party);

    private sealed record AreaRow(string Id, string Name, string Kind);

    private sealed record MemberRow(string AreaId, string ConstituencyCode);

    /// <summary>A class rather than a positional record: Dapper binds array columns only through properties.</summary>
    private sealed class RevisionRow
    {
        public long Id { get; init; }
        public required string ElectionId { get; init; }
        public required string ConstituencyCode { get; init; }
        public int Revision { get; init; }
        public required string Status { get; init; }
        public long? InvalidVotes { get; init; }
        public DateTime? DeclaredAt { get; init; }
        public required string Source { get; init; }
        public required string EnteredBy { get; init; }
        public string? Reason { get; init; }
        public DateTime RecordedAt { get; init; }
        public long[] CandidacyIds { get; init; } = [];
        public long[] Votes { get; init; } = [];

        public RevisionInfo ToInfo() => new(
            Revision, Status, InvalidVotes, ToOffset(DeclaredAt), Source, EnteredBy, Reason, ToOffset(RecordedAt)!.Value,
            CandidacyIds.Zip(Votes).ToDictionary(p => p.First, p => p.Second));
    }

    internal static DateTimeOffset? ToOffset(DateTime? utc) =>
        utc is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
