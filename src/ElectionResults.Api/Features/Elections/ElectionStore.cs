using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.Elections;

public sealed class ElectionStore(WriteTransactions writes)
{
    private const string Columns = """
        id AS Id, name AS Name, polling_day AS PollingDay, kind AS Kind, previous_election_id AS PreviousElectionId, is_test AS IsTest,
        certified_at AS CertifiedAt, certified_by AS CertifiedBy, certification_source AS CertificationSource
        """;

    /// <summary>
    /// Each election's seats, the seats whose latest revision is a result (declared or uncontested) and those whose latest
    /// revision is a called winner: what <see cref="ElectionStatus.Of(int, int, int, bool)"/> needs, counted as the tallies count.
    /// </summary>
    private const string Progress = """
        SELECT ec.election_id AS ElectionId, count(*)::int AS Seats,
               (count(*) FILTER (WHERE latest.status IN ('declared', 'uncontested')))::int AS Declared,
               (count(*) FILTER (WHERE latest.status = 'winnerKnown'))::int AS WinnerKnown
        FROM election_constituencies ec
        LEFT JOIN LATERAL (
            SELECT d.status FROM declarations d
            WHERE d.election_id = ec.election_id AND d.constituency_code = ec.constituency_code
            ORDER BY d.revision DESC LIMIT 1
        ) latest ON true
        WHERE @all OR ec.election_id = @electionId
        GROUP BY ec.election_id
        """;

