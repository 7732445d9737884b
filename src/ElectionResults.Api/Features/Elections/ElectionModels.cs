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
public sealed record ElectionResponse(string Id, string Name, DateOnly PollingDay, string Kind, string? PreviousElectionId, bool IsTest);

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
