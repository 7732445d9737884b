using FluentValidation;

namespace ElectionResults.Api.Features.Candidates;

/// <summary>A candidacy: a person standing for a party (or as an Independent) in one constituency at one election.</summary>
/// <param name="Id">Candidacy id, used in declarations.</param>
/// <param name="Name">Candidate's name as on the ballot paper.</param>
/// <param name="Party">Party code (`Ind` for an Independent). The party must exist (`PUT /v1/parties/{code}`).</param>
/// <param name="Description">The ballot-paper description when it says more than the party's name ("Labour and Co-operative Party"); null otherwise.</param>
public sealed record NominationResponse(long Id, string Name, string Party, string? Description);

/// <summary>Nominates a candidate, or changes a nomination.</summary>
/// <param name="Name">Candidate's name, 1–200 characters.</param>
/// <param name="Party">Party code of an existing party: the party every tally counts the candidate for.</param>
/// <param name="Description">Optional ballot-paper description, 1–200 characters ("Labour and Co-operative Party" for a Labour and Co-operative candidate, whose party stays `Lab`).</param>
public sealed record NominationRequest(string Name, string Party, string? Description = null);

public sealed class NominationRequestValidator : AbstractValidator<NominationRequest>
{
    public NominationRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Party).NotEmpty().MaximumLength(60);
        RuleFor(r => r.Description).NotEmpty().MaximumLength(200).Must(d => d == d!.Trim())
            .WithMessage("The description is 1–200 characters without leading or trailing spaces.").When(r => r.Description is not null);
    }
}
