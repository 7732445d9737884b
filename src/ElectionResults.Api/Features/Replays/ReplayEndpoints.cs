using System.Diagnostics;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Replays;

public static class ReplayEndpoints
{
    public static RouteGroupBuilder MapReplays(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/replays").WithTags("Replays");

        group.MapPost("/", StartReplay)
            .WithName(nameof(StartReplay))
            .WithSummary("Play a past night into a test election")
            .WithDescription("""
                Creates the test election `{electionId}` (`isTest: true`), or resets it when it is one already (its revisions,
                candidacies, areas and any replay go), with the source's constituencies, candidacies and areas, and then publishes
                every revision of the source, corrections included, at its original offset from the source's first publication
                divided by `speed`, starting at `startAt` (default now). Each revision is published as the desk publishes one, so the
                change feed, the events, the ETags and the tallies behave as on the night; its `publishedAt` is the moment it is played,
                and its `declaredAt` is the source's on the replay's virtual clock: the same UK time of day, on the rehearsal's night
                (the UK date of `startAt` + the source's day offset from its polling day), so at any speed a rehearsal reads like the night.
                Candidacy ids are stable: the source's id + slot × 10^12, where the slot is fixed for the target the first time it
                is one, so every replay into the same target has the same ids. The plan is kept in the database: the replay survives
                a restart, and exactly one instance plays it. 201 with where the replay stands; 409 when `{electionId}` is a live
                election; 400 when the source does not exist or is the target.
                """)
            .Produces<ReplayResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapGet("/current", GetReplay)
            .WithName(nameof(GetReplay))
            .WithSummary("Where the replay into this election stands")
            .WithDescription("Published and remaining revisions, the next one's time at the current speed, the speed and the state (`playing`, `paused`, `stopped`, `finished`), and the virtual clock: `nightOf` (the rehearsal's polling day, the UK date of `startAt`) and `nightTime` (the time of the rehearsal's night the replay has reached: `position` at its UK time of day on `nightOf` + its day offset from the source's polling day, the clock the replayed `declaredAt` values are on). 404 when the election has no replay.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<ReplayResponse>();

        group.MapPatch("/current", UpdateReplay)
            .WithName(nameof(UpdateReplay))
            .WithSummary("Pause, resume or change the speed of the replay")
            .WithDescription("`{\"state\":\"paused\"}` pauses, `{\"state\":\"playing\"}` resumes, `{\"speed\":60}` changes the speed from where the replay is. 404 when there is no replay; 409 when it is stopped or finished.")
            .Produces<ReplayResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapDelete("/current", StopReplay)
            .WithName(nameof(StopReplay))
            .WithSummary("Stop the replay")
            .WithDescription("Stops it for good; what it has published stays (start another with POST, which resets the election). 204; 404 when there is no replay.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        return group;
    }

    public static async Task<Results<Created<ReplayResponse>, ProblemHttpResult, ValidationProblem>> StartReplay(
        string electionId, StartReplayRequest request, HttpContext http, ReplayStore store, CancellationToken ct)
    {
        if (!Slugs.Slug().IsMatch(electionId))
        {
            return Problems.Invalid("electionId", "Election ids are lowercase letters, digits and '-', e.g. 'rehearsal-2017'.");
        }

        if (request.SourceElectionId == electionId)
        {
            return Problems.Invalid("sourceElectionId", "A replay plays another election's night into this one.");
        }

        return await store.StartAsync(electionId, request, http.User.KeyName(), ct) switch
        {
            ReplayStore.StartOutcome.Started started => TypedResults.Created($"/v1/elections/{electionId}/replays/current", started.Replay),
            ReplayStore.StartOutcome.SourceMissing { SourceElectionId: var source } => Problems.Invalid("sourceElectionId", Problems.NoElectionDetail(source)),
            ReplayStore.StartOutcome.LiveTarget =>
                Problems.Conflict($"'{electionId}' is a live election; a replay plays only into a test election (a new id creates one)."),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }

    public static async Task<Results<TaggedJson<ReplayResponse>, ProblemHttpResult>> GetReplay(string electionId, ReplayStore store, CancellationToken ct) =>
        await store.GetAsync(electionId, ct) is { } replay
            ? TaggedJson.Of(replay)
            : Problems.NotFound($"Election '{electionId}' has no replay.");

    public static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult, ValidationProblem>> UpdateReplay(
        string electionId, UpdateReplayRequest request, ReplayStore store, CancellationToken ct)
    {
        return await store.UpdateAsync(electionId, request, ct) switch
        {
            ReplayStore.UpdateOutcome.Updated updated => TypedResults.Ok(updated.Replay),
            ReplayStore.UpdateOutcome.NoReplay => Problems.NotFound($"Election '{electionId}' has no replay."),
            ReplayStore.UpdateOutcome.Over { Replay.State: var state } => Problems.Conflict($"The replay into '{electionId}' is {state}; start a new one with POST."),
            var other => throw new UnreachableException($"Unexpected outcome {other}."),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> StopReplay(string electionId, ReplayStore store, CancellationToken ct) =>
        await store.StopAsync(electionId, ct) ? TypedResults.NoContent() : Problems.NotFound($"Election '{electionId}' has no replay.");
}
