using FluentValidation;

namespace ElectionResults.Api.Features.Parties;

/// <summary>A party, keyed by the House of Commons Library's code.</summary>
/// <param name="Code">`Con`, `Lab`, `LD`, `SNP`, `PC`, `Green`, `UKIP`, `DUP`, `SF`, `SDLP`, `UUP`, `Alliance`, `Spk` (the Speaker), `Ind` (every Independent) …</param>
/// <param name="Name">Display name.</param>
/// <param name="Colour">Colour for graphics, `#RRGGBB` in upper case.</param>
public sealed record PartyResponse(string Code, string Name, string Colour);

/// <summary>Creates or updates a party.</summary>
/// <param name="Name">Display name, 1–200 characters.</param>
/// <param name="Colour">`#RRGGBB` (either case; stored in upper case).</param>
public sealed record PutPartyRequest(string Name, string Colour);

public sealed class PutPartyRequestValidator : AbstractValidator<PutPartyRequest>
{
    public PutPartyRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Colour).NotEmpty().Matches(@"^#[0-9A-Fa-f]{6}\z").WithMessage("Colour must be #RRGGBB.");
    }
}
