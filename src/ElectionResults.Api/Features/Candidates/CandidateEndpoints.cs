using Dapper;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using Npgsql;

namespace ElectionResults.Api.Features.Candidates;

/// <summary>
/// Nominations. They can change until the seat's first declaration; after that the candidacies are
/// part of a published result and stay as they are (409), unless the poll was postponed or the result retracted
/// (a candidacy that appears in a published revision stays frozen even then). Every change is an item of the
/// change feed (kind <c>nominations</c>).
/// </summary>
public static class CandidateEndpoints
{
    public static RouteGroupBuilder MapCandidates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/constituencies/{code}/candidates")
            .WithTags("Candidates")
            .RequireAuthorization(ApiPolicies.ResultsEntry).RequireRateLimiting(RateLimits.WritePolicy)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", AddCandidate)
            .WithName(nameof(AddCandidate))
            .WithSummary("Nominate a candidate")
            .WithDescription("Adds a candidacy to the seat. 409 once the seat has a declaration (unless its poll is postponed or its result retracted); 400 when the party does not exist. Appears in the change feed as `nominations`.")
            .WithValidation();

        group.MapPut("/{candidateId:long}", UpdateCandidate)
            .WithName(nameof(UpdateCandidate))
            .WithSummary("Change a nomination")
            .WithDescription("Changes the name, party or description of a candidacy. 409 once the seat has a declaration (unless its poll is postponed or its result retracted, and the candidacy is in no published revision). Appears in the change feed as `nominations`.")
            .WithValidation();

        group.MapDelete("/{candidateId:long}", WithdrawCandidate)
            .WithName(nameof(WithdrawCandidate))
            .WithSummary("Withdraw a nomination")
            .WithDescription("Removes a candidacy. 409 once the seat has a declaration (unless its poll is postponed or its result retracted, and the candidacy is in no published revision). Appears in the change feed as `nominations`.");

        return group;
    }

    public static async Task<Results<Created<NominationResponse>, ProblemHttpResult, ValidationProblem>> AddCandidate(
        string electionId, string code, NominationRequest request, WriteTransactions writes, HttpContext http, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO candidacies (election_id, constituency_code, name, party_code, description) VALUES (@electionId, @code, @Name, @Party, @Description)
            RETURNING id
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var check = await CheckSeatAsync(connection, tx, electionId, code, request.Party, ct);
        if (check.Problem is { } problem)
        {
            return problem;
        }

        if (check.Invalid is { } invalid)
        {
            return invalid;
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, new { electionId, code, request.Name, request.Party, request.Description }, tx, cancellationToken: ct));
        await RecordChangeAsync(connection, tx, electionId, code, id, "added", http, ct);
        await write.CommitAsync(ct);
        return TypedResults.Created($"/v1/elections/{electionId}/constituencies/{code}/candidates/{id}", new NominationResponse(id, request.Name, request.Party, request.Description));
    }

    public static async Task<Results<Ok<NominationResponse>, ProblemHttpResult, ValidationProblem>> UpdateCandidate(
        string electionId, string code, long candidateId, NominationRequest request, WriteTransactions writes, HttpContext http, CancellationToken ct)
    {
        const string update = """
            UPDATE candidacies SET name = @Name, party_code = @Party, description = @Description
            WHERE id = @candidateId AND election_id = @electionId AND constituency_code = @code
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var check = await CheckSeatAsync(connection, tx, electionId, code, request.Party, ct);
        if (check.Problem is { } problem)
        {
            return problem;
        }

        if (check.Invalid is { } invalid)
        {
            return invalid;
        }

        if (await FrozenAsync(connection, tx, candidateId, ct))
        {
            return Frozen(candidateId);
        }

        if (await connection.ExecuteAsync(new CommandDefinition(update, new { candidateId, electionId, code, request.Name, request.Party, request.Description }, tx, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound($"Constituency '{code}' at '{electionId}' has no candidate {candidateId}.");
        }

        await RecordChangeAsync(connection, tx, electionId, code, candidateId, "changed", http, ct);
        await write.CommitAsync(ct);
        return TypedResults.Ok(new NominationResponse(candidateId, request.Name, request.Party, request.Description));
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> WithdrawCandidate(
        string electionId, string code, long candidateId, WriteTransactions writes, HttpContext http, CancellationToken ct)
    {
        const string delete = "DELETE FROM candidacies WHERE id = @candidateId AND election_id = @electionId AND constituency_code = @code";

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if ((await CheckSeatAsync(connection, tx, electionId, code, party: null, ct)).Problem is { } problem)
        {
            return problem;
        }

        if (await FrozenAsync(connection, tx, candidateId, ct))
        {
            return Frozen(candidateId);
        }

        if (await connection.ExecuteAsync(new CommandDefinition(delete, new { candidateId, electionId, code }, tx, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound($"Constituency '{code}' at '{electionId}' has no candidate {candidateId}.");
        }

        await RecordChangeAsync(connection, tx, electionId, code, candidateId, "withdrawn", http, ct);
        await write.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>A nominations change, as an item of the change feed.</summary>
    private static Task<int> RecordChangeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, long candidacyId, string change, HttpContext http, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO nomination_changes (election_id, constituency_code, candidacy_id, change, entered_by)
            VALUES (@electionId, @code, @candidacyId, @change, @enteredBy)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { electionId, code, candidacyId, change, enteredBy = http.User.KeyName() }, tx, cancellationToken: ct));
    }

    /// <summary>A candidacy in a published revision (its votes, a called winner or a lot winner) never changes.</summary>
    private static Task<bool> FrozenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long candidateId, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM declaration_votes WHERE candidacy_id = @candidateId)
                OR EXISTS (SELECT 1 FROM declarations WHERE @candidateId IN (winner_candidacy_id, lot_winner_candidacy_id))
            """;
        return connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { candidateId }, tx, cancellationToken: ct));
    }

    private static ProblemHttpResult Frozen(long candidateId) =>
        Problems.Conflict($"Candidate {candidateId} appears in a published revision of this seat and cannot change.");

    /// <summary>
    /// The seat must exist at the election and have no declaration, unless its latest revision is a postponement or a
    /// retraction (nominations reopen); the party (when given) must exist.
    /// </summary>
    private sealed record SeatCheck(ProblemHttpResult? Problem = null, ValidationProblem? Invalid = null);

    private static async Task<SeatCheck> CheckSeatAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, string? party, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = @code) AS SeatExists,
                   COALESCE((SELECT status NOT IN ('postponed', 'notDeclared') FROM declarations
                             WHERE election_id = @electionId AND constituency_code = @code ORDER BY revision DESC LIMIT 1), false) AS Declared,
                   (@party::text IS NULL OR EXISTS (SELECT 1 FROM parties WHERE code = @party)) AS PartyExists
            """;
        var state = await connection.QuerySingleAsync<(bool SeatExists, bool Declared, bool PartyExists)>(
            new CommandDefinition(sql, new { electionId, code, party }, tx, cancellationToken: ct));
        if (!state.SeatExists)
        {
            return new SeatCheck(Problems.NotFound($"Election '{electionId}' has no constituency '{code}'."));
        }

        if (state.Declared)
        {
            return new SeatCheck(Problems.Conflict($"Constituency '{code}' has a declaration; its candidacies are part of a published result and cannot change."));
        }

        return state.PartyExists ? new SeatCheck() : new SeatCheck(Invalid: Problems.Invalid("party", $"There is no party '{party}'. Create it with PUT /v1/parties/{{code}}."));
    }
}
