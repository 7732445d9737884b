namespace ElectionResults.Api.Features.Tallies;

/// <summary>The area a tally covers.</summary>
/// <param name="Id">Area id.</param>
/// <param name="Name">Area name.</param>
/// <param name="Kind">`country` (`uk`), `nation`, `region`, `county` or `custom`.</param>
public sealed record TallyArea(string Id, string Name, string Kind);

/// <summary>One party's line in the state of the parties (or, with `others`, the line of the parties folded together).</summary>
/// <param name="Party">Party code; `Others` for the folded line.</param>
/// <param name="PartyName">Party's display name; `Others` for the folded line.</param>
/// <param name="ShortName">Party's label, at most 12 characters.</param>
/// <param name="Colour">Party colour, `#RRGGBB` (`#999999` for `Others`).</param>
/// <param name="TextColour">`#000000` or `#FFFFFF`, whichever contrasts more with `colour` (WCAG AA).</param>
/// <param name="Seats">Seats won: declared, drawn by lot or called (`winnerKnown`).</param>
/// <param name="Gains">Seats won that another party won at the previous election.</param>
/// <param name="Losses">Seats this party won at the previous election and another party has now won.</param>
/// <param name="Net">gains − losses.</param>
/// <param name="Votes">Votes in the declared seats (a called seat has no votes yet).</param>
/// <param name="Share">votes / all valid votes in the declared seats × 100.</param>
/// <param name="ShareChange">Over the declared seats that polled at both elections (an uncontested seat, at either election, and a seat without a previous result are left out of both sides): the party's share of the votes in those seats now − its share in the same seats at the previous election, in points; null when the party had no votes there before.</param>
/// <param name="Parties">Only on the `Others` line (asked for with `others`): the codes of the parties it holds, in the order they would have had. Null on a party's own line.</param>
/// <param name="Majority">Against `majorityLine`: `majority` (its seats reach the line), `canReach` (its seats + `open` would) or `cannotReach`; null on the `Others` line.</param>
public sealed record TallyParty(
    string Party, string PartyName, string ShortName, string Colour, string TextColour, int Seats, int Gains, int Losses, int Net, long Votes,
    decimal? Share, decimal? ShareChange, IReadOnlyList<string>? Parties, string? Majority);

/// <summary>State of the parties for an area or the whole election.</summary>
/// <param name="ElectionId">The election.</param>
/// <param name="IsTest">True when the election is rehearsal data.</param>
/// <param name="Baseline">What gains, losses, net change, share change and swing are measured against (the previous election, its notional result on these boundaries, or the election asked for with `baseline`); null when there is nothing to compare with.</param>
/// <param name="Area">The area; null for the whole election.</param>
/// <param name="Seats">Constituencies in the area.</param>
/// <param name="Declared">Constituencies with a result (declared or uncontested; a seat in recount is not counted).</param>
/// <param name="WinnerKnown">Constituencies whose winner is called, figures to follow: counted in the parties' seats, gains and losses, not in votes or share.</param>
/// <param name="Undecided">Declared constituencies tied for first place with no winner drawn by lot. The parties' seats + undecided = declared + winnerKnown.</param>
/// <param name="InRecount">Constituencies in recount (also counted in `remaining`).</param>
/// <param name="Postponed">Constituencies whose poll is postponed or countermanded: neither declared nor remaining tonight.</param>
/// <param name="Remaining">Constituencies neither declared, called nor postponed: seats − declared − winnerKnown − postponed.</param>
/// <param name="RemainingExpectedByNextHour">Of the remaining constituencies, those whose expected declaration time is at or before now + 1 hour (overdue ones included); now is the server's clock when the document is served. The rest of `remaining` is either expected later or has no expected time.</param>
/// <param name="MajorityLine">floor(seats / 2) + 1: seats a party needs for a majority (326 of 650).</param>
/// <param name="WorkingMajorityLine">The seats a government needs in practice, when the Speaker (who votes only to break a tie) and Sinn Féin's members (who do not take their seats) are left out: floor((seats − the Speaker's seats − Sinn Féin's seats) / 2) + 1, over the seats won so far (322 of 650 with the Speaker and 7 Sinn Féin members; equal to `majorityLine` while neither has won a seat).</param>
/// <param name="Open">Seats no party has won yet: remaining, postponed and undecided ones (seats − the parties' seats). A party `canReach` the majority while its seats + open ≥ `majorityLine`.</param>
/// <param name="ValidVotes">Valid votes in the declared seats (what `share` is a share of).</param>
/// <param name="Electorate">Registered electors of the declared, contested seats whose electorate is known; null when there are none.</param>
/// <param name="Turnout">Valid votes in the seats counted in `electorate` / `electorate` × 100 (the House of Commons Library's definition); null without an electorate.</param>
/// <param name="Swing">Butler swing between the two parties with the most votes in the declared seats that polled at both elections (Independents and the Speaker left out): ((A now − A before) − (B now − B before)) / 2 over those seats' shares, in points; null when it cannot be worked out (fewer than two such parties, or one without previous votes there).</param>
/// <param name="Parties">Ordered by seats, then votes (both descending), then code; with `others`, the `Others` line comes last.</param>
public sealed record TallyResponse(
    string ElectionId, bool IsTest, Baselines.BaselineResponse? Baseline, TallyArea? Area, int Seats, int Declared, int WinnerKnown, int Undecided, int InRecount, int Postponed,
    int Remaining, int RemainingExpectedByNextHour, int MajorityLine, int WorkingMajorityLine, int Open, long ValidVotes, long? Electorate, decimal? Turnout,
    Constituencies.SwingResponse? Swing, IReadOnlyList<TallyParty> Parties)
{
    /// <summary>
    /// The status of the whole election (on an area's tally too), as the election document's `status`: `notStarted` (no seat
    /// has a result or a called winner), `partial`, `complete` (every seat of the election has its result, declared or
    /// uncontested) or `certified` (final: stop polling). With `asOf`, as it stood then.
    /// </summary>
    public required string ElectionStatus { get; init; }

    /// <summary>The instant asked for with `asOf` (the state as published then), in UTC; null for the current state.</summary>
    public DateTimeOffset? AsOf { get; init; }
}
