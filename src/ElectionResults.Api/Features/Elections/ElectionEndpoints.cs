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
            .WithDescription("201 when created, 200 when updated. `previousElectionId` must name an existing election and may not lead back to this one (400). A key with the `test` scope may only create or keep a test election (`isTest: true`), a `live` key only a live one (403). A certified election keeps its `previousElectionId` (409: its gains and holds are final); its name may change.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapPut("/{electionId}/certification", CertifyElection)
            .WithName(nameof(CertifyElection))
            .WithSummary("Certify a complete election: its results become final")
            .WithDescription("""
                Certifies the election on the authority named in `source`, as the key's name, now: its `status` becomes `certified`
                (with `certifiedAt`) on the election document, the list of elections and every tally (`electionStatus`), so pollers know
                they may stop. From then on every declaration for the election is refused with 409, and so is any other change of its
                results (seats, candidacies, imports): the database refuses them too. Answers 200 with the election document.
                - Only a `complete` election can be certified: every seat has its result (declared or uncontested). A seat with only a
                  called winner, in recount or postponed keeps it `partial`: 409, and nothing changes.
                - A test election into which a replay is still publishing: 409.
                - Certifying a certified election again changes nothing and answers it as it is (the first certification stands).
                """)
            .Produces<ElectionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapDelete("/{electionId}/certification", WithdrawCertification)
            .WithName(nameof(WithdrawCertification))
            .WithSummary("Withdraw an election's certification")
            .WithDescription("""
                Withdraws the certification in force, for the `reason` given: the `status` is `complete` again and corrections are
                accepted again (each is a new revision, as always). The certification and its withdrawal both stay in the history
                (time travel with `asOf` shows the election as certified between the two). Answers 200 with the election document;
                400 without a reason; 409 when the election is not certified.
                """)
            .Produces<ElectionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem()
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

    public static async Task<IResult> GetElection([AsParameters] ElectionRead read)
    {
        var found = await read.CurrentAsync();
        return found.Problem ?? read.Serve(found, ElectionKey.Instance, s => read.Documents.Render(ElectionStore.ToResponse(s)));
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
                Problems.Invalid("previousElectionId", Problems.NoElectionDetail(previous)),
            ElectionStore.PutOutcome.PreviousCycle { Previous: var previous } =>
                Problems.Invalid("previousElectionId", $"'{previous}' leads back to '{electionId}'; previous elections may not form a cycle."),
            ElectionStore.PutOutcome.Saved { Created: true } saved => TypedResults.Created($"/v1/elections/{electionId}", saved.Election),
            ElectionStore.PutOutcome.Saved saved => TypedResults.Ok(saved.Election),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }

    public static async Task<Results<Ok<ElectionResponse>, ValidationProblem, ProblemHttpResult>> CertifyElection(
        string electionId, CertifyElectionRequest request, ElectionStore store, ClaimsPrincipal user, CancellationToken ct) =>
        await store.CertifyAsync(electionId, request.Source, user.KeyName(), ct) switch
        {
            ElectionStore.CertificationOutcome.Done done => TypedResults.Ok(done.Election),
            ElectionStore.CertificationOutcome.Missing => Problems.NoElection(electionId),
            ElectionStore.CertificationOutcome.NotComplete r => Problems.Conflict(
                $"'{electionId}' is {r.Status}, not complete: {r.Declared} of its {r.Seats} seats have their result (declared or uncontested). Only a complete election can be certified."),
            ElectionStore.CertificationOutcome.ReplayPlaying => Problems.Conflict(
                $"A replay is still publishing into '{electionId}'; stop it (DELETE .../replays/current) or let it finish before certifying."),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };

    public static async Task<Results<Ok<ElectionResponse>, ValidationProblem, ProblemHttpResult>> WithdrawCertification(
        string electionId,
        [Description("Why the certification is withdrawn (1–1000 characters, no control characters), kept in the history.")] string? reason,
        ElectionStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000 || reason.Any(char.IsControl))
        {
            return Problems.Invalid("reason", "A withdrawal must say why: reason is 1–1000 characters without control characters.");
        }

        return await store.WithdrawCertificationAsync(electionId, reason, user.KeyName(), ct) switch
        {
            ElectionStore.CertificationOutcome.Done done => TypedResults.Ok(done.Election),
            ElectionStore.CertificationOutcome.Missing => Problems.NoElection(electionId),
            ElectionStore.CertificationOutcome.NotCertified r => Problems.Conflict($"'{electionId}' is not certified (it is {r.Status}); there is nothing to withdraw."),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }
}
