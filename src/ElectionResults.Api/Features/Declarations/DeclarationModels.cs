using ElectionResults.Api.Infrastructure.Validation;
using FluentValidation;

namespace ElectionResults.Api.Features.Declarations;

/// <summary>One candidacy's votes in a declaration.</summary>
/// <param name="CandidateId">Candidacy id (from the constituency document's `candidates[].id`).</param>
/// <param name="Votes">Votes, 0 to 10,000,000.</param>
public sealed record CandidateVote(long? CandidateId, long? Votes);

/// <summary>A declaration: a new revision of a constituency's result.</summary>
/// <param name="Status">
/// What this revision records (default `declared`):
/// - `declared`: the votes of every candidacy, each exactly once; a tie for first place may name its winner by lot in `lotWinnerCandidateId`.
/// - `winnerKnown`: the winner is known before the figures (the returning officer's nod, a reliable call); names `winnerCandidateId`, no votes. The full declaration follows as the next revision without `If-Match` or `reason`, unless it elects someone else (then it is a correction: `If-Match` and `reason`).
/// - `recount`: a recount is under way and a declaration is awaited again (no votes); numbered 1, 2, … per seat since its last declaration.
/// - `uncontested`: the only candidate is returned unopposed (no votes).
/// - `postponed`: the poll is postponed or countermanded (no votes; `reason` required). The seat is neither declared nor remaining; its later declaration needs no `If-Match`.
/// - `notDeclared`: a retraction ("uncall"): takes the seat back to not declared (no votes; `reason` and `If-Match` required). History keeps every revision.
/// </param>
/// <param name="Votes">Every candidacy of the seat exactly once (for `declared`); omit or leave empty otherwise.</param>
/// <param name="InvalidVotes">Rejected ballots; null when not reported.</param>
/// <param name="DeclaredAt">When the returning officer declared (or the winner was called), ISO 8601 with offset. Required for `declared` and `uncontested`. At most 5 minutes after the server's clock (400 otherwise).</param>
/// <param name="Source">Where the figures come from (`Returning officer, Mansfield`), 1–500 characters.</param>
/// <param name="Reason">Why this revision exists, at most 1,000 characters; required for a correction, a recount, `postponed` and `notDeclared`.</param>
/// <param name="WinnerCandidateId">For `winnerKnown` (and only then): the candidacy called as the winner.</param>
/// <param name="LotWinnerCandidateId">For `declared` (and only then): when first place is tied, the tied candidacy that won by lot. Naming a candidate who did not tie for first is a 400.</param>
public sealed record SubmitDeclarationRequest(
    string? Status,
    IReadOnlyList<CandidateVote>? Votes,
    long? InvalidVotes,
    DateTimeOffset? DeclaredAt,
    string Source,
    string? Reason,
    long? WinnerCandidateId = null,
    long? LotWinnerCandidateId = null);

public sealed class SubmitDeclarationRequestValidator : AbstractValidator<SubmitDeclarationRequest>
{
    public const long MaxVotes = 10_000_000;
    public static readonly string[] Statuses = ["declared", "winnerKnown", "recount", "uncontested", "postponed", "notDeclared"];

    public SubmitDeclarationRequestValidator()
    {
        RuleFor(r => r.Status).OneOf(Statuses)
            .WithMessage($"Status must be one of: {string.Join(", ", Statuses)}.");
        RuleFor(r => r.Source).NotEmpty().MaximumLength(500);
        RuleFor(r => r.Reason).MaximumLength(1000);
        RuleFor(r => r.InvalidVotes).InclusiveBetween(0, MaxVotes).When(r => r.InvalidVotes is not null);

        When(r => (r.Status ?? "declared") == "declared", () =>
        {
            RuleFor(r => r.DeclaredAt).NotNull();
            RuleFor(r => r.Votes).NotEmpty().WithMessage("A declaration lists the votes of every candidacy of the seat.");
            RuleForEach(r => r.Votes).NotNull().WithMessage("Each vote is an object with candidateId and votes.");
            RuleForEach(r => r.Votes).ChildRules(vote =>
            {
                vote.RuleFor(v => v.CandidateId).NotNull().GreaterThan(0);
                vote.RuleFor(v => v.Votes).NotNull().InclusiveBetween(0, MaxVotes);
            });
            RuleForEach(r => r.Votes)
                .Must((request, vote) => vote?.CandidateId is null || request.Votes!.Count(v => v?.CandidateId == vote.CandidateId) == 1)
                .WithMessage((_, vote) => $"Candidate {vote.CandidateId} is named more than once.");
            RuleFor(r => r.LotWinnerCandidateId).GreaterThan(0).When(r => r.LotWinnerCandidateId is not null);
        });

        When(r => r.Status == "uncontested", () => RuleFor(r => r.DeclaredAt).NotNull());
        When(r => r.Status is "winnerKnown" or "recount" or "uncontested" or "postponed" or "notDeclared", () =>
            RuleFor(r => r.Votes).Must(v => v is null || v.Count == 0).WithMessage($"Only a declared result carries votes."));
        When(r => r.Status is "postponed" or "notDeclared", () =>
            RuleFor(r => r.Reason).NotEmpty().WithMessage("A postponed poll or a retraction must say why (reason)."));
        When(r => r.Status == "winnerKnown", () =>
            RuleFor(r => r.WinnerCandidateId).NotNull().GreaterThan(0).WithMessage("A called winner names the candidacy (winnerCandidateId)."));
        RuleFor(r => r.WinnerCandidateId).Null().When(r => r.Status != "winnerKnown")
            .WithMessage("winnerCandidateId belongs only to a winnerKnown revision.");
        RuleFor(r => r.LotWinnerCandidateId).Null().When(r => (r.Status ?? "declared") != "declared")
            .WithMessage("lotWinnerCandidateId belongs only to a declared result.");
    }
}
