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

/// <summary>
/// A moment in the race to an overall majority: a revision changed a party's standing against the majority line (the
/// tallies' per-party `majority`). Worked out over the whole election, replaying every revision in cursor order.
/// </summary>
/// <param name="Cursor">The cursor of the revision that changed the standing (the same id as that revision's change, and as its `constituency` event). Several milestones can share one cursor.</param>
/// <param name="Party">Party code.</param>
/// <param name="PartyName">Party name.</param>
/// <param name="Kind">
/// The party's standing right after the revision, as the tally's per-party `majority`:
/// - `majority`: its seats reach the majority line (seats ≥ `majorityLine`): the party has clinched an overall majority;
/// - `cannotReach`: its seats and every seat still open fall below the line (seats + open &lt; `majorityLine`): it can no longer win a majority;
/// - `canReach`: a correction or retraction has undone an earlier milestone (`previous` says which): the party is below the line again, or could reach it again.
/// Every party starts the night at `canReach` and is followed from its first seat, so its first milestone is `majority` or `cannotReach`.
/// </param>
/// <param name="Previous">Its standing just before the revision: `majority`, `canReach` or `cannotReach`.</param>
/// <param name="Seats">The party's seats right after the revision (declared, drawn by lot or called).</param>
/// <param name="Open">Seats no party held right after the revision (not declared, in recount, postponed, or tied with no winner drawn by lot).</param>
/// <param name="MajorityLine">The overall majority line: floor(seats / 2) + 1 (326 of 650; the line at which a majority is called). The tally's lower `workingMajorityLine` (the Speaker and Sinn Féin left out) is not used.</param>
/// <param name="Code">The constituency whose revision it was.</param>
/// <param name="Name">Its name.</param>
/// <param name="DeclaredAt">When that revision was declared; null when not recorded.</param>
/// <param name="PublishedAt">When that revision was published.</param>
public sealed record MilestoneItem(
    long Cursor, string Party, string PartyName, string Kind, string Previous, int Seats, int Open, int MajorityLine,
    string Code, string Name, DateTimeOffset? DeclaredAt, DateTimeOffset PublishedAt)
{
    /// <summary>True when the election is test data (a rehearsal or a replay): never put such a milestone on air.</summary>
    public bool IsTest { get; init; }
}

/// <summary>What changed in an election after a cursor.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Cursor">Pass this as `since` next time. It never goes backwards.</param>
/// <param name="Changes">Constituencies whose result changed after `since`, oldest change first; each appears once, as it stands now.</param>
/// <param name="Milestones">Changes of a party's standing against the majority line after `since` (up to `cursor`), in cursor order: a majority clinched (`majority`), out of reach (`cannotReach`), or undone by a correction (`canReach`). Unlike `changes`, each is a moment that happened and stays listed as it was.</param>
public sealed record ChangesResponse(string ElectionId, bool IsTest, long Cursor, IReadOnlyList<ChangeItem> Changes, IReadOnlyList<MilestoneItem> Milestones);
