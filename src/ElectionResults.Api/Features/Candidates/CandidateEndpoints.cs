using System.Diagnostics;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;

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
        string electionId, string code, NominationRequest request, CandidateStore store, HttpContext http, CancellationToken ct) =>
        await store.AddAsync(electionId, code, request, http.User.KeyName(), ct) switch
        {
            CandidateStore.NominationOutcome.Saved { Nomination: var added } =>
                TypedResults.Created($"/v1/elections/{electionId}/constituencies/{code}/candidates/{added.Id}", added),
            var refused => Refused<Created<NominationResponse>>(refused, electionId, code, candidateId: null),
        };

    public static async Task<Results<Ok<NominationResponse>, ProblemHttpResult, ValidationProblem>> UpdateCandidate(
        string electionId, string code, long candidateId, NominationRequest request, CandidateStore store, HttpContext http, CancellationToken ct) =>
        await store.UpdateAsync(electionId, code, candidateId, request, http.User.KeyName(), ct) switch
        {
            CandidateStore.NominationOutcome.Saved { Nomination: var changed } => TypedResults.Ok(changed),
            var refused => Refused<Ok<NominationResponse>>(refused, electionId, code, candidateId),
        };

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> WithdrawCandidate(
        string electionId, string code, long candidateId, CandidateStore store, HttpContext http, CancellationToken ct) =>
        await store.WithdrawAsync(electionId, code, candidateId, http.User.KeyName(), ct) switch
        {
            CandidateStore.NominationOutcome.Withdrawn => TypedResults.NoContent(),
            var refused => Refused<NoContent>(refused, electionId, code, candidateId),
        };

    /// <summary>The problem details of a change of the nominations that was refused (nothing was written).</summary>
    private static Results<TDone, ProblemHttpResult, ValidationProblem> Refused<TDone>(
        CandidateStore.NominationOutcome outcome, string electionId, string code, long? candidateId)
        where TDone : IResult => outcome switch
    {
        CandidateStore.NominationOutcome.SeatMissing => Problems.NoConstituency(electionId, code),
        CandidateStore.NominationOutcome.SeatDeclared =>
            Problems.Conflict($"Constituency '{code}' has a declaration; its candidacies are part of a published result and cannot change."),
        CandidateStore.NominationOutcome.PartyMissing { Party: var party } =>
            Problems.Invalid("party", $"There is no party '{party}'. Create it with PUT /v1/parties/{{code}}."),
        CandidateStore.NominationOutcome.Frozen => Problems.Conflict($"Candidate {candidateId} appears in a published revision of this seat and cannot change."),
        CandidateStore.NominationOutcome.CandidateMissing => Problems.NotFound($"Constituency '{code}' at '{electionId}' has no candidate {candidateId}."),
        var other => throw new UnreachableException($"Not a refusal: {other}."),
    };
}
