using Dapper;
using ElectionResults.Api.Infrastructure.Database;

namespace ElectionResults.Api.Features.Areas;

public sealed class AreaStore(WriteTransactions writes)
{
    /// <summary>How a PUT of an area ended; nothing is written unless it is <see cref="PutOutcome.Saved"/>.</summary>
    public abstract record PutOutcome
    {
        private PutOutcome()
        {
        }

        /// <summary>Stored: the area with its members, and whether it is new.</summary>
        public sealed record Saved(AreaDetailResponse Area, bool Created) : PutOutcome;

        public sealed record ElectionMissing : PutOutcome;

        /// <summary>The first of the request's constituencies that the election does not have.</summary>
        public sealed record UnknownConstituency(string Code) : PutOutcome;
    }

    /// <summary>Creates or replaces an area; its members are replaced when the request lists them. The caller has checked the id's form.</summary>
    public async Task<PutOutcome> PutAsync(string electionId, string areaId, PutAreaRequest request, CancellationToken ct)
    {
        const string upsert = """
            INSERT INTO areas (election_id, id, name, kind) VALUES (@electionId, @areaId, @Name, @Kind)
            ON CONFLICT (election_id, id) DO UPDATE SET name = excluded.name, kind = excluded.kind
            RETURNING (xmax = 0)
            """;
        const string unknownSeat = """
            SELECT c FROM unnest(@codes) AS c
            WHERE NOT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = @electionId AND constituency_code = c)
            LIMIT 1
            """;
        const string replaceMembers = """
            DELETE FROM area_members WHERE election_id = @electionId AND area_id = @areaId;
            INSERT INTO area_members (election_id, area_id, constituency_code) SELECT @electionId, @areaId, c FROM unnest(@codes) AS c;
            """;
        const string members = "SELECT constituency_code FROM area_members WHERE election_id = @electionId AND area_id = @areaId ORDER BY 1";

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM elections WHERE id = @electionId)", new { electionId }, tx, cancellationToken: ct)))
        {
            return new PutOutcome.ElectionMissing();
        }

        var codes = request.Constituencies?.ToArray();
        if (codes is not null && await connection.ExecuteScalarAsync<string?>(new CommandDefinition(unknownSeat, new { electionId, codes }, tx, cancellationToken: ct)) is { } missing)
        {
            return new PutOutcome.UnknownConstituency(missing);
        }

        var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(upsert, new { electionId, areaId, request.Name, request.Kind }, tx, cancellationToken: ct));
        if (codes is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(replaceMembers, new { electionId, areaId, codes }, tx, cancellationToken: ct));
        }

        var memberCodes = (await connection.QueryAsync<string>(new CommandDefinition(members, new { electionId, areaId }, tx, cancellationToken: ct))).ToArray();
        await write.CommitAsync(ct);
        return new PutOutcome.Saved(new AreaDetailResponse(areaId, request.Name, request.Kind, memberCodes), created);
    }
}
