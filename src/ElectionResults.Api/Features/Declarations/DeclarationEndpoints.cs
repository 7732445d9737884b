using System.ComponentModel;
using System.Globalization;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Observability;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;
using Microsoft.AspNetCore.Mvc;

namespace ElectionResults.Api.Features.Declarations;

using SubmitResult = Results<Created<ConstituencyResponse>, Ok<ConstituencyResponse>, ProblemHttpResult, ValidationProblem>;

public static class DeclarationEndpoints
{
    /// <summary>How far ahead of the server's clock a declaration time may be (clocks differ a little; a typo in the hour does not).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static RouteGroupBuilder MapDeclarations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections/{electionId}/constituencies/{code}").WithTags("Declarations");

        group.MapPost("/declarations", SubmitDeclaration)
            .WithName(nameof(SubmitDeclaration))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Declare a result, or correct one")
            .WithDescription("""
                Adds a revision to the seat's result; nothing is overwritten. `status` says what it records: `declared` (default),
                `winnerKnown`, `recount`, `uncontested`, `postponed` or `notDeclared` (a retraction); see the request schema.
                - First revision, or after a retraction or a postponed poll: no `If-Match` needed (sending one is checked like any other).
                - After `winnerKnown`: the full declaration electing the called candidate needs neither `If-Match` nor `reason`; one
                  electing someone else is a correction.
                - Correction, recount or retraction: send `If-Match` with the constituency document's current ETag and a `reason`.
                  A stale ETag gets 412 and nothing changes; without `If-Match` it gets 409.
                - `declared` lists every candidacy of the seat exactly once (400 naming the field otherwise); only `declared` carries votes.
                - A tie for first place may be decided by lot: `lotWinnerCandidateId` names one of the tied candidates (400 otherwise);
                  without it the seat is declared but undecided.
                - `declaredAt` more than 5 minutes after the server's clock is a 400.
                Answers 201 with the new constituency document and its ETag.
                - A certified election (`status: certified` on the election document) takes no declaration, a preview included: 409,
                  until an admin withdraws the certification.
                - `dryRun=true` (a preview): every check above runs and the answer is 200 with the constituency document exactly as it would be published (majority, result, gain, shares), but nothing is written: no revision, the data version and every ETag stay as they were, nothing appears in the change feed, and no `Idempotency-Key` is kept.
                """)
            .Produces<ConstituencyResponse>(StatusCodes.Status200OK)
            .ProducesHeader(StatusCodes.Status201Created, "ETag", "The new constituency document's strong ETag: send it in `If-Match` to correct this revision.")
            .ProducesHeader(StatusCodes.Status201Created, "Idempotent-Replayed", "`true` when this is the first answer again, for a retry with the same `Idempotency-Key`.", required: false)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithValidation()
            .RequireAuthorization(ApiPolicies.ResultsEntry).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapGet("/revisions", ListRevisions)
            .WithName(nameof(ListRevisions))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Every revision of a constituency's result, oldest first")
            .WithDescription("Each revision as published, with its figures, source, who entered it and why. The last one is the current result.")
            .ProducesNotAcceptable();

