using FluentValidation;

namespace ElectionResults.Api.Features.Constituencies;

/// <summary>The candidate named in a result, with what graphics need to draw their party.</summary>
/// <param name="Name">Candidate's name.</param>
/// <param name="Party">Party code (`Con`, `Lab`, `Spk`, `Ind` …).</param>
/// <param name="PartyName">The party's display name.</param>
/// <param name="ShortName">The party's label, at most 12 characters (see `/v1/parties`).</param>
/// <param name="Colour">The party's colour, `#RRGGBB`.</param>
/// <param name="TextColour">`#000000` or `#FFFFFF`, whichever contrasts more with `colour` (WCAG AA).</param>
public sealed record WinnerResponse(string Name, string Party, string PartyName, string ShortName, string Colour, string TextColour);

/// <summary>Butler swing between the two leading parties of the seat.</summary>
/// <param name="From">Party the swing is away from.</param>
/// <param name="To">Party the swing is towards.</param>
/// <param name="Points">((A now − A before) − (B now − B before)) / 2, in percentage points, always positive (the direction is in From/To).</param>
/// <param name="Text">Ready to print: `points` rounded to one decimal (midpoints away from zero), so the two always agree: `2.5% from Lab to Con` for 2.45.</param>
public sealed record SwingResponse(string From, string To, decimal Points, string Text);

/// <summary>A candidacy and its votes in the current revision.</summary>
/// <param name="Id">Candidacy id; a declaration names every candidacy of the seat by this id.</param>
/// <param name="Name">Candidate's name.</param>
/// <param name="Party">Party code.</param>
/// <param name="PartyName">Party's display name.</param>
/// <param name="ShortName">The party's label, at most 12 characters.</param>
/// <param name="Colour">Party colour, `#RRGGBB`.</param>
/// <param name="TextColour">`#000000` or `#FFFFFF`, whichever contrasts more with `colour` (WCAG AA).</param>
/// <param name="Votes">Votes in the current revision; null before a declaration, during a recount and in an uncontested seat.</param>
/// <param name="Share">votes / valid votes × 100, two decimals; null when there are no votes.</param>
/// <param name="ShareChange">share − the party's share in this seat at the previous election, in points; null when there is no previous result, the party did not stand there before, or for Independents (`Ind`, different people).</param>
/// <param name="Elected">True for the winner (elected, drawn by lot, or called while the status is `winnerKnown`); false for everyone when first place is tied without a lot winner, or nothing is declared.</param>
/// <param name="Description">The ballot-paper description when it says more than the party's name ("Labour and Co-operative Party"); null otherwise. Tallies count the candidate for `party`.</param>
public sealed record CandidateResponse(long Id, string Name, string Party, string PartyName, string ShortName, string Colour, string TextColour, long? Votes, decimal? Share, decimal? ShareChange, bool Elected, string? Description);

