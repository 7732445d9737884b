using ElectionResults.Api.Features.Constituencies;

namespace ElectionResults.Api.Features.Declarations;

/// <summary>A candidacy's votes in one revision.</summary>
/// <param name="CandidateId">Candidacy id.</param>
/// <param name="Name">Candidate's name.</param>
/// <param name="Party">Party code.</param>
/// <param name="Votes">Votes in this revision.</param>
/// <param name="Share">votes / valid votes × 100 in this revision.</param>
/// <param name="Elected">True for the winner of this revision.</param>
public sealed record RevisionVote(long CandidateId, string Name, string Party, long Votes, decimal? Share, bool Elected);

/// <summary>One revision of a constituency's result, exactly as published.</summary>
/// <param name="Revision">1 for the first declaration, then 2, 3 … for each correction or recount.</param>
/// <param name="Status">`notDeclared` (a retraction), `winnerKnown`, `declared`, `recount`, `uncontested` or `postponed`.</param>
/// <param name="DeclaredAt">When the returning officer declared; null when not recorded.</param>
/// <param name="RecordedAt">When the service stored this revision.</param>
/// <param name="Source">Where the figures came from.</param>
/// <param name="EnteredBy">Name of the API key that entered it.</param>
/// <param name="Reason">Why this revision was made (null for a first declaration).</param>
/// <param name="InvalidVotes">Rejected ballots; null when not reported.</param>
/// <param name="ValidVotes">Sum of the votes in this revision; null for a recount.</param>
/// <param name="Votes">Votes per candidacy, most first.</param>
/// <param name="Winner">Winner according to this revision (elected, drawn by lot, or called for `winnerKnown`).</param>
/// <param name="Majority">Majority according to this revision.</param>
/// <param name="Result">Result text according to this revision (`Lab hold`, `Con gain from Lab` …).</param>
public sealed record RevisionResponse(
    int Revision, string Status, DateTimeOffset? DeclaredAt, DateTimeOffset RecordedAt, string Source, string EnteredBy, string? Reason,
    long? InvalidVotes, long? ValidVotes, IReadOnlyList<RevisionVote> Votes, WinnerResponse? Winner, long? Majority, string? Result)
{
    /// <summary>How this revision was announced in the change feed: `declared`, `corrected`, `winnerKnown`, `recount`, `postponed` or `retracted`.</summary>
    public string Kind { get; init; } = "declared";

    /// <summary>For a `recount`: its number (1, 2, …) counted per seat since its last declaration; otherwise null.</summary>
    public int? RecountNumber { get; init; }

    /// <summary>True when first place was tied and this revision's winner was drawn by lot.</summary>
    public bool DecidedByLot { get; init; }

    /// <summary>When this revision became public: the moment of the desk's write, the file's declaration time for an import (else the moment of the import), the moment a replay played it.</summary>
    public DateTimeOffset PublishedAt { get; init; }
}

/// <summary>Every revision of a constituency's result, oldest first.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Code">ONS code.</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Revisions">Oldest first; the last one is the current result.</param>
public sealed record RevisionListResponse(string ElectionId, bool IsTest, string Code, string Name, IReadOnlyList<RevisionResponse> Revisions)
{
    /// <summary>The instant asked for with `asOf` (only the revisions published by then are listed), in UTC; null for every revision.</summary>
    public DateTimeOffset? AsOf { get; init; }
}
