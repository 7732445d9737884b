using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using FluentValidation;

namespace ElectionResults.Api.Features.Areas;

/// <summary>A named group of constituencies at one election. Tallies exist for every area.</summary>
/// <param name="Id">Slug (`uk`, `england`, `east-midlands`, `derbyshire`, `bbc-east-midlands`).</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">`country` (`uk`, the whole United Kingdom), `nation`, `region`, `county` or `custom` (a newsroom's own patch).</param>
/// <param name="Seats">Number of constituencies in the area.</param>
public sealed record AreaResponse(string Id, string Name, string Kind, int Seats);

/// <summary>An area with the codes of its constituencies.</summary>
/// <param name="Id">Slug.</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">`country` (`uk`), `nation`, `region`, `county` or `custom`.</param>
/// <param name="Constituencies">ONS codes of the member constituencies, sorted.</param>
public sealed record AreaDetailResponse(string Id, string Name, string Kind, IReadOnlyList<string> Constituencies);

/// <summary>The areas of an election.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Areas">Areas ordered by kind (country, nation, region, county, custom), then name.</param>
public sealed record AreaListResponse(string ElectionId, bool IsTest, IReadOnlyList<AreaResponse> Areas);

/// <summary>Creates or updates an area of an election.</summary>
/// <param name="Name">Display name, 1–200 characters.</param>
/// <param name="Kind">`country`, `nation`, `region`, `county` or `custom`.</param>
/// <param name="Constituencies">ONS codes of the member constituencies (already set up at this election); when given, replaces the membership. Omit to leave it as it is.</param>
public sealed record PutAreaRequest(string Name, string Kind, IReadOnlyList<string>? Constituencies);

public sealed class PutAreaRequestValidator : AbstractValidator<PutAreaRequest>
{
    public static readonly string[] Kinds = ["country", "nation", "region", "county", "custom"];

    public PutAreaRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Kind).NotEmpty().OneOf(Kinds).WithMessage("Kind must be one of: country, nation, region, county, custom.");
        RuleFor(r => r.Constituencies).Must(c => c!.Count <= 1000).When(r => r.Constituencies is not null).WithMessage("At most 1000 constituencies.");
        RuleForEach(r => r.Constituencies).NotEmpty().Matches(Slugs.ConstituencyPattern);
        RuleFor(r => r.Constituencies).Must(c => c!.Distinct(StringComparer.Ordinal).Count() == c!.Count).When(r => r.Constituencies is not null)
            .WithMessage("A constituency may be named only once.");
    }
}
