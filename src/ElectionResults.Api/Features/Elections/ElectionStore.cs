using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Features.Figures;
using Npgsql;

namespace ElectionResults.Api.Features.Elections;

public sealed class ElectionStore(WriteTransactions writes)
{
    private const string Columns = """
        id AS Id, name AS Name, polling_day AS PollingDay, kind AS Kind, previous_election_id AS PreviousElectionId, is_test AS IsTest
        """;

    public static async Task<ElectionResponse[]> ListAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM elections ORDER BY polling_day DESC, id";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        return rows.Select(r => r.ToResponse()).ToArray();
    }

    public static ElectionResponse ToResponse(ElectionInfo election) =>
        new(election.Id, election.Name, election.PollingDay, election.Kind, election.PreviousElectionId, election.IsTest);

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
        await write.CommitAsync(ct);
        return new PutOutcome.Saved(row.ToResponse(), row.Inserted);
    }

    private sealed class Row
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public DateOnly PollingDay { get; init; }
        public required string Kind { get; init; }
        public string? PreviousElectionId { get; init; }
        public bool IsTest { get; init; }
        public bool Inserted { get; init; }

        public ElectionResponse ToResponse() => new(Id, Name, PollingDay, Kind, PreviousElectionId, IsTest);
    }
}
