using FluentValidation;

namespace ElectionResults.Api.Features.Declarations;

/// <summary>One candidacy's votes in a declaration.</summary>
/// <param name="CandidateId">Candidacy id (from the constituency document's `candidates[].id`).</param>
/// <param name="Votes">Votes, 0 to 10,000,000.</param>
public sealed record CandidateVote(long? CandidateId, long? Votes);

/// <summary>A declaration: a new revision of a constituency's result.</summary>
/// <param name="Status">`declared` (default): the votes of every candidacy, each exactly once. `recount`: a recount is under way and a declaration is awaited again (no votes). `uncontested`: the only candidate is returned unopposed (no votes).</param>
/// <param name="Votes">Every candidacy of the seat exactly once (for `declared`); omit or leave empty otherwise.</param>
/// <param name="InvalidVotes">Rejected ballots; null when not reported.</param>
/// <param name="DeclaredAt">When the returning officer declared, ISO 8601 with offset. Required unless the status is `recount`.</param>
/// <param name="Source">Where the figures come from (`Returning officer, Mansfield`), 1–500 characters.</param>
/// <param name="Reason">Why this revision exists; required for every revision after the first (a correction or recount), at most 1,000 characters.</param>
public sealed record SubmitDeclarationRequest(
    string? Status,
    IReadOnlyList<CandidateVote>? Votes,
    long? InvalidVotes,
    DateTimeOffset? DeclaredAt,
    string Source,
    string? Reason);

public sealed class SubmitDeclarationRequestValidator : AbstractValidator<SubmitDeclarationRequest>
{
    public const long MaxVotes = 10_000_000;
    public static readonly string[] Statuses = ["declared", "recount", "uncontested"];

    public SubmitDeclarationRequestValidator()
    {
        RuleFor(r => r.Status).Must(s => s is null || Statuses.Contains(s))
            .WithMessage("Status must be one of: declared, recount, uncontested.");
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
        });

        When(r => r.Status == "uncontested", () => RuleFor(r => r.DeclaredAt).NotNull());
        When(r => r.Status is "recount" or "uncontested", () =>
            RuleFor(r => r.Votes).Must(v => v is null || v.Count == 0).WithMessage("A recount or uncontested declaration carries no votes."));
    }
}
