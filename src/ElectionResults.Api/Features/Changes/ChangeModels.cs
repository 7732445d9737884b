using ElectionResults.Api.Features.Constituencies;

namespace ElectionResults.Api.Features.Changes;

/// <summary>A constituency whose result changed after the cursor, as it stands now.</summary>
/// <param name="Cursor">Position of this change in the feed (the id of the seat's current revision); pass the largest one you have processed as `since`.</param>
/// <param name="Code">ONS code; fetch `.../constituencies/{code}` for the full document.</param>
/// <param name="Name">Constituency name.</param>
/// <param name="Status">`declared`, `recount` or `uncontested`.</param>
/// <param name="Revision">Current revision number.</param>
/// <param name="DeclaredAt">When declared; null when not recorded.</param>
/// <param name="Winner">Elected candidate; null during a recount or for a tie.</param>
/// <param name="Result">`Con gain from Lab`, `Lab hold` …; null during a recount.</param>
/// <param name="Gain">True when the seat changed hands.</param>
public sealed record ChangeItem(long Cursor, string Code, string Name, string Status, int Revision, DateTimeOffset? DeclaredAt, WinnerResponse? Winner, string? Result, bool Gain);

/// <summary>What changed in an election after a cursor.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Cursor">Pass this as `since` next time. It never goes backwards.</param>
/// <param name="Changes">Constituencies whose result changed after `since`, oldest change first; each appears once, as it stands now.</param>
public sealed record ChangesResponse(string ElectionId, bool IsTest, long Cursor, IReadOnlyList<ChangeItem> Changes);
