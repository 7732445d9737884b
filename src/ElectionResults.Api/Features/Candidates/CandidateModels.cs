using FluentValidation;

namespace ElectionResults.Api.Features.Candidates;

/// <summary>A candidacy: a person standing for a party (or as an Independent) in one constituency at one election.</summary>
/// <param name="Id">Candidacy id, used in declarations.</param>
/// <param name="Name">Candidate's name as on the ballot paper.</param>
/// <param name="Party">Party code (`Ind` for an Independent). The party must exist (`PUT /v1/parties/{code}`).</param>
public sealed record NominationResponse(long Id, string Name, string Party);

/// <summary>Nominates a candidate, or changes a nomination.</summary>
/// <param name="Name">Candidate's name, 1–200 characters.</param>
/// <param name="Party">Party code of an existing party.</param>
public sealed record NominationRequest(string Name, string Party);

public sealed class NominationRequestValidator : AbstractValidator<NominationRequest>
{
    public NominationRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Party).NotEmpty().MaximumLength(60);
    }
}