        return group;
    }

    public static async Task<SubmitResult> SubmitDeclaration(
        string electionId, string code, SubmitDeclarationRequest request,
        [FromHeader(Name = "If-Match"), Description("For a correction or recount: the constituency document's current ETag. A stale one gets 412.")] string? ifMatch,
        [FromHeader(Name = "Idempotency-Key"), Description("Any unique string (a UUID) per intended declaration, at most 200 characters. A retry with the same key and the same request gets the first answer again (header `Idempotent-Replayed: true`) instead of a second revision or a 409/412; the same key with a different request gets 422. Kept for 24 hours per API key.")] string? idempotencyKey,
        HttpContext http, DeclarationStore store, TimeProvider time, ElectionMetrics metrics, CancellationToken ct,
        [Description("`true`: validate and answer the document that would be published (200), writing nothing.")] bool? dryRun = null)
    {
        if (request.DeclaredAt is { } declaredAt && declaredAt > time.GetUtcNow() + MaxClockSkew)
        {
            return Problems.Invalid("declaredAt", $"declaredAt ({declaredAt:O}) is in the future: at most {MaxClockSkew.TotalMinutes:0} minutes after the server's clock ({time.GetUtcNow():O}).");
        }

        if (idempotencyKey is { Length: 0 or > 200 } || (idempotencyKey is not null && idempotencyKey.Any(char.IsControl)))
        {
            return Problems.Invalid("Idempotency-Key", "The Idempotency-Key header is 1–200 characters without control characters.");
        }

        if (!string.IsNullOrWhiteSpace(ifMatch) && ETags.IfMatch(http.Request).Count == 0)
        {
            return Problems.Invalid("If-Match", "If-Match must be the constituency document's ETag, quoted as sent (e.g. \"Gg5YSsiBbMj8xd4UNwA03L3X\").");
        }

        var idempotency = idempotencyKey is null ? null : new DeclarationStore.Idempotency(http.User.KeyName(), idempotencyKey, $"POST {http.Request.Path} If-Match: {ifMatch}");
        var outcome = await store.SubmitAsync(electionId, code, request, ETags.IfMatch(http.Request), http.User.KeyName(), dryRun == true ? null : idempotency, ct, dryRun == true);
        if (outcome is not DeclarationStore.SubmitOutcome.Published published)
        {
            return Refused(((DeclarationStore.SubmitOutcome.Refused)outcome).Refusal);
        }

        if (dryRun == true)
        {
            return TypedResults.Ok(published.Document);
        }

        http.Response.Headers.ETag = published.ETag;
        var revision = published.Document.Revision;
        if (published.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            WriteAuditMiddleware.Note(http, "declaration-replayed", revision);
        }
        else
        {
            metrics.DeclarationAccepted(revision);
            WriteAuditMiddleware.Note(http, revision is > 1 ? "correction" : "declaration", revision);
        }

        return TypedResults.Created($"/v1/elections/{electionId}/constituencies/{code}", published.Document);
    }

    /// <summary>The problem details of a refused declaration (nothing was written).</summary>
    public static SubmitResult Refused(DeclarationRefusal refusal) => refusal switch
    {
        DeclarationRefusal.ElectionNotFound r => Problems.NoElection(r.ElectionId),
        DeclarationRefusal.SeatNotFound r => Problems.NoConstituency(r.ElectionId, r.Code),
        DeclarationRefusal.ElectionCertified r => Problems.Conflict(
            $"Election '{r.ElectionId}' is certified (since {r.CertifiedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}): its results are final and no declaration is accepted. An admin may withdraw the certification (DELETE /v1/elections/{r.ElectionId}/certification) to correct them."),
        DeclarationRefusal.IdempotencyKeyReused => TypedResults.Problem(
            title: "Idempotency-Key reused",
            detail: "This Idempotency-Key was used for a different request. Use a new key for a new declaration.",
            statusCode: StatusCodes.Status422UnprocessableEntity),
        DeclarationRefusal.StaleETag r => Problems.PreconditionFailed(
            $"The result of '{r.Code}' has changed since you read it (it is now revision {r.CurrentRevision?.ToString(CultureInfo.InvariantCulture) ?? "none"}). Read it again and send its current ETag."),
        DeclarationRefusal.NothingToRetract r => Problems.Conflict($"'{r.Code}' is not declared; there is nothing to retract."),
        DeclarationRefusal.IfMatchRequired { Retraction: true } r =>
            Problems.Conflict($"A retraction of '{r.Code}' must send If-Match with the constituency document's ETag and a reason."),
        DeclarationRefusal.IfMatchRequired r => Problems.Conflict(
            $"'{r.Code}' already has a declaration (revision {r.CurrentRevision}). To correct it, send If-Match with the constituency document's ETag and a reason."),
        DeclarationRefusal.ReasonRequired => Problems.Invalid("reason", "A correction or recount must say why (reason)."),
        DeclarationRefusal.CandidaciesInvalid r => Problems.Invalid(r.Errors.ToDictionary()),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal of a declaration."),
    };

    public static async Task<Results<TaggedJson<RevisionListResponse>, ProblemHttpResult, ValidationProblem>> ListRevisions(
        string electionId, string code, [Description(TimeTravel.AsOf.Description)] string? asOf, HttpContext http,
        SnapshotStore snapshots, DeclarationStore store, TimeProvider time, CancellationToken ct)
    {
        if (!TimeTravel.AsOf.TryParse(asOf, out var instant, out var invalid))
        {
            return invalid!;
        }

        if (await snapshots.GetAsync(electionId, ct) is not { } snapshot)
        {
            return Problems.NoElection(electionId);
        }

        if (!snapshot.SeatsByCode.TryGetValue(code, out var seat))
        {
            return Problems.NoConstituency(electionId, code);
        }

        // A past instant's revisions never change.
        var cacheControl = instant is { } pastInstant ? TimeTravel.AsOf.CacheControlFor(pastInstant, time.GetUtcNow()) : null;
        return TaggedJson.Of((await store.RevisionsAsync(snapshot, seat, ct, instant))!, cacheControl);
    }
}
