using Dapper;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Areas;

public static class AreaEndpoints
{
    private static readonly string[] KindOrder = ["nation", "region", "county", "custom"];

    public static RouteGroupBuilder MapAreas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/areas").WithTags("Areas");

        group.MapGet("/", ListAreas)
            .WithName(nameof(ListAreas))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("List an election's areas")
            .WithDescription("Nations, regions, counties and custom areas, each with its number of seats. A constituency belongs to many areas.")
            .ProducesDocument<AreaListResponse>();

        group.MapGet("/{areaId}", GetArea)
            .WithName(nameof(GetArea))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get an area and its constituencies")
            .ProducesDocument<AreaDetailResponse>();

        group.MapPut("/{areaId}", PutArea)
            .WithName(nameof(PutArea))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Create or update an area")
            .WithDescription("201 when created, 200 when updated. `constituencies`, when given, replaces the membership; every code must already be a constituency of this election (400 otherwise).")
            .WithValidation()
            .RequireRole(ApiRoles.Admin);

        return group;
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> ListAreas(string electionId, SnapshotStore snapshots, DocumentSerializer documents, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        return snapshot.Serve(AreaListKey.Instance, s => documents.Render(new AreaListResponse(
            s.Election.Id,
            s.Election.IsTest,
            s.Areas.OrderBy(a => Array.IndexOf(KindOrder, a.Kind)).ThenBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => new AreaResponse(a.Id, a.Name, a.Kind, a.ConstituencyCodes.Count))
                .ToArray())));
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetArea(string electionId, string areaId, SnapshotStore snapshots, DocumentSerializer documents, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        if (!snapshot.AreasById.TryGetValue(areaId, out var area))
        {
            return Problems.NotFound($"Election '{electionId}' has no area '{areaId}'.");
        }

        return snapshot.Serve(new AreaKey(areaId), _ => documents.Render(new AreaDetailResponse(area.Id, area.Name, area.Kind, area.ConstituencyCodes)));
    }

    public static async Task<Results<Created<AreaDetailResponse>, Ok<AreaDetailResponse>, ProblemHttpResult, ValidationProblem>> PutArea(
        string electionId, string areaId, PutAreaRequest request, WriteTransactions writes, CancellationToken ct)
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

        if (!Slugs.Slug().IsMatch(areaId))
        {
            return Problems.Invalid("areaId", "Area ids are lower-case letters, digits and hyphens (at most 64), e.g. 'east-midlands'.");
        }

        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM elections WHERE id = @electionId)", new { electionId }, tx, cancellationToken: ct)))
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        var codes = request.Constituencies?.ToArray();
        if (codes is not null && await connection.ExecuteScalarAsync<string?>(new CommandDefinition(unknownSeat, new { electionId, codes }, tx, cancellationToken: ct)) is { } missing)
        {
            return Problems.Invalid("constituencies", $"'{missing}' is not a constituency of election '{electionId}'.");
        }

        var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(upsert, new { electionId, areaId, request.Name, request.Kind }, tx, cancellationToken: ct));
        if (codes is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(replaceMembers, new { electionId, areaId, codes }, tx, cancellationToken: ct));
        }

        var memberCodes = (await connection.QueryAsync<string>(new CommandDefinition(members, new { electionId, areaId }, tx, cancellationToken: ct))).ToArray();
        await write.CommitAsync(ct);

        var area = new AreaDetailResponse(areaId, request.Name, request.Kind, memberCodes);
        return created ? TypedResults.Created($"/v1/elections/{electionId}/areas/{areaId}", area) : TypedResults.Ok(area);
    }
}
