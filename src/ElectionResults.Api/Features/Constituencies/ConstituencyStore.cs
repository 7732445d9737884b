using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Constituencies;

public sealed class ConstituencyStore(WriteTransactions writes)
{
    /// <summary>How a PUT of a constituency ended; nothing is written unless it is <see cref="PutOutcome.Saved"/>.</summary>
    public abstract record PutOutcome
    {
        private PutOutcome()
        {
        }

        /// <summary>Stored: the constituency document, and whether the constituency is new at this election.</summary>
        public sealed record Saved(ConstituencyResponse Document, bool Created) : PutOutcome;

        public sealed record ElectionMissing : PutOutcome;

        /// <summary>The first of the request's areas that the election does not have.</summary>
        public sealed record UnknownArea(string Area) : PutOutcome;
    }

    public async Task<PutOutcome> PutAsync(string electionId, string code, PutConstituencyRequest request, CancellationToken ct)
    {
        const string upsertConstituency = """
            INSERT INTO constituencies (code, name) VALUES (@code, @Name)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE constituencies.name IS DISTINCT FROM excluded.name
            """;
        const string upsertFacts = """
            INSERT INTO election_constituencies (election_id, constituency_code, electorate, expected_declaration_at)
            VALUES (@electionId, @code, @Electorate, @expected)
            ON CONFLICT (election_id, constituency_code) DO UPDATE
            SET electorate = excluded.electorate, expected_declaration_at = excluded.expected_declaration_at
            RETURNING (xmax = 0)
            """;
        const string unknownAreas = """
            SELECT a FROM unnest(@areas) AS a
            WHERE NOT EXISTS (SELECT 1 FROM areas WHERE election_id = @electionId AND id = a)
            LIMIT 1
            """;
        const string replaceMemberships = """
            DELETE FROM area_members WHERE election_id = @electionId AND constituency_code = @code;
            INSERT INTO area_members (election_id, area_id, constituency_code)
            SELECT @electionId, a, @code FROM unnest(@areas) AS a;
            """;

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);

        var electionExists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM elections WHERE id = @electionId)", new { electionId }, tx, cancellationToken: ct));
        if (!electionExists)
        {
            return new PutOutcome.ElectionMissing();
        }

        if (request.Areas is { } areaIds)
        {
            var unknown = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                unknownAreas, new { electionId, areas = areaIds.ToArray() }, tx, cancellationToken: ct));
            if (unknown is not null)
            {
                return new PutOutcome.UnknownArea(unknown);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(upsertConstituency, new { code, request.Name }, tx, cancellationToken: ct));
        var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            upsertFacts, new { electionId, code, request.Electorate, expected = request.ExpectedDeclarationAt?.UtcDateTime }, tx, cancellationToken: ct));
        if (request.Areas is { } areas)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                replaceMemberships, new { electionId, code, areas = areas.ToArray() }, tx, cancellationToken: ct));
        }

        var snapshot = await SnapshotLoader.LoadAsync(connection, tx, electionId, ct, [code]);
        await write.CommitAsync(ct);
        return new PutOutcome.Saved(ConstituencyDocuments.Render(snapshot!, snapshot!.SeatsByCode[code]), created);
    }
}
