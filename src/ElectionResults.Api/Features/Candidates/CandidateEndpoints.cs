using Dapper;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using Npgsql;

namespace ElectionResults.Api.Features.Candidates;

/// <summary>
/// Nominations. They can change until the seat's first declaration; after that the candidacies are
/// part of a published result and stay as they are (409).
/// </summary>
public static class CandidateEndpoints
{
    public static RouteGroupBuilder MapCandidates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/constituencies/{code}/candidates")
            .WithTags("Candidates")
            .RequireRole(ApiRoles.ResultsEntry)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", AddCandidate)
            .WithName(nameof(AddCandidate))
            .WithSummary("Nominate a candidate")
            .WithDescription("Adds a candidacy to the seat. 409 once the seat has a declaration; 400 when the party does not exist.")
            .WithValidation();

        group.MapPut("/{candidateId:long}", UpdateCandidate)
            .WithName(nameof(UpdateCandidate))
            .WithSummary("Change a nomination")
            .WithDescription("Changes the name or party of a candidacy. 409 once the seat has a declaration.")
            .WithValidation();

        group.MapDelete("/{candidateId:long}", WithdrawCandidate)
            .WithName(nameof(WithdrawCandidate))
            .WithSummary("Withdraw a nomination")
            .WithDescription("Removes a candidacy. 409 once the seat has a declaration.");

        return group;
    }

    public static async Task<Results<Created<NominationResponse>, ProblemHttpResult, ValidationProblem>> AddCandidate(
        string electionId, string code, NominationRequest request, WriteTransactions writes, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO candidacies (election_id, constituency_code, name, party_code) VALUES (@electionId, @code, @Name, @Party)
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

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, new { electionId, code, request.Name, request.Party }, tx, cancellationToken: ct));
        await write.CommitAsync(ct);
        return TypedResults.Created($"/v1/elections/{electionId}/constituencies/{code}/candidates/{id}", new NominationResponse(id, request.Name, request.Party));
    }

    public static async Task<Results<Ok<NominationResponse>, ProblemHttpResult, ValidationProblem>> UpdateCandidate(
        string electionId, string code, long candidateId, NominationRequest request, WriteTransactions writes, CancellationToken ct)
    {
        const string update = """
            UPDATE candidacies SET name = @Name, party_code = @Party
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

        if (await connection.ExecuteAsync(new CommandDefinition(update, new { candidateId, electionId, code, request.Name, request.Party }, tx, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound($"Constituency '{code}' at '{electionId}' has no candidate {candidateId}.");
        }

        await write.CommitAsync(ct);
        return TypedResults.Ok(new NominationResponse(candidateId, request.Name, request.Party));
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> WithdrawCandidate(
        string electionId, string code, long candidateId, WriteTransactions writes, CancellationToken ct)
    {
        const string delete = "DELETE FROM candidacies WHERE id = @candidateId AND election_id = @electionId AND constituency_code = @code";

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if ((await CheckSeatAsync(connection, tx, electionId, code, party: null, ct)).Problem is { } problem)
        {
            return problem;
        }

        if (await connection.ExecuteAsync(new CommandDefinition(delete, new { candidateId, electionId, code }, tx, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound($"Constituency '{code}' at '{electionId}' has no candidate {candidateId}.");
        }

        await write.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The seat must exist at the election and have no declaration; the party (when given) must exist.</summary>
    private sealed record SeatCheck(ProblemHttpResult? Problem = null, ValidationProblem? Invalid = null);

    private static async Task<SeatCheck> CheckSeatAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, string? party, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = @code) AS SeatExists,
                   EXISTS (SELECT 1 FROM declarations WHERE election_id = @electionId AND constituency_code = @code) AS Declared,
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