/// <summary>A constituency's result at one election, as of its latest revision.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Code">ONS code (`E14000810`).</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Status">
/// - `notDeclared`: no result (no revision yet, or the last one is a retraction);
/// - `winnerKnown`: the winner is called before the figures: `winner`, `result` and `gain` are shown, no votes;
/// - `declared`: the result with every figure;
/// - `recount`: a declaration is awaited again (no result is shown; `recountNumber` says which recount);
/// - `uncontested`: the only candidate was returned unopposed;
/// - `postponed`: the poll is postponed or countermanded (`reason` says why).
/// </param>
/// <param name="Revision">Number of the current revision (1, 2, …); null when not declared. Every revision stays readable at `.../revisions`.</param>
/// <param name="DeclaredAt">When the returning officer declared (ISO 8601 with offset); null when not declared or not recorded by the source.</param>
/// <param name="Electorate">Registered electors; null when unknown.</param>
/// <param name="ValidVotes">Sum of the candidates' votes; null without a result.</param>
/// <param name="InvalidVotes">Rejected ballots; null when not reported.</param>
/// <param name="Turnout">valid votes / electorate × 100 (House of Commons Library definition).</param>
/// <param name="BallotTurnout">(valid + invalid votes) / electorate × 100; null when invalid votes are not reported.</param>
/// <param name="Candidates">Every candidacy, most votes first (then by name).</param>
/// <param name="Winner">The elected candidate (or the called one while `winnerKnown`); null when not declared or when first place is tied and not decided by lot.</param>
/// <param name="Majority">Winner's votes − runner-up's votes; 0 for a tie (decided by lot or not); null without figures or with one candidate.</param>
/// <param name="MajorityPercent">majority / valid votes × 100.</param>
/// <param name="Result">`Con gain from Lab`, `Lab hold`, `Spk hold`, `Con win` (no previous result) or `Tie between Con and Lab` (a tie not decided by lot); also for a called winner; null without a result.</param>
/// <param name="Gain">True when the winner's party differs from the previous election's winner here.</param>
/// <param name="PreviousWinnerParty">Winner's party at the previous election; null when there is none.</param>
/// <param name="Swing">Butler swing between the two leading parties; null when either lacks a previous share, or either is the Speaker (`Spk`) or an Independent.</param>
/// <param name="TiedParties">Parties tied for first place; empty unless there is a tie (also when decided by lot).</param>
/// <param name="DecidedByLot">True when first place was tied and the winner was drawn by lot (`majority` is then 0). A tie without a lot winner is undecided: no winner.</param>
/// <param name="RecountNumber">While the status is `recount`: which recount (1, 2, …, counted since the seat's last declaration); null otherwise.</param>
/// <param name="Corrected">True while the current revision corrects a published result (a declaration replacing a declaration, or a called winner with a different one).</param>
/// <param name="Reason">The current revision's reason (why it was corrected, recounted, postponed or retracted); null when it gives none.</param>
/// <param name="ExpectedDeclarationAt">When the declaration is expected (set by the desk or the `expected-times` import); null when unknown.</param>
public sealed record ConstituencyResponse(
    string ElectionId, bool IsTest, string Code, string Name, string Status, int? Revision, DateTimeOffset? DeclaredAt,
    long? Electorate, long? ValidVotes, long? InvalidVotes, decimal? Turnout, decimal? BallotTurnout,
    IReadOnlyList<CandidateResponse> Candidates, WinnerResponse? Winner, long? Majority, decimal? MajorityPercent,
    string? Result, bool Gain, string? PreviousWinnerParty, SwingResponse? Swing, IReadOnlyList<string> TiedParties,
    bool DecidedByLot, int? RecountNumber, bool Corrected, string? Reason, DateTimeOffset? ExpectedDeclarationAt)
{
    /// <summary>The instant asked for with `asOf` (the seat as published then), in UTC; null for the current state.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>One row of the constituency list.</summary>
/// <param name="Code">ONS code.</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Status">`notDeclared`, `winnerKnown`, `declared`, `recount`, `uncontested` or `postponed` (see the constituency document).</param>
/// <param name="Revision">Current revision number; null when not declared.</param>
/// <param name="DeclaredAt">When declared; null when not declared or not recorded.</param>
/// <param name="Winner">Elected (or called) candidate; null when not declared or tied without a lot winner.</param>
/// <param name="Majority">Winner's votes − runner-up's votes.</param>
/// <param name="Result">`Con gain from Lab`, `Lab hold` …</param>
/// <param name="Gain">True when the seat changed hands since the previous election.</param>
/// <param name="PreviousWinnerParty">Winner's party at the previous election; null when there is none. With `winner.party` it makes a "Con gain from Lab" strap.</param>
/// <param name="ExpectedDeclarationAt">When the declaration is expected; null when unknown.</param>
public sealed record ConstituencySummary(
    string Code, string Name, string Status, int? Revision, DateTimeOffset? DeclaredAt, WinnerResponse? Winner, long? Majority, string? Result, bool Gain,
    string? PreviousWinnerParty, DateTimeOffset? ExpectedDeclarationAt);

/// <summary>The constituencies of an election, filtered as asked.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Baseline">What each seat's `result`, `gain` and `previousWinnerParty` are measured against (the previous election, its notional result on these boundaries, or the election asked for with `baseline`); null when there is nothing to compare with.</param>
/// <param name="Constituencies">Matching constituencies ordered by name (or as `sort` asks).</param>
public sealed record ConstituencyListResponse(string ElectionId, bool IsTest, Baselines.BaselineResponse? Baseline, IReadOnlyList<ConstituencySummary> Constituencies)
{
    /// <summary>The instant asked for with `asOf` (the seats as published then), in UTC; null for the current state.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>Creates or updates a constituency and its facts at one election.</summary>
/// <param name="Name">Constituency name, 1–200 characters (shared by every election).</param>
/// <param name="Electorate">Registered electors at this election; null when unknown.</param>
/// <param name="Areas">Ids of this election's areas the seat belongs to; when given, replaces its memberships. Omit to leave them as they are.</param>
/// <param name="ExpectedDeclarationAt">When the declaration is expected at this election, ISO 8601 with offset; null (or omitted) when unknown. Like the electorate it is replaced by every PUT.</param>
public sealed record PutConstituencyRequest(string Name, long? Electorate, IReadOnlyList<string>? Areas, DateTimeOffset? ExpectedDeclarationAt = null);

public sealed class PutConstituencyRequestValidator : AbstractValidator<PutConstituencyRequest>
{
    public PutConstituencyRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Electorate).InclusiveBetween(0, 100_000_000).When(r => r.Electorate is not null);
        RuleFor(r => r.Areas).Must(a => a!.Count <= 100).When(r => r.Areas is not null).WithMessage("At most 100 areas.");
        RuleForEach(r => r.Areas).NotEmpty().Matches(Infrastructure.Http.Slugs.Pattern);
        RuleFor(r => r.Areas).Must(a => a!.Distinct(StringComparer.Ordinal).Count() == a!.Count).When(r => r.Areas is not null)
            .WithMessage("An area may be named only once.");
    }
}
