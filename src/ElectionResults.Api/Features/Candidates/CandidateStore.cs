using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;

namespace ElectionResults.Api.Features.Candidates;

/// <summary>
/// Nominations in the database. Each change runs in one write transaction: the seat is checked, the candidacy written
/// and the change recorded for the change feed, or nothing is written.
/// </summary>
public sealed class CandidateStore(WriteTransactions writes)
{
    /// <summary>How a change of the nominations ended; nothing is written unless it is <see cref="NominationOutcome.Saved"/> or <see cref="NominationOutcome.Withdrawn"/>.</summary>
    public abstract record NominationOutcome
    {
        private NominationOutcome()
        {
        }

        /// <summary>Written: the candidacy as it now is.</summary>
        public sealed record Saved(NominationResponse Nomination) : NominationOutcome;

        /// <summary>The candidacy is gone.</summary>
        public sealed record Withdrawn : NominationOutcome;

        /// <summary>The election has no such constituency.</summary>
        public sealed record SeatMissing : NominationOutcome;

        /// <summary>The seat has a declaration (that is not a postponement or a retraction): its candidacies are published.</summary>
        public sealed record SeatDeclared : NominationOutcome;

        /// <summary>The party named does not exist.</summary>
        public sealed record PartyMissing(string Party) : NominationOutcome;

        /// <summary>The candidacy appears in a published revision (its votes, a called winner or a lot winner).</summary>
        public sealed record Frozen : NominationOutcome;

        /// <summary>The seat has no such candidacy.</summary>
        public sealed record CandidateMissing : NominationOutcome;
    }

    public async Task<NominationOutcome> AddAsync(string electionId, string code, NominationRequest request, string enteredBy, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO candidacies (election_id, constituency_code, name, party_code, description) VALUES (@electionId, @code, @Name, @Party, @Description)
            RETURNING id
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (await CheckSeatAsync(connection, tx, electionId, code, request.Party, ct) is { } refused)
        {
            return refused;
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, new { electionId, code, request.Name, request.Party, request.Description }, tx, cancellationToken: ct));
        await RecordChangeAsync(connection, tx, electionId, code, id, "added", enteredBy, ct);
        await write.CommitAsync(ct);
        return new NominationOutcome.Saved(new NominationResponse(id, request.Name, request.Party, request.Description));
    }

    public async Task<NominationOutcome> UpdateAsync(string electionId, string code, long candidateId, NominationRequest request, string enteredBy, CancellationToken ct)
    {
        const string update = """
            UPDATE candidacies SET name = @Name, party_code = @Party, description = @Description
            WHERE id = @candidateId AND election_id = @electionId AND constituency_code = @code
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (await CheckSeatAsync(connection, tx, electionId, code, request.Party, ct) is { } refused)
        {
            return refused;
        }

        if (await FrozenAsync(connection, tx, candidateId, ct))
        {
            return new NominationOutcome.Frozen();
        }

        if (await connection.ExecuteAsync(new CommandDefinition(update, new { candidateId, electionId, code, request.Name, request.Party, request.Description }, tx, cancellationToken: ct)) == 0)
        {
            return new NominationOutcome.CandidateMissing();
        }

        await RecordChangeAsync(connection, tx, electionId, code, candidateId, "changed", enteredBy, ct);
        await write.CommitAsync(ct);
        return new NominationOutcome.Saved(new NominationResponse(candidateId, request.Name, request.Party, request.Description));
    }

    public async Task<NominationOutcome> WithdrawAsync(string electionId, string code, long candidateId, string enteredBy, CancellationToken ct)
    {
        const string delete = "DELETE FROM candidacies WHERE id = @candidateId AND election_id = @electionId AND constituency_code = @code";

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (await CheckSeatAsync(connection, tx, electionId, code, party: null, ct) is { } refused)
        {
            return refused;
        }

        if (await FrozenAsync(connection, tx, candidateId, ct))
        {
            return new NominationOutcome.Frozen();
        }

        if (await connection.ExecuteAsync(new CommandDefinition(delete, new { candidateId, electionId, code }, tx, cancellationToken: ct)) == 0)
        {
            return new NominationOutcome.CandidateMissing();
        }

        await RecordChangeAsync(connection, tx, electionId, code, candidateId, "withdrawn", enteredBy, ct);
        await write.CommitAsync(ct);
        return new NominationOutcome.Withdrawn();
    }

    /// <summary>A nominations change, as an item of the change feed.</summary>
    private static Task<int> RecordChangeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, long candidacyId, string change, string enteredBy, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO nomination_changes (election_id, constituency_code, candidacy_id, change, entered_by)
            VALUES (@electionId, @code, @candidacyId, @change, @enteredBy)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { electionId, code, candidacyId, change, enteredBy }, tx, cancellationToken: ct));
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

    /// <summary>
    /// The seat must exist at the election and have no declaration, unless its latest revision is a postponement or a
    /// retraction (nominations reopen); the party (when given) must exist. Null when all is well.
    /// </summary>
    private static async Task<NominationOutcome?> CheckSeatAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string electionId, string code, string? party, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = @code) AS SeatExists,
                   COALESCE((SELECT status NOT IN ('postponed', 'notDeclared') FROM declarations
                             WHERE election_id = @electionId AND constituency_code = @code ORDER BY revision DESC LIMIT 1), false) AS Declared,
                   (@party::text IS NULL OR EXISTS (SELECT 1 FROM parties WHERE code = @party)) AS PartyExists
            """;
        var state = await connection.QuerySingleAsync<(bool SeatExists, bool Declared, bool PartyExists)>(
            new CommandDefinition(sql, new { electionId, code, party }, tx, cancellationToken: ct));
        return state switch
        {
            { SeatExists: false } => new NominationOutcome.SeatMissing(),
            { Declared: true } => new NominationOutcome.SeatDeclared(),
            { PartyExists: false } => new NominationOutcome.PartyMissing(party!),
            _ => null,
        };
    }
}
