using ElectionResults.Api.Features.Constituencies;

namespace ElectionResults.Api.Features.Changes;

/// <summary>What a change replaced: the seat's previous revision as it was published.</summary>
/// <param name="Status">Its status (`declared`, `winnerKnown`, `recount`, …).</param>
/// <param name="Winner">Its winner (elected or called); null when it had none.</param>
/// <param name="Result">Its result text (`Lab hold`); null when it had none.</param>
public sealed record PreviousResult(string Status, WinnerResponse? Winner, string? Result);

/// <summary>
/// A constituency whose result (or nominations) changed after the cursor, as it stands now, with what its latest change was.
/// Everything a graphics system needs to announce it comes with the item: "CORRECTION: Mansfield, Con gain from Lab (was Lab hold)"
/// is `kind` = `corrected`, `name`, `result` and `previous.result`.
/// </summary>
/// <param name="Cursor">Position of this change in the feed (the id of the seat's latest revision or nominations change); pass the largest one you have processed as `since`.</param>
/// <param name="Code">ONS code; fetch `.../constituencies/{code}` for the full document.</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Kind">
/// What the change was:
/// - `declared`: a result (also the figures after a call, a recount or a postponement, and an uncontested return);
/// - `corrected`: a result replacing a published result, or a called winner with a different winner;
/// - `winnerKnown`: the winner is called, figures to follow;
/// - `recount`: a recount is under way;
/// - `postponed`: the poll is postponed or countermanded;
/// - `retracted`: the seat is taken back to not declared;
/// - `nominations`: a candidacy was added, changed or withdrawn (no result changed).
/// </param>
/// <param name="Status">The seat's status now: `notDeclared`, `winnerKnown`, `declared`, `recount`, `uncontested` or `postponed`.</param>
/// <param name="Revision">Current revision number; null when the seat has none (a `nominations` change before any declaration).</param>
/// <param name="DeclaredAt">When declared; null when not recorded.</param>
/// <param name="Winner">Elected (or called) candidate; null without a result, or for a tie not decided by lot.</param>
/// <param name="Result">`Con gain from Lab`, `Lab hold` …; null without a result.</param>
/// <param name="Gain">True when the seat changed hands.</param>
/// <param name="PreviousWinnerParty">Winner's party at the previous election; null when there is none ("Con gain from Lab" is `winner.party`, `gain` and this).</param>
/// <param name="Previous">The revision this change replaced (status, winner, result); null for a seat's first revision and for `nominations`.</param>
/// <param name="Reason">The reason given with the change (why it was corrected, recounted, postponed or retracted); null when none was given.</param>
/// <param name="Areas">Ids of the areas whose tallies the change altered (every area the seat belongs to; empty for `nominations`). The whole election's tally changes with every revision too.</param>
public sealed record ChangeItem(
    long Cursor, string Code, string Name, string Kind, string Status, int? Revision, DateTimeOffset? DeclaredAt, WinnerResponse? Winner, string? Result, bool Gain,
    string? PreviousWinnerParty, PreviousResult? Previous, string? Reason, IReadOnlyList<string> Areas)
{
    /// <summary>True when the election is test data (a rehearsal or a replay): never put such an item on air.</summary>
    public bool IsTest { get; init; }
}

/// <summary>What changed in an election after a cursor.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Cursor">Pass this as `since` next time. It never goes backwards.</param>
/// <param name="Changes">Constituencies whose result changed after `since`, oldest change first; each appears once, as it stands now.</param>
public sealed record ChangesResponse(string ElectionId, bool IsTest, long Cursor, IReadOnlyList<ChangeItem> Changes);
