using FluentValidation;

namespace ElectionResults.Api.Features.Parties;

/// <summary>A party, keyed by the House of Commons Library's code.</summary>
/// <param name="Party">The party's code, as every document names it (`party`): `Con`, `Lab`, `LD`, `SNP`, `PC`, `Green`, `UKIP`, `DUP`, `SF`, `SDLP`, `UUP`, `Alliance`, `Spk` (the Speaker), `Ind` (every Independent) … An imported party that the Library gives no abbreviation for gets a code made from its name (`common-good-party`).</param>
/// <param name="PartyName">Display name, as every document names it (`partyName`).</param>
/// <param name="ShortName">Label of at most 12 characters for charts: `Lib Dem`, `Plaid Cymru`, the name when it fits, else the code when it fits, else the name cut at a word with `…`.</param>
/// <param name="Colour">Colour for graphics, `#RRGGBB` in upper case.</param>
/// <param name="TextColour">`#000000` or `#FFFFFF`: whichever has the higher WCAG 2 contrast ratio on `colour` (always at least 4.5:1, level AA).</param>
public sealed record PartyResponse(string Party, string PartyName, string ShortName, string Colour, string TextColour)
{
    public static PartyResponse From(Figures.PartyInfo party) => new(party.Code, party.Name, party.ShortName, party.Colour, party.TextColour);
}

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
