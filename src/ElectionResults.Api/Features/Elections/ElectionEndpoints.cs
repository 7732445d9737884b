using System.ComponentModel;
using System.Diagnostics;
using System.Security.Claims;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Elections;

public static class ElectionEndpoints
{
    public static RouteGroupBuilder MapElections(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections").WithTags("Elections");

        group.MapGet("/", ListElections)
            .WithName(nameof(ListElections))
            .WithSummary("List elections")
            .WithDescription("Live elections, newest polling day first; with `includeTest=true` rehearsal elections too (each says `isTest: true`, as does every document of a test election).")
            .ProducesDocument<ElectionResponse[]>();

        group.MapGet("/{electionId}", GetElection)
            .WithName(nameof(GetElection))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get one election")
            .ProducesDocument<ElectionResponse>();

        group.MapPut("/{electionId}", PutElection)
            .WithName(nameof(PutElection))
            .WithSummary("Create or update an election")
            .WithDescription("201 when created, 200 when updated. `previousElectionId` must name an existing election and may not lead back to this one (400). A key with the `test` scope may only create or keep a test election (`isTest: true`), a `live` key only a live one (403).")
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        return group;
    }

    public static async Task<DocumentResult> ListElections(
        [Description("`true` to list rehearsal (test) elections too. By default only live elections are listed, so a client looking for live results never picks up rehearsal data.")] bool? includeTest,
        ReferenceDocuments references, DocumentSerializer documents, CancellationToken ct)
    {
        var all = includeTest == true;
        var document = await references.GetAsync(new ElectionListKey(all), async (connection, tx, token) =>
            documents.Render((await ElectionStore.ListAsync(connection, tx, token)).Where(e => all || !e.IsTest).ToArray()), ct);
        return new DocumentResult(document);
    }

    public static async Task<Results<DocumentResult, ProblemHttpResult>> GetElection(string electionId, SnapshotStore snapshots, DocumentSerializer documents, CancellationToken ct)
    {
        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"There is no election '{electionId}'.");
        }

        return snapshot.Serve(ElectionKey.Instance, s => documents.Render(ElectionStore.ToResponse(s.Election)));
    }

    public static async Task<Results<Created<ElectionResponse>, Ok<ElectionResponse>, ValidationProblem, ProblemHttpResult>> PutElection(
        string electionId, PutElectionRequest request, ElectionStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Slugs.Slug().IsMatch(electionId))
        {
            return Problems.Invalid("electionId", "Election ids are lower-case letters, digits and hyphens (at most 64), e.g. 'ge2017'.");
        }

        // The policy judged the election as it stands (or let a new one through); what it becomes is in the body: a test key
        // may not create a live election (nor turn a test one live), a live key not a test one.
        if (!ApiScopes.Allows(user.Scope(), request.IsTest))
        {
            return TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: $"This key has the scope '{user.Scope()}': it may not make '{electionId}' a {(request.IsTest ? "test" : "live")} election.");
        }

        return await store.PutAsync(electionId, request, ct) switch
        {
            ElectionStore.PutOutcome.PreviousMissing { Previous: var previous } =>
                Problems.Invalid("previousElectionId", $"There is no election '{previous}'."),
            ElectionStore.PutOutcome.PreviousCycle { Previous: var previous } =>
                Problems.Invalid("previousElectionId", $"'{previous}' leads back to '{electionId}'; previous elections may not form a cycle."),
            ElectionStore.PutOutcome.Saved { Created: true } saved => TypedResults.Created($"/v1/elections/{electionId}", saved.Election),
            ElectionStore.PutOutcome.Saved saved => TypedResults.Ok(saved.Election),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }
}