    public static async Task<ElectionResponse[]> ListAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM elections ORDER BY polling_day DESC, id";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        var progress = await ProgressAsync(connection, tx, null, ct);
        return rows.Select(r => r.ToResponse(progress.GetValueOrDefault(r.Id))).ToArray();
    }

    /// <summary>The seats' progress of one election (<paramref name="electionId"/>) or of all (null), by election.</summary>
    private static async Task<Dictionary<string, ProgressRow>> ProgressAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? electionId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ProgressRow>(new CommandDefinition(
            Progress, new { all = electionId is null, electionId = electionId ?? "" }, tx, cancellationToken: ct));
        return rows.ToDictionary(r => r.ElectionId, StringComparer.Ordinal);
    }

    /// <summary>The election document of a snapshot (its status from the snapshot's seats).</summary>
    public static ElectionResponse ToResponse(ElectionSnapshot snapshot)
    {
        var election = snapshot.Election;
        var certification = election.Certification;
        return new(election.Id, election.Name, election.PollingDay, election.Kind, election.PreviousElectionId, election.IsTest,
            snapshot.Status, certification?.CertifiedAt, certification?.CertifiedBy, certification?.Source);
    }

    /// <summary>How a PUT of an election ended; nothing is written unless it is <see cref="PutOutcome.Saved"/>.</summary>
    public abstract record PutOutcome
    {
        private PutOutcome()
        {
        }

        /// <summary>Stored: the election, and whether it is new.</summary>
        public sealed record Saved(ElectionResponse Election, bool Created) : PutOutcome;

        /// <summary>The previous election named does not exist.</summary>
        public sealed record PreviousMissing(string Previous) : PutOutcome;

        /// <summary>The previous election named leads back to this one.</summary>
        public sealed record PreviousCycle(string Previous) : PutOutcome;
    }

    public async Task<PutOutcome> PutAsync(string electionId, PutElectionRequest request, CancellationToken ct)
    {
        // Walks the previous-election chain from the proposed baseline; meeting this election would make a cycle.
        const string checkPrevious = """
            WITH RECURSIVE chain AS (
                SELECT id, previous_election_id FROM elections WHERE id = @previous
                UNION
                SELECT e.id, e.previous_election_id FROM elections e JOIN chain c ON e.id = c.previous_election_id
            )
            SELECT (SELECT count(*) FROM elections WHERE id = @previous) AS found,
                   EXISTS (SELECT 1 FROM chain WHERE id = @electionId) AS cycle
            """;
        const string upsert = $"""
            INSERT INTO elections (id, name, polling_day, kind, previous_election_id, is_test)
            VALUES (@electionId, @Name, @PollingDay, @Kind, @PreviousElectionId, @IsTest)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, polling_day = excluded.polling_day, kind = excluded.kind,
                previous_election_id = excluded.previous_election_id, is_test = excluded.is_test
            RETURNING {Columns}, (xmax = 0) AS Inserted
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);

        if (request.PreviousElectionId is { } previous)
        {
            var check = await connection.QuerySingleAsync<(long Found, bool Cycle)>(
                new CommandDefinition(checkPrevious, new { previous, electionId }, tx, cancellationToken: ct));
            if (check.Found == 0)
            {
                return new PutOutcome.PreviousMissing(previous);
            }

            if (check.Cycle)
            {
                return new PutOutcome.PreviousCycle(previous);
            }
        }

        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(upsert, new
        {
            electionId,
            request.Name,
            PollingDay = request.PollingDay!.Value.ToDateTime(TimeOnly.MinValue),
            request.Kind,
            request.PreviousElectionId,
            request.IsTest,
        }, tx, cancellationToken: ct));
        var progress = await ProgressAsync(connection, tx, electionId, ct);
        await write.CommitAsync(ct);
        return new PutOutcome.Saved(row.ToResponse(progress.GetValueOrDefault(electionId)), row.Inserted);
    }

    /// <summary>How a certification (or its withdrawal) ended; nothing is written unless it is <see cref="CertificationOutcome.Done"/>.</summary>
    public abstract record CertificationOutcome
    {
        private CertificationOutcome()
        {
        }

        /// <summary>Stored (or, for a certification already in force, left as it was): the election as it now stands.</summary>
        public sealed record Done(ElectionResponse Election) : CertificationOutcome;

        /// <summary>There is no such election.</summary>
        public sealed record Missing : CertificationOutcome;

        /// <summary>The election is not complete (<paramref name="Status"/>): <paramref name="Seats"/> seats, <paramref name="Declared"/> with their result.</summary>
        public sealed record NotComplete(string Status, int Seats, int Declared) : CertificationOutcome;

        /// <summary>A replay is still publishing into the (test) election.</summary>
        public sealed record ReplayPlaying : CertificationOutcome;

        /// <summary>There is no certification to withdraw.</summary>
        public sealed record NotCertified(string Status) : CertificationOutcome;
    }

    /// <summary>
    /// Certifies a complete election, by <paramref name="certifiedBy"/> now, on the authority of <paramref name="source"/>.
    /// Certifying an election that is certified already changes nothing and answers it as it is (the first certification
    /// stands). Runs under the write lock, so no declaration can slip in between the completeness check and the write; the
    /// database checks completeness again and from then on refuses every change of the election's results.
    /// </summary>
    public async Task<CertificationOutcome> CertifyAsync(string electionId, string source, string certifiedBy, CancellationToken ct)
    {
        const string replaying = """
            SELECT EXISTS (SELECT 1 FROM replays r WHERE r.election_id = @electionId AND r.state IN ('playing', 'paused')
                           AND EXISTS (SELECT 1 FROM replay_steps s WHERE s.election_id = r.election_id AND s.published_at IS NULL))
            """;
        const string certify = $"""
            WITH certified AS (
                UPDATE elections SET certified_at = now(), certified_by = @certifiedBy, certification_source = @source WHERE id = @electionId
                RETURNING {Columns}
            ), recorded AS (
                INSERT INTO election_certifications (election_id, action, recorded_at, entered_by, source)
                SELECT Id, 'certified', CertifiedAt, CertifiedBy, CertificationSource FROM certified
            )
            SELECT * FROM certified
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (await ReadAsync(connection, tx, electionId, ct) is not { } current)
        {
            return new CertificationOutcome.Missing();
        }

        if (current.Election.Status == ElectionStatus.Certified)
        {
            return new CertificationOutcome.Done(current.Election);
        }

        if (!ElectionStatus.CanCertify(current.Election.Status))
        {
            return new CertificationOutcome.NotComplete(current.Election.Status, current.Progress?.Seats ?? 0, current.Progress?.Declared ?? 0);
        }

        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(replaying, new { electionId }, tx, cancellationToken: ct)))
        {
            return new CertificationOutcome.ReplayPlaying();
        }

        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(certify, new { electionId, source, certifiedBy }, tx, cancellationToken: ct));
        await write.CommitAsync(ct);
        return new CertificationOutcome.Done(row.ToResponse(current.Progress));
    }

    /// <summary>Withdraws the certification in force, by <paramref name="withdrawnBy"/>, for <paramref name="reason"/>; the history keeps both.</summary>
    public async Task<CertificationOutcome> WithdrawCertificationAsync(string electionId, string reason, string withdrawnBy, CancellationToken ct)
    {
        const string withdraw = $"""
            WITH withdrawn AS (
                UPDATE elections SET certified_at = NULL, certified_by = NULL, certification_source = NULL WHERE id = @electionId
                RETURNING {Columns}
            ), recorded AS (
                INSERT INTO election_certifications (election_id, action, recorded_at, entered_by, reason)
                SELECT Id, 'withdrawn', now(), @withdrawnBy, @reason FROM withdrawn
            )
            SELECT * FROM withdrawn
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (await ReadAsync(connection, tx, electionId, ct) is not { } current)
        {
            return new CertificationOutcome.Missing();
        }

        if (current.Election.Status != ElectionStatus.Certified)
        {
            return new CertificationOutcome.NotCertified(current.Election.Status);
        }

        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(withdraw, new { electionId, reason, withdrawnBy }, tx, cancellationToken: ct));
        await write.CommitAsync(ct);
        return new CertificationOutcome.Done(row.ToResponse(current.Progress));
    }

    /// <summary>One election as it stands, locked for the rest of the transaction, with its seats' progress.</summary>
    private static async Task<(ElectionResponse Election, ProgressRow? Progress)?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM elections WHERE id = @electionId FOR UPDATE";
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new { electionId }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var progress = (await ProgressAsync(connection, tx, electionId, ct)).GetValueOrDefault(electionId);
        return (row.ToResponse(progress), progress);
    }

    private sealed class ProgressRow
    {
        public required string ElectionId { get; init; }
        public int Seats { get; init; }
        public int Declared { get; init; }
        public int WinnerKnown { get; init; }
    }

    private sealed class Row
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public DateOnly PollingDay { get; init; }
        public required string Kind { get; init; }
        public string? PreviousElectionId { get; init; }
        public bool IsTest { get; init; }
        public DateTime? CertifiedAt { get; init; }
        public string? CertifiedBy { get; init; }
        public string? CertificationSource { get; init; }
        public bool Inserted { get; init; }

        /// <summary>The election document, its status from the seats' <paramref name="progress"/> (none: no seats).</summary>
        public ElectionResponse ToResponse(ProgressRow? progress) => new(
            Id, Name, PollingDay, Kind, PreviousElectionId, IsTest,
            ElectionStatus.Of(progress?.Seats ?? 0, progress?.Declared ?? 0, progress?.WinnerKnown ?? 0, CertifiedAt is not null),
            CertifiedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, CertifiedBy, CertificationSource);
    }
}
