using System.ComponentModel;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using FluentValidation;

namespace ElectionResults.Api.Features.Elections;

/// <summary>An election: a general election or a by-election.</summary>
/// <param name="Id">Slug, lower-case letters, digits and hyphens (`ge2017`).</param>
/// <param name="Name">Display name.</param>
/// <param name="PollingDay">Polling day (ISO date).</param>
/// <param name="Kind">`general` or `by-election`.</param>
/// <param name="PreviousElectionId">The baseline for gains, holds, share changes and swing (`ge2017` → `ge2015`); null when there is none.</param>
/// <param name="IsTest">True for rehearsal data, which must never be mistaken for live results.</param>
/// <param name="Status">
/// Where the election as a whole stands, so that pollers know when to stop:
/// - `notStarted`: no seat has a result or a called winner yet (seats only postponed or in recount do not start it);
/// - `partial`: some seat has a result or a called winner, but not every seat has its result;
/// - `complete`: every seat has its result, declared or uncontested (the tally's `declared` = `seats`; a called winner, a recount or a postponed poll is not a result). Corrections are still possible: keep polling, slowly;
/// - `certified`: the desk has certified the complete election (`certifiedAt`): its results are final and no declaration is accepted. Stop polling; should an admin withdraw the certification, the status is `complete` again.
/// </param>
/// <param name="CertifiedAt">When the certification in force was made; null unless `status` is `certified`.</param>
/// <param name="CertifiedBy">The name of the key that certified it (as `enteredBy` names a revision's); null unless certified.</param>
/// <param name="CertificationSource">The authority the certification names (the returning officers' returns, …); null unless certified.</param>
public sealed record ElectionResponse(
    string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest,
    string Status,
    DateTimeOffset? CertifiedAt, string? CertifiedBy, string? CertificationSource);

/// <summary>Creates or updates an election.</summary>
/// <param name="Name">Display name, 1–200 characters.</param>
/// <param name="PollingDay">Polling day (ISO date, `2017-06-08`).</param>
/// <param name="Kind">`general` or `by-election`.</param>
/// <param name="PreviousElectionId">An existing election to compare with, or null. It may not lead back to this election.</param>
/// <param name="IsTest">True for rehearsal data. Defaults to false.</param>
public sealed record PutElectionRequest(
    [property: Description("Display name")] string Name,
    DateOnly? PollingDay,
    string Kind,
    string? PreviousElectionId,
    bool IsTest = false);

public sealed class PutElectionRequestValidator : AbstractValidator<PutElectionRequest>
{
    public static readonly string[] Kinds = ["general", "by-election"];

    public PutElectionRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.PollingDay).NotNull();
        RuleFor(r => r.Kind).NotEmpty().OneOf(Kinds).WithMessage("Kind must be 'general' or 'by-election'.");
        RuleFor(r => r.PreviousElectionId).Matches(Slugs.Pattern).When(r => r.PreviousElectionId is not null);
    }
}

/// <summary>Certifies a complete election: its results become final (no declaration is accepted until the certification is withdrawn).</summary>
/// <param name="Source">On what authority the results are final, 1–500 characters without control characters, e.g. "Returning officers' declarations, checked against the returns".</param>
public sealed record CertifyElectionRequest(string Source);

public sealed class CertifyElectionRequestValidator : AbstractValidator<CertifyElectionRequest>
{
    public CertifyElectionRequestValidator()
    {
        RuleFor(r => r.Source).NotEmpty().MaximumLength(500)
            .Must(source => source is null || !source.Any(char.IsControl)).WithMessage("Source may not contain control characters.");
    }
}
