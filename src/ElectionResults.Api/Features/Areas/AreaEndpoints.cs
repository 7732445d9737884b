using System.Diagnostics;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Areas;

public static class AreaEndpoints
{
    private static readonly string[] KindOrder = ["country", "nation", "region", "county", "custom"];

    public static RouteGroupBuilder MapAreas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/areas").WithTags("Areas");

        group.MapGet("/", ListAreas)
            .WithName(nameof(ListAreas))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("List an election's areas")
            .WithDescription("The whole country (`uk`, kind `country`), then nations, regions, counties and custom areas, each with its number of seats. A constituency belongs to many areas.")
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
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        return group;
    }

    public static async Task<IResult> ListAreas([AsParameters] ElectionRead read)
    {
        var found = await read.CurrentAsync();
        return found.Problem ?? read.Serve(found, AreaListKey.Instance, s => read.Documents.Render(new AreaListResponse(
            s.Election.Id,
            s.Election.IsTest,
            s.Areas.OrderBy(a => Array.IndexOf(KindOrder, a.Kind)).ThenBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => new AreaResponse(a.Id, a.Name, a.Kind, a.ConstituencyCodes.Count))
                .ToArray())));
    }

    public static async Task<IResult> GetArea([AsParameters] ElectionRead read, string areaId)
    {
        var found = await read.CurrentAsync(areaId);
        return found.Problem ?? read.Serve(found, new AreaKey(areaId), _ =>
            read.Documents.Render(new AreaDetailResponse(found.Area!.Id, found.Area.Name, found.Area.Kind, found.Area.ConstituencyCodes)));
    }

    public static async Task<Results<Created<AreaDetailResponse>, Ok<AreaDetailResponse>, ProblemHttpResult, ValidationProblem>> PutArea(
        string electionId, string areaId, PutAreaRequest request, AreaStore store, CancellationToken ct)
    {
        if (!Slugs.Slug().IsMatch(areaId))
        {
            return Problems.Invalid("areaId", "Area ids are lower-case letters, digits and hyphens (at most 64), e.g. 'east-midlands'.");
        }

        return await store.PutAsync(electionId, areaId, request, ct) switch
        {
            AreaStore.PutOutcome.ElectionMissing => Problems.NoElection(electionId),
            AreaStore.PutOutcome.UnknownConstituency { Code: var missing } =>
                Problems.Invalid("constituencies", $"'{missing}' is not a constituency of election '{electionId}'."),
            AreaStore.PutOutcome.Saved { Created: true } saved => TypedResults.Created($"/v1/elections/{electionId}/areas/{areaId}", saved.Area),
            AreaStore.PutOutcome.Saved saved => TypedResults.Ok(saved.Area),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }
}
