using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace ElectionResults.Api.Features.Declarations;

public sealed class DeclarationStore(NpgsqlDataSource dataSource, WriteTransactions writes, DocumentSerializer serializer, TimeProvider time)
{
    /// <summary>How a declaration ended: published (or previewed, or answered again for a retry), or refused with nothing written.</summary>
    public abstract record SubmitOutcome
    {
        private SubmitOutcome()
        {
        }

        /// <summary>The constituency document as published (or as it would be, for a preview) and its ETag.</summary>
        public sealed record Published(ConstituencyResponse Document, string ETag, bool Replayed = false) : SubmitOutcome;

        public sealed record Refused(DeclarationRefusal Refusal) : SubmitOutcome;
    }

    /// <summary>An Idempotency-Key: whose it is, the key, and what identifies the request besides its body.</summary>
    public sealed record Idempotency(string Owner, string Key, string RequestLine);

    /// <summary>
    /// Adds a revision as <see cref="DeclarationRules.Decide"/> decides. Runs under the write lock (see <see cref="WriteTransactions"/>),
    /// so the If-Match check and the insert see the same current revision: of two racing corrections carrying
    /// the same ETag exactly one succeeds and the other gets 412. With <paramref name="dryRun"/> every check runs and
    /// the document that would be published is answered, but nothing is committed.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(
        string electionId, string code, SubmitDeclarationRequest request, IReadOnlyList<EntityTagHeaderValue> ifMatch, string enteredBy,
        Idempotency? idempotency, CancellationToken ct, bool dryRun = false)
    {
        // Only this seat's declarations change: readers on every instance update that seat alone.
        await using var write = await writes.BeginAsync(ChangeScope.Seat(electionId, code), ct);
        var (connection, tx) = (write.Connection, write.Transaction);

        var requestHash = idempotency is null ? null : SHA256.HashData([.. Encoding.UTF8.GetBytes(idempotency.RequestLine), .. serializer.Serialize(request)]);
        if (idempotency is not null && await StoredAnswerAsync(connection, tx, idempotency, ct) is { } stored)
        {
            // Nothing is written: the transaction rolls back, so not even the data version moves.
            return stored.RequestHash.AsSpan().SequenceEqual(requestHash)
                ? new SubmitOutcome.Published(JsonSerializer.Deserialize<ConstituencyResponse>(stored.Body, serializer.Options)!, stored.ETag, Replayed: true)
                : Refuse(new DeclarationRefusal.IdempotencyKeyReused());
        }

        var snapshot = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, [code]);
        if (snapshot is null)
        {
            return Refuse(new DeclarationRefusal.ElectionNotFound(electionId));
        }

        if (!snapshot.SeatsByCode.TryGetValue(code, out var seat))
        {
            return Refuse(new DeclarationRefusal.SeatNotFound(electionId, code));
        }

        if (snapshot.Election.Certification is { } certification)
        {
            return Refuse(new DeclarationRefusal.ElectionCertified(electionId, certification.CertifiedAt));
        }

        var currentEtag = serializer.ETagOf(ConstituencyDocuments.Render(snapshot, seat));
        var ifMatchCheck = ifMatch.Count == 0 ? IfMatchCheck.Absent : ETags.Matches(ifMatch, currentEtag) ? IfMatchCheck.Current : IfMatchCheck.Stale;
        // Only a recount's number depends on the seat's earlier recounts: other declarations skip the query.
        var recounts = request.Status == SeatState.RecountStatus ? await RecountsSinceResultAsync(connection, tx, electionId, code, ct) : 0;
        var decision = DeclarationRules.Decide(seat, recounts, request, ifMatchCheck);
        if (decision is not DeclarationDecision.Accepted { Revision: var revision })
        {
            return Refuse(((DeclarationDecision.Refused)decision).Refusal);
        }

        // Published at the moment of the write.
        var after = await InsertRevisionAndReadSeatAsync(connection, tx, electionId, code, revision, enteredBy, time.GetUtcNow(), ct);
        var document = ConstituencyDocuments.Render(after, after.SeatsByCode[code]);
        var body = serializer.Serialize(document);
        var etag = ETags.For(body);
        if (dryRun)
        {
            // A preview: the transaction is disposed without a commit, so the revision, the data version (and so every
            // ETag) and the notification all vanish; only a declarations id from the sequence is used up.
            return new SubmitOutcome.Published(document, etag);
        }

        if (idempotency is not null)
        {
            await StoreAnswerAsync(connection, tx, idempotency, requestHash!, etag, body, ct);
        }

        await write.CommitAsync(ct);
        return new SubmitOutcome.Published(document, etag);
    }

    private static SubmitOutcome.Refused Refuse(DeclarationRefusal refusal) => new(refusal);

    private sealed class StoredAnswer
    {
        public required byte[] RequestHash { get; init; }
        public required string ETag { get; init; }
        public required byte[] Body { get; init; }
    }

    private static async Task<StoredAnswer?> StoredAnswerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Idempotency idempotency, CancellationToken ct)
    {
        const string sql = """
            SELECT request_hash AS RequestHash, etag AS ETag, body AS Body FROM idempotency_keys
            WHERE key_owner = @Owner AND key = @Key AND created_at > now() - interval '24 hours'
            """;
        return await connection.QuerySingleOrDefaultAsync<StoredAnswer>(new CommandDefinition(sql, new { idempotency.Owner, idempotency.Key }, tx, cancellationToken: ct));
    }

    /// <summary>Kept in the same transaction as the revision: the answer exists exactly when the write does.</summary>
    private static Task<int> StoreAnswerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Idempotency idempotency, byte[] requestHash, string etag, byte[] body, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
            INSERT INTO idempotency_keys (key_owner, key, request_hash, etag, body)
            VALUES (@Owner, @Key, @requestHash, @etag, @body)
            ON CONFLICT (key_owner, key) DO UPDATE SET request_hash = excluded.request_hash, etag = excluded.etag, body = excluded.body, created_at = now();
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { idempotency.Owner, idempotency.Key, requestHash, etag, body }, tx, cancellationToken: ct));
    }

    /// <summary>Recount revisions of a seat since its last declared (or uncontested) one: recounts are numbered 1, 2, … from there.</summary>
    private static Task<int> RecountsSinceResultAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, CancellationToken ct)
    {
        const string sql = """
            SELECT count(*)::int FROM declarations
            WHERE election_id = @electionId AND constituency_code = @code AND status = 'recount'
              AND revision > COALESCE((SELECT max(revision) FROM declarations
                                       WHERE election_id = @electionId AND constituency_code = @code
                                         AND status IN ('declared', 'uncontested')), 0)
            """;
        return connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { electionId, code }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Stores one revision and its votes as they are, public from <paramref name="publishedAt"/>, in one round trip; returns the
    /// revision's id. The caller holds the write lock and has checked the candidacies.
    /// </summary>
    public static async Task<long> InsertRevisionAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, NewRevision revision, string enteredBy,
        DateTimeOffset publishedAt, CancellationToken ct)
    {
        var parameters = new DynamicParameters(RevisionParameters.Of(code, revision, enteredBy, publishedAt));
        parameters.Add("electionId", electionId);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(InsertRevisionSql, parameters, tx, cancellationToken: ct));
        return await ReadInsertedAsync(grid, revision);
    }

    /// <summary>
    /// <see cref="InsertRevisionAsync"/> and then the seat as it now stands (<see cref="SnapshotLoader.LoadAsync"/> of that seat),
    /// sent together: one round trip instead of three. Each statement still runs on its own, so the database's triggers see
    /// the revision inserted before its votes.
    /// </summary>
    private static async Task<ElectionSnapshot> InsertRevisionAndReadSeatAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, NewRevision revision, string enteredBy,
        DateTimeOffset publishedAt, CancellationToken ct)
    {
        // The loader's parameters carry the election's id, under the name the insert uses too.
        var parameters = new DynamicParameters(RevisionParameters.Of(code, revision, enteredBy, publishedAt));
        parameters.AddDynamicParams(SnapshotLoader.Parameters(electionId, [code]));
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(InsertRevisionSql + SnapshotLoader.Sql, parameters, tx, cancellationToken: ct));
        await ReadInsertedAsync(grid, revision);
        return (await SnapshotLoader.ReadAsync(grid))!;
    }

    /// <summary>The revision, then its votes (found by the revision's number, in a statement of their own).</summary>
    private const string InsertRevisionSql = """
        INSERT INTO declarations (election_id, constituency_code, revision, status, invalid_votes, declared_at, source, entered_by, reason,
                                  winner_candidacy_id, lot_winner_candidacy_id, recount_number, published_at)
        VALUES (@electionId, @Code, @Number, @Status, @InvalidVotes, @DeclaredAt, @Source, @EnteredBy, @Reason,
                @WinnerCandidateId, @LotWinnerCandidateId, @RecountNumber, @PublishedAt)
        RETURNING id;

        WITH inserted AS (
            INSERT INTO declaration_votes (declaration_id, candidacy_id, election_id, constituency_code, votes)
            SELECT d.id, v.candidacy_id, @electionId, @Code, v.votes
            FROM declarations d, unnest(@CandidacyIds, @Votes) AS v (candidacy_id, votes)
            WHERE d.election_id = @electionId AND d.constituency_code = @Code AND d.revision = @Number
            RETURNING 1)
        SELECT count(*) FROM inserted;

        """;

    private static async Task<long> ReadInsertedAsync(SqlMapper.GridReader grid, NewRevision revision)
    {
        var declarationId = await grid.ReadSingleAsync<long>();
        var votes = await grid.ReadSingleAsync<long>();
        return votes == revision.Votes.Count
            ? declarationId
            : throw new InvalidOperationException($"Revision {revision.Number} got {votes} vote rows for {revision.Votes.Count} candidacies.");
    }

    /// <summary>The parameters of <see cref="InsertRevisionSql"/> but the election's id.</summary>
    private sealed record RevisionParameters(
        string Code, int Number, string Status, long? InvalidVotes, DateTime? DeclaredAt, string Source, string EnteredBy, string? Reason,
        long? WinnerCandidateId, long? LotWinnerCandidateId, int? RecountNumber, DateTime PublishedAt, long[] CandidacyIds, long[] Votes)
    {
        public static RevisionParameters Of(string code, NewRevision revision, string enteredBy, DateTimeOffset publishedAt) => new(
            code, revision.Number, revision.Status, revision.InvalidVotes, revision.DeclaredAt?.UtcDateTime, revision.Source, enteredBy,
            revision.Reason, revision.WinnerCandidateId, revision.LotWinnerCandidateId, revision.RecountNumber, publishedAt.UtcDateTime,
            revision.Votes.Select(v => v.CandidateId!.Value).ToArray(), revision.Votes.Select(v => v.Votes!.Value).ToArray());
    }

    /// <summary>Every revision of a seat, oldest first; with <paramref name="asOf"/> only those published by then.</summary>
    public async Task<RevisionListResponse?> RevisionsAsync(ElectionSnapshot snapshot, SeatState seat, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        const string sql = $"""
            SELECT {SnapshotLoader.RevisionRow.Columns}
            FROM declarations d
            WHERE d.election_id = @electionId AND d.constituency_code = @code AND (NOT @timeTravel OR d.published_at <= @asOf)
            ORDER BY d.revision
            """;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SnapshotLoader.RevisionRow>(new CommandDefinition(sql, new
        {
            electionId = snapshot.Election.Id, code = seat.Code, timeTravel = asOf is not null, asOf = (asOf ?? DateTimeOffset.UnixEpoch).UtcDateTime,
        }, cancellationToken: ct));
        RevisionOutcome? replaced = null;
        var revisions = rows.Select(row =>
        {
            var info = row.ToInfo();
            var figures = SeatState.FiguresFor(info, seat.Candidates, seat.Electorate, seat.Previous);
            var votes = figures?.Candidates.Select(c => new RevisionVote(c.CandidacyId, c.Name, c.Party, c.Votes, c.Share, c.Elected)).ToArray() ?? [];
            var outcome = SeatState.OutcomeOf(info, figures, seat.Candidates, seat.Previous)!;
            var kind = ChangeKinds.Of(outcome, replaced);
            replaced = outcome;
            return new RevisionResponse(info.Number, info.Status, info.DeclaredAt, info.RecordedAt, info.Source, info.EnteredBy, info.Reason,
                info.InvalidVotes, figures?.ValidVotes, votes, ConstituencyDocuments.Winner(snapshot, outcome.Winner), figures?.Majority, outcome.Result)
            {
                Kind = kind,
                RecountNumber = info.RecountNumber,
                DecidedByLot = figures?.DecidedByLot ?? false,
                PublishedAt = info.PublishedAt,
            };
        }).ToArray();

        return new RevisionListResponse(snapshot.Election.Id, snapshot.Election.IsTest, seat.Code, seat.Name, revisions) { AsOf = asOf };
    }
}
