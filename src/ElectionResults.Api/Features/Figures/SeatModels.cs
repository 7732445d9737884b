namespace ElectionResults.Api.Features.Figures;

/// <summary>One candidacy's votes in a seat.</summary>
/// <param name="CandidacyId">Identifier of the candidacy.</param>
/// <param name="Name">Candidate's name as on the ballot paper.</param>
/// <param name="Party">House of Commons Library party code ("Con", "Lab", "LD", "Spk", "Ind", ...).</param>
/// <param name="Votes">Votes cast for the candidate.</param>
public sealed record CandidateVotes(long CandidacyId, string Name, string Party, long Votes);

/// <summary>The previous election's result in the same constituency.</summary>
/// <param name="VotesByParty">Votes per party code at the previous election (several candidates of one party summed).</param>
/// <param name="WinnerParty">Party that won the seat at the previous election, when known.</param>
/// <param name="Uncontested">True when the seat was uncontested then: nobody polled, so it has no shares to compare with.</param>
public sealed record PreviousSeat(IReadOnlyDictionary<string, long> VotesByParty, string? WinnerParty, bool Uncontested = false);

/// <summary>A candidate's result with the derived figures.</summary>
/// <param name="CandidacyId">Identifier of the candidacy.</param>
/// <param name="Name">Candidate's name.</param>
/// <param name="Party">House of Commons Library party code.</param>
/// <param name="Votes">Votes cast for the candidate.</param>
/// <param name="Share">Vote share in percent: votes / valid votes × 100, 2 dp; null when no valid votes or the seat was uncontested.</param>
/// <param name="ShareChange">
/// Change in percentage points: share now − the party's share in this constituency at the previous election
/// (previous party votes / previous valid votes × 100), computed from exact fractions and rounded to 2 dp.
/// Null when there is no previous result, the party had no votes there previously, or the party is "Ind".
/// </param>
/// <param name="Elected">True for the winner; false for everyone when first place is tied.</param>
public sealed record CandidateFigures(long CandidacyId, string Name, string Party, long Votes, decimal? Share, decimal? ShareChange, bool Elected);

/// <summary>Butler swing between two parties.</summary>
/// <param name="From">Party the swing is away from.</param>
/// <param name="To">Party the swing is towards.</param>
/// <param name="Points">Size of the swing in percentage points, never negative, 2 dp.</param>
/// <param name="Text">Human-readable form: <see cref="Points"/> rounded to one decimal place (midpoints away from zero), e.g. "2.5% from Lab to Con" for 2.45.</param>
public sealed record Swing(string From, string To, decimal Points, string Text);

/// <summary>Derived figures for one seat.</summary>
/// <param name="ValidVotes">Sum of all candidates' votes.</param>
/// <param name="Candidates">Candidates ordered by votes descending, then name (ordinal), then candidacy id.</param>
/// <param name="Winner">The elected candidate; null when first place is tied (and not decided by lot) or there are no candidates.</param>
/// <param name="TiedParties">Parties of the candidates tied for first place, in candidate order; empty when there is no tie.</param>
/// <param name="Majority">Winner's votes − runner-up's votes (0 for a tie); null with fewer than two candidates or when uncontested.</param>
/// <param name="MajorityPercent">Majority / valid votes × 100, 2 dp; null when the majority is null or there are no valid votes.</param>
/// <param name="Turnout">Valid votes / electorate × 100, 2 dp (House of Commons Library definition); null when the electorate is unknown or 0, or the seat was uncontested.</param>
/// <param name="BallotTurnout">(Valid + invalid votes) / electorate × 100, 2 dp; null also when invalid votes are unknown.</param>
/// <param name="Result">"Con win", "Con hold", "Con gain from Lab" or "Tie between Con and Lab"; null when there are no candidates.</param>
/// <param name="Gain">True when the winner and the previous winner are both known and differ.</param>
/// <param name="PreviousWinnerParty">Winner at the previous election, when known.</param>
/// <param name="Swing">Butler swing between the two leading parties; null when it cannot be computed.</param>
/// <param name="DecidedByLot">True when first place was tied and the winner was drawn by lot (the majority is then 0).</param>
public sealed record SeatFigures(
    long ValidVotes,
    IReadOnlyList<CandidateFigures> Candidates,
    CandidateFigures? Winner,
    IReadOnlyList<string> TiedParties,
    long? Majority,
    decimal? MajorityPercent,
    decimal? Turnout,
    decimal? BallotTurnout,
    string? Result,
    bool Gain,
    string? PreviousWinnerParty,
    Swing? Swing,
    bool DecidedByLot = false);
