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
    public sealed record SubmitOutcome(IResult? Problem, ConstituencyResponse? Document, string? ETag, bool Replayed = false);

    /// <summary>An Idempotency-Key: whose it is, the key, and what identifies the request besides its body.</summary>
    public sealed record Idempotency(string Owner, string Key, string RequestLine);

    /// <summary>
    /// Adds a revision. Runs under the write lock (see <see cref="WriteTransactions"/>), so the
    /// If-Match check and the insert see the same current revision: of two racing corrections carrying
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
                ? new SubmitOutcome(null, JsonSerializer.Deserialize<ConstituencyResponse>(stored.Body, serializer.Options), stored.ETag, Replayed: true)
                : Fail(TypedResults.Problem(
                    title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was used for a different request. Use a new key for a new declaration.",
                    statusCode: StatusCodes.Status422UnprocessableEntity));
        }

        var snapshot = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, [code]);
        if (snapshot is null)
        {
            return Fail(Problems.NotFound($"There is no election '{electionId}'."));
        }

        if (!snapshot.SeatsByCode.TryGetValue(code, out var seat))
        {
            return Fail(Problems.NotFound($"Election '{electionId}' has no constituency '{code}'."));
        }

        var currentEtag = serializer.ETagOf(ConstituencyDocuments.Render(snapshot, seat));
        if (ifMatch.Count > 0 && !ETags.Matches(ifMatch, currentEtag))
        {
            return Fail(Problems.PreconditionFailed(
                $"The result of '{code}' has changed since you read it (it is now revision {seat.Current?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}). Read it again and send its current ETag."));
        }

        var status = request.Status ?? SeatState.DeclaredStatus;
        if (status == SeatState.NotDeclared && seat.Status == SeatState.NotDeclared)
        {
            return Fail(Problems.Conflict($"'{code}' is not declared; there is nothing to retract."));
        }

        if (CheckCandidates(seat, status, request) is { } errors)
        {
            return Fail(Problems.Invalid(errors));
        }

        if (RequiresIfMatch(seat, status, request))
        {
            if (ifMatch.Count == 0)
            {
                return Fail(Problems.Conflict(status == SeatState.NotDeclared
                    ? $"A retraction of '{code}' must send If-Match with the constituency document's ETag and a reason."
                    : $"'{code}' already has a declaration (revision {seat.Current!.Number}). To correct it, send If-Match with the constituency document's ETag and a reason."));
            }

            if (string.IsNullOrWhiteSpace(request.Reason))
            {
                return Fail(Problems.Invalid("reason", "A correction or recount must say why (reason)."));
            }
        }

        int? recountNumber = status == SeatState.RecountStatus ? await NextRecountNumberAsync(connection, tx, electionId, code, ct) : null;
        // Published at the moment of the write.
        await InsertRevisionAsync(connection, tx, electionId, code, (seat.Current?.Number ?? 0) + 1, status, request, enteredBy, time.GetUtcNow(), ct, recountNumber);

        var after = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, [code]);
        var document = ConstituencyDocuments.Render(after!, after!.SeatsByCode[code]);
        var body = serializer.Serialize(document);
        var etag = ETags.For(body);
        if (dryRun)
        {
            // A preview: the transaction is disposed without a commit, so the revision, the data version (and so every
            // ETag) and the notification all vanish; only a declarations id from the sequence is used up.
            return new SubmitOutcome(null, document, etag);
        }

        if (idempotency is not null)
        {
            await StoreAnswerAsync(connection, tx, idempotency, requestHash!, etag, body, ct);
        }

        await write.CommitAsync(ct);
        return new SubmitOutcome(null, document, etag);
    }

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
            INSERT INTO idempotency_keys (key_owner, key, request_hash, status, location, etag, body)
            VALUES (@Owner, @Key, @requestHash, 201, NULL, @etag, @body)
            ON CONFLICT (key_owner, key) DO UPDATE SET request_hash = excluded.request_hash, etag = excluded.etag, body = excluded.body, created_at = now();
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { idempotency.Owner, idempotency.Key, requestHash, etag, body }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Whether a new revision replaces something published, and so needs <c>If-Match</c> and a reason. Not for a seat's
    /// first revision, nor after a retraction or a postponed poll (the seat is open again), nor for the full declaration
    /// that follows a called winner and elects that same candidate; always for a retraction.
    /// </summary>
    public static bool RequiresIfMatch(SeatState seat, string status, SubmitDeclarationRequest request)
    {
        if (status == SeatState.NotDeclared)
        {
            return true;
        }

        if (seat.Status is SeatState.NotDeclared or SeatState.PostponedStatus)
        {
            return false;
        }

        if (seat.Status == SeatState.WinnerKnownStatus && status is SeatState.DeclaredStatus or SeatState.UncontestedStatus)
        {
            var figures = SeatState.FiguresFor(ProposedRevision(status, request), seat.Candidates, seat.Electorate, seat.Previous);
            return figures?.Winner?.CandidacyId != seat.Current!.WinnerCandidacyId;
        }

        return true;
    }

    /// <summary>The revision a request would add, for judging it before it is stored.</summary>
    private static RevisionInfo ProposedRevision(string status, SubmitDeclarationRequest request) => new(
        0, 0, status, request.InvalidVotes, request.DeclaredAt, request.Source, "", request.Reason, DateTimeOffset.MinValue,
        (request.Votes ?? []).ToDictionary(v => v.CandidateId!.Value, v => v.Votes!.Value),
        request.WinnerCandidateId, request.LotWinnerCandidateId);

    /// <summary>Recounts are numbered per seat since its last declared (or uncontested) revision: 1, 2, …</summary>
    private static Task<int> NextRecountNumberAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, CancellationToken ct)
    {
        const string sql = """
            SELECT count(*)::int + 1 FROM declarations
            WHERE election_id = @electionId AND constituency_code = @code AND status = 'recount'
              AND revision > COALESCE((SELECT max(revision) FROM declarations
                                       WHERE election_id = @electionId AND constituency_code = @code
                                         AND status IN ('declared', 'uncontested')), 0)
            """;
        return connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { electionId, code }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Stores one revision and its votes, public from <paramref name="publishedAt"/>. The caller holds the write lock and has
    /// checked the candidacies.
    /// </summary>
    public static async Task<long> InsertRevisionAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, int revision, string status,
        SubmitDeclarationRequest request, string enteredBy, DateTimeOffset publishedAt, CancellationToken ct, int? recountNumber = null)
    {
        const string insertDeclaration = """
            INSERT INTO declarations (election_id, constituency_code, revision, status, invalid_votes, declared_at, source, entered_by, reason,
                                      winner_candidacy_id, lot_winner_candidacy_id, recount_number, published_at)
            VALUES (@electionId, @code, @revision, @status, @InvalidVotes, @DeclaredAt, @Source, @enteredBy, @Reason,
                    @WinnerCandidateId, @LotWinnerCandidateId, @recountNumber, @publishedAt)
            RETURNING id
            """;
        const string insertVotes = """
            INSERT INTO declaration_votes (declaration_id, candidacy_id, election_id, constituency_code, votes)
            SELECT @declarationId, v.candidacy_id, @electionId, @code, v.votes
            FROM unnest(@candidacyIds, @votes) AS v (candidacy_id, votes)
            """;

        var declarationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insertDeclaration, new
        {
            electionId,
            code,
            revision,
            status,
            request.InvalidVotes,
            DeclaredAt = request.DeclaredAt?.UtcDateTime,
            request.Source,
            enteredBy,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason,
            request.WinnerCandidateId,
            request.LotWinnerCandidateId,
            recountNumber = status == SeatState.RecountStatus ? recountNumber ?? 1 : (int?)null,
            publishedAt = publishedAt.UtcDateTime,
        }, tx, cancellationToken: ct));

        var votes = status == "declared" ? request.Votes ?? [] : [];
        if (votes.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(insertVotes, new
            {
                declarationId,
                electionId,
                code,
                candidacyIds = votes.Select(v => v.CandidateId!.Value).ToArray(),
                votes = votes.Select(v => v.Votes!.Value).ToArray(),
            }, tx, cancellationToken: ct));
        }

        return declarationId;
    }

    /// <summary>
    /// A declaration names every candidacy of the seat exactly once; an uncontested seat has exactly one; a called winner
    /// is standing in the seat; a lot winner tied for first place.
    /// </summary>
    private static Dictionary<string, string[]>? CheckCandidates(SeatState seat, string status, SubmitDeclarationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (status == SeatState.WinnerKnownStatus && seat.Candidates.All(c => c.Id != request.WinnerCandidateId))
        {
            errors["winnerCandidateId"] = [$"Candidate {request.WinnerCandidateId} is not standing in '{seat.Code}' at this election."];
        }

        if (status == "uncontested" && seat.Candidates.Count != 1)
        {
            errors["status"] = [$"An uncontested seat has exactly one candidate; '{seat.Code}' has {seat.Candidates.Count}."];
        }

        if (status == "declared")
        {
            var standing = seat.Candidates.ToDictionary(c => c.Id);
            var votes = request.Votes ?? [];
            for (var i = 0; i < votes.Count; i++)
            {
                if (!standing.ContainsKey(votes[i].CandidateId!.Value))
                {
                    errors[$"votes[{i}].candidateId"] = [$"Candidate {votes[i].CandidateId} is not standing in '{seat.Code}' at this election."];
                }
            }

            var named = votes.Select(v => v.CandidateId!.Value).ToHashSet();
            var missing = seat.Candidates.Where(c => !named.Contains(c.Id)).ToArray();
            if (missing.Length > 0)
            {
                errors["votes"] = [$"Every candidacy must be listed; missing: {string.Join(", ", missing.Select(c => $"{c.Id} ({c.Name}, {c.Party})"))}."];
            }

            if (errors.Count == 0 && request.LotWinnerCandidateId is { } lot)
            {
                var byId = votes.ToDictionary(v => v.CandidateId!.Value, v => v.Votes!.Value);
                var ballot = seat.Candidates.Select(c => new CandidateVotes(c.Id, c.Name, c.Party, byId[c.Id])).ToArray();
                if (!SeatArithmetic.TiedForFirst(ballot, lot))
                {
                    errors["lotWinnerCandidateId"] = [$"Candidate {lot} did not tie for first place in these votes; only a tie for first is decided by lot."];
                }
            }
        }

        return errors.Count == 0 ? null : errors;
    }

    private static SubmitOutcome Fail(IResult problem) => new(problem, null, null);

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
